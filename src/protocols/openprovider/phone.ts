import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/** Openprovider's phone object: `{country_code: "+31", area_code: "20", subscriber_number: "1234567"}`. */
export interface OpPhone {
  country_code: string;
  area_code: string;
  subscriber_number: string;
}

export const EMPTY_PHONE: OpPhone = { country_code: "", area_code: "", subscriber_number: "" };

/**
 * Splits a canonical phone (`+CC.NUMBER[-EXT]`) into Openprovider's parts. The area code is the
 * first group of the number's international format (libphonenumber's national grouping), so it
 * never carries a trunk zero; numbers without a known grouping keep the whole number as subscriber.
 * Openprovider has no extension field: an extension is not sent.
 */
export function splitPhone(canonical: string | null): OpPhone {
  if (canonical === null || canonical === "") return { ...EMPTY_PHONE };
  const m = /^\+(\d{1,3})\.(\d+)(?:-\d+)?$/.exec(canonical);
  if (!m) return { ...EMPTY_PHONE };
  const [, cc = "", number = ""] = m;
  const parsed = parsePhoneNumberFromString(`+${cc}${number}`);
  const groups = parsed?.formatInternational().split(" ").slice(1) ?? [];
  if (groups.length >= 2 && groups.join("") === number) {
    return { country_code: `+${cc}`, area_code: groups[0] ?? "", subscriber_number: groups.slice(1).join("") };
  }
  return { country_code: `+${cc}`, area_code: "", subscriber_number: number };
}

const digits = (s: string): string => s.replace(/[\s().-]/g, "");

/**
 * Joins Openprovider's parts into a number the canonical phone rule reads (`+CC.NUMBER`). The
 * rule itself decides validity; this only assembles. An area code written with its national
 * trunk zero ("020") is accepted when the number is valid only without it.
 * Returns null when every part is empty (no phone), undefined when the parts cannot form a number.
 */
export function joinPhone(phone: Partial<Record<keyof OpPhone, unknown>>): string | null {
  const cc = digits(String(phone.country_code ?? "")).replace(/^(\+|00)/, "");
  const area = digits(String(phone.area_code ?? ""));
  const subscriber = digits(String(phone.subscriber_number ?? ""));
  if (cc === "" && area === "" && subscriber === "") return null;
  const asGiven = `+${cc}.${area}${subscriber}`;
  if (area.startsWith("0")) {
    const withZero = parsePhoneNumberFromString(`+${cc}${area}${subscriber}`);
    const without = parsePhoneNumberFromString(`+${cc}${area.slice(1)}${subscriber}`);
    if (!withZero?.isValid() && without?.isValid()) return `+${cc}.${area.slice(1)}${subscriber}`;
  }
  return asGiven;
}
