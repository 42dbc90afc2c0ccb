import countries from "i18n-iso-countries";
import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import jsvat from "jsvat-next";

const { checkVAT, countries: vatCountries } = jsvat;
import validator from "validator";
import { z } from "zod";

/**
 * Field rules shared by every payload. Each canonical field has exactly one of these; the
 * strictest rule any supported protocol sets wins (../shared/docs/protocols.md §1).
 * Messages are written for the person reading an API error.
 */

// C0 controls and DEL; newline, CR and tab are allowed only in multi-line text.
const CONTROL_SINGLE = /[\u0000-\u001f\u007f]/;
const CONTROL_MULTI = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const ANGLE = /[<>]/;

const custom = (code: string) => ({ params: { code } });

/** Single-line text: no newline, no control characters, no angle brackets. */
export function token(min: number, max: number) {
  return z
    .string()
    .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_SINGLE.test(s), { message: "must not contain control characters or line breaks", ...custom("invalid_format") })
    .refine((s) => !ANGLE.test(s), { message: "must not contain < or >", ...custom("invalid_format") });
}

/** Multi-line text: line breaks allowed, other control characters not. */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_MULTI.test(s), { message: "must not contain control characters", ...custom("invalid_format") });
}

export const email = z
  .string()
  .max(254, "must be at most 254 characters")
  .refine(
    (s) => {
      // validator throws URIError on an unpaired surrogate; that is an invalid address, not a server error.
      try {
        return validator.isEmail(s, { allow_utf8_local_part: false, require_tld: true });
      } catch {
        return false;
      }
    },
    { message: "must be a valid e-mail address", ...custom("invalid_format") },
  )
  .transform((s) => s.toLowerCase());

const EXTRA_COUNTRIES = new Set(["AC", "XK", "WO"]);
export const country = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine((s) => /^[A-Z]{2}$/.test(s) && (EXTRA_COUNTRIES.has(s) || countries.isValid(s)), {
    message: "must be an ISO 3166-1 alpha-2 country code",
    ...custom("invalid_value"),
  });

const EPP_PHONE = /^\+(\d{1,3})\.(\d{1,14})(?:-(\d{1,10}))?$/;

/**
 * Normalises a phone number to the EPP form `+CC.NUMBER[-EXT]`, accepting that form, E.164 or
 * any international notation libphonenumber reads. Returns null when it is not a possible number.
 */
export function normalizePhone(input: string): string | null {
  const trimmed = input.trim();
  const epp = EPP_PHONE.exec(trimmed);
  const candidate = epp ? `+${epp[1]}${epp[2]}` : trimmed;
  if (!candidate.startsWith("+")) return null;
  const parsed = parsePhoneNumberFromString(candidate);
  if (!parsed?.isPossible()) return null;
  if (epp && parsed.countryCallingCode !== epp[1]) return null;
  const ext = epp?.[3] ?? parsed.ext;
  return `+${parsed.countryCallingCode}.${parsed.nationalNumber}${ext ? `-${ext}` : ""}`;
}

export const phone = z
  .string()
  .max(40, "must be at most 40 characters")
  .transform((s, ctx) => {
    const n = normalizePhone(s);
    if (n === null) {
      ctx.addIssue({ code: "custom", message: "must be an international phone number such as +49.1786453760 or +491786453760", params: { code: "invalid_format" } });
      return z.NEVER;
    }
    return n;
  });

/** A VAT number valid for its country prefix (e.g. DE136695976). */
export const vatNumber = z
  .string()
  .transform((s) => s.replace(/[\s.-]/g, "").toUpperCase())
  .refine((s) => s.length >= 4 && s.length <= 20 && checkVAT(s, vatCountries).isValid, {
    message: "must be a valid VAT number including its country prefix, e.g. DE136695976",
    ...custom("invalid_format"),
  });

/** A well-formed BCP 47 tag (Intl refuses anything else). */
function isBcp47(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * BCP 47 language with optional region: en, de, en-GB (en_GB is accepted and normalised). Every
 * subtag is kept while checking, so a longer tag such as xx-yy-zz is refused, never cut down.
 */
export const locale = z
  .string()
  .transform((s) => {
    const [lang = "", region, ...rest] = s.replace("_", "-").split("-");
    return [lang.toLowerCase(), ...(region === undefined ? [] : [region.toUpperCase()]), ...rest].join("-");
  })
  .refine((s) => /^[a-z]{2}(-[A-Z]{2})?$/.test(s) && isBcp47(s), { message: "must be a language code such as en or en-GB", ...custom("invalid_format") });

export const url = token(0, 255).refine((s) => s === "" || /^(https?:\/\/)?[^\s/$.?#][^\s]*$/i.test(s), {
  message: "must be a web address",
  ...custom("invalid_format"),
});

/** Non-negative integer quota; -1 means unlimited (a wire form with an "unlimited" flag maps to it). */
export const quota = z.number().int("must be an integer").min(-1, "must be -1 (unlimited) or more").max(2_147_483_647, "is too large");

export const nonNegativeInt = z.number().int("must be an integer").min(0, "must be 0 or more").max(2_147_483_647, "is too large");
