import { z } from "zod";
import { email } from "../../core/fields.js";
import type { FieldIssue } from "../../core/errors.js";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;

/** The password policy; every rule that fails becomes one issue on `field`. */
export function passwordIssues(password: string, field: string, personal: { login?: string; email?: string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) issues.push({ field, code: "out_of_range", message: `must be at least ${PASSWORD_MIN} characters` });
  if (chars.length > PASSWORD_MAX) issues.push({ field, code: "out_of_range", message: `must be at most ${PASSWORD_MAX} characters` });
  if (password.trim() !== password) issues.push({ field, code: "invalid_format", message: "must not start or end with whitespace" });
  if ([...password].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20 || ch === "\u007f")) issues.push({ field, code: "invalid_format", message: "must not contain control characters" });
  const lower = password.toLowerCase();
  if (personal.login && lower === personal.login.toLowerCase()) issues.push({ field, code: "invalid_value", message: "must not be the login name" });
  if (personal.email && (lower === personal.email.toLowerCase() || lower === personal.email.toLowerCase().split("@")[0])) {
    issues.push({ field, code: "invalid_value", message: "must not be the e-mail address" });
  }
  if (chars.length >= PASSWORD_MIN) {
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
    if (new Set(chars).size < 4) issues.push({ field, code: "invalid_value", message: "must contain at least 4 different characters" });
    else if (classes < 2) issues.push({ field, code: "invalid_value", message: "must mix at least two of: lower case, upper case, digits, other characters" });
  }
  return issues;
}

const secretString = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const setPasswordSchema = z.strictObject({ password: secretString(PASSWORD_MAX) });
export const changePasswordSchema = z.strictObject({ current_password: secretString(PASSWORD_MAX), new_password: secretString(PASSWORD_MAX) });

export type ChangePasswordInput = z.output<typeof changePasswordSchema>;

export const pinValue = z.string().regex(/^\d{4,12}$/, "must be 4-12 digits");
/** Set or replace the service PIN; `current_pin` when a customer replaces one outside a login session. */
export const setPinSchema = z.strictObject({ pin: pinValue, current_pin: z.string().max(64).optional() });
export const verifyPinSchema = z.strictObject({ pin: z.string().max(64) });
export type SetPinInput = z.output<typeof setPinSchema>;
export type VerifyPinInput = z.output<typeof verifyPinSchema>;

export const emailChangeSchema = z.strictObject({ email });
export const emailConfirmSchema = z.strictObject({ token: z.string().min(1).max(200) });

export const totpCodeSchema = z.strictObject({ code: z.string().min(1).max(32) });
export const totpDisableSchema = z.strictObject({ code: z.string().min(1).max(32).optional(), password: secretString(PASSWORD_MAX).optional() });
export type TotpDisableInput = z.output<typeof totpDisableSchema>;

export const loginSchema = z.strictObject({
  identifier: z.string().min(1, "is required").max(320),
  password: secretString(PASSWORD_MAX),
});
export const secondFactorSchema = z.strictObject({
  pending_token: z.string().min(1).max(200),
  code: z.string().min(1).max(32),
});

export const sessionViewSchema = z.object({
  id: z.string(),
  customer_id: z.number().int(),
  created_at: z.string(),
  expires_at: z.string(),
});

export const credentialStatusSchema = z.object({
  object: z.literal("credentials"),
  customer_id: z.number().int(),
  password_set: z.boolean(),
  password_changed_at: z.string().nullable(),
  pin_set: z.boolean(),
  totp_enabled: z.boolean(),
  backup_codes_left: z.number().int(),
  last_login_at: z.string().nullable(),
  login_count: z.number().int(),
  last_ip: z.string().nullable(),
});
export type CredentialStatus = z.output<typeof credentialStatusSchema>;

export const totpEnrolmentSchema = z.object({ secret: z.string(), otpauth_uri: z.string() });
export const backupCodesSchema = z.object({ backup_codes: z.array(z.string()) });
