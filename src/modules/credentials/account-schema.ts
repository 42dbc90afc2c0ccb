import { z } from "zod";
import { PASSWORD_MAX } from "./schema.js";

/** Account login names: 3-64 characters, lower case letters, digits and . _ @ - (an e-mail address works). */
export const accountLogin = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(3, "must be at least 3 characters")
      .max(64, "must be at most 64 characters")
      .regex(/^[a-z0-9][a-z0-9._@-]*$/, "must start with a letter or digit and contain only a-z, 0-9, ., _, @ and -"),
  );

export const accountLoginSetSchema = z
  .strictObject({
    login: accountLogin.optional().describe("Login name for password logins (Openprovider username)"),
    password: z.string().max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`).optional().describe("New password; ends every session of the account"),
  })
  .refine((v) => v.login !== undefined || v.password !== undefined, { message: "give login, password or both", params: { code: "required" } })
  .meta({ id: "AccountLoginSet" });

export const accountTotpDisableSchema = z.strictObject({ code: z.string().min(1).max(32).optional() });

export const accountLoginStatusSchema = z
  .object({
    object: z.literal("account_credentials"),
    account_id: z.number().int(),
    login: z.string().nullable(),
    password_set: z.boolean(),
    password_changed_at: z.string().nullable(),
    totp_enabled: z.boolean(),
    last_login_at: z.string().nullable(),
    login_count: z.number().int(),
    last_ip: z.string().nullable(),
  })
  .meta({ id: "AccountCredentials" });
export type AccountLoginStatus = z.output<typeof accountLoginStatusSchema>;

/** One-step password login (protocols whose login call carries the second factor, if any, along). */
export interface AccountLoginInput {
  identifier: string;
  password: string;
  /** TOTP or backup code, required when the account has TOTP on. */
  code?: string | undefined;
  clientIp: string | null;
  protocol: string;
  requestId: string;
}
