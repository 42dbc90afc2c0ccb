import { z } from "zod";
import { email, text, token } from "../../core/fields.js";

/**
 * Contact-verification settings: who the verification e-mails to a customer's domain contacts
 * come from. Empty strings mean "not set": every field is optional, the texts may be empty.
 */
export const verificationSettingsPatchSchema = z
  .strictObject({
    support_email: z.union([z.literal(""), email]).optional().describe("Sender address of verification e-mails; empty clears it"),
    support_name: token(0, 255).optional().describe("Sender name; empty clears it"),
    signature: text(0, 10000).optional().describe("Signature appended to verification e-mails; line breaks allowed"),
  })
  .describe("Contact-verification settings; omitted fields stay as they are.");

export type VerificationSettingsPatch = z.output<typeof verificationSettingsPatchSchema>;

export const verificationSettingsSchema = z.object({
  object: z.literal("contact_verification_settings"),
  customer_id: z.number().int(),
  support_email: z.string(),
  support_name: z.string(),
  signature: z.string(),
  updated_at: z.string().nullable(),
});
export type VerificationSettings = z.output<typeof verificationSettingsSchema>;
