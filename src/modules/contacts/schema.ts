import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { z } from "zod";
import { email, token } from "../../core/fields.js";
import { SEVERITIES } from "../notices/schema.js";

export const METHOD_TYPES = ["email", "sms", "phone", "webhook"] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

/** An E.164 number (+31201234567); other international notations are normalised to it. */
export const e164 = z
  .string()
  .max(40)
  .transform((s, c) => {
    const p = parsePhoneNumberFromString(s.trim().replace(/^00/, "+"));
    if (!s.trim().startsWith("+") || !p?.isPossible()) {
      c.addIssue({ code: "custom", message: "must be an international number in E.164 form, e.g. +31201234567", params: { code: "invalid_format" } });
      return z.NEVER;
    }
    return p.number;
  });

/** An https URL without credentials in it (a webhook's secret belongs elsewhere than its address). */
export const httpsUrl = z
  .string()
  .max(2000, "must be at most 2000 characters")
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === "https:" && u.hostname !== "" && u.username === "" && u.password === "";
      } catch {
        return false;
      }
    },
    { message: "must be an https:// URL without user name or password", params: { code: "invalid_format" } },
  );

/** The options of each method type (a string-to-string map), checked strictly. */
export const METHOD_OPTIONS: Record<MethodType, z.ZodType<Record<string, string>>> = {
  email: z.strictObject({ address: email }),
  sms: z.strictObject({ number: e164 }),
  phone: z.strictObject({ number: e164 }),
  webhook: z.strictObject({ url: httpsUrl }),
};

/** Options of a subscription: the least severity that reaches the method. */
export const subscriptionOptions = z.strictObject({ min_severity: z.enum(SEVERITIES).optional() });

const catalogueRef = z.union([z.number().int().positive(), z.string().min(1).max(32)]);

export const contactCreateSchema = z.strictObject({ name: token(1, 200) }).meta({ id: "ContactCreate" });

export const contactMethodCreateSchema = z
  .strictObject({
    method_id: catalogueRef.describe("A contact method type by id or name (GET /v1/contact-method-types): email, sms, phone, webhook"),
    options: z.record(z.string().max(64), z.string().max(2000)).default({}).describe("email: {address}; sms, phone: {number} (E.164); webhook: {url} (https)"),
  })
  .meta({ id: "ContactMethodCreate" });

export const contactMethodNoticeCreateSchema = z
  .strictObject({
    notice_type_id: catalogueRef.describe("A notice type by id or name (GET /v1/contact-notice-types)"),
    options: z.record(z.string().max(64), z.string().max(200)).default({}).describe("min_severity: info, warning or critical"),
  })
  .meta({ id: "ContactMethodNoticeCreate" });

export const catalogueEntrySchema = z.object({ id: z.number().int(), name: z.string(), description: z.string() });

export const subscriptionSchema = z
  .object({ object: z.literal("contact_method_notice"), id: z.number().int(), contact_method_id: z.number().int(), notice_type: catalogueEntrySchema.pick({ id: true, name: true }), options: z.record(z.string(), z.string()), created_at: z.string() })
  .meta({ id: "ContactMethodNotice" });
export const contactMethodSchema = z
  .object({
    object: z.literal("contact_method"),
    id: z.number().int(),
    contact_id: z.number().int(),
    method: catalogueEntrySchema.pick({ id: true, name: true }),
    options: z.record(z.string(), z.string()),
    subscriptions: z.array(subscriptionSchema),
    created_at: z.string(),
  })
  .meta({ id: "ContactMethod" });
export const contactSchema = z
  .object({ object: z.literal("contact"), id: z.number().int(), customer_id: z.number().int(), name: z.string(), methods: z.array(contactMethodSchema), created_at: z.string() })
  .meta({ id: "Contact" });

export type SubscriptionView = z.output<typeof subscriptionSchema>;
export type ContactMethodView = z.output<typeof contactMethodSchema>;
export type ContactView = z.output<typeof contactSchema>;
export type CatalogueEntry = z.output<typeof catalogueEntrySchema>;
