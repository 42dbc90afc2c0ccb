import { z } from "zod";
import { EXTENSION_KEYS } from "../../modules/customers/extension-data.js";
import { ADDITIONAL_KEYS } from "./fields.js";

/**
 * Openprovider answer shapes. Every answer is written through one of these (fast-json-stringify),
 * so only declared keys leave, in Openprovider's order: code, desc, data.
 */
const phoneOut = z.object({ country_code: z.string(), area_code: z.string(), subscriber_number: z.string() });

export const opCustomerSchema = z.object({
  id: z.number().int(),
  handle: z.string(),
  reseller_id: z.number().int(),
  company_name: z.string(),
  email: z.string(),
  email_verification_status: z.string(),
  locale: z.string(),
  comments: z.string(),
  comments_last_changed_at: z.string(),
  is_deleted: z.boolean(),
  deleted_at: z.string(),
  name: z.object({ first_name: z.string(), full_name: z.string(), initials: z.string(), last_name: z.string(), prefix: z.string() }),
  address: z.object({ street: z.string(), number: z.string(), suffix: z.string(), zipcode: z.string(), city: z.string(), state: z.string(), country: z.string() }),
  phone: phoneOut,
  fax: phoneOut.optional(),
  vat: z.string().optional(),
  inn: z.string().optional(),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
  additional_data: z
    .object({
      attached_files: z.array(z.object({ description: z.string(), doc_type: z.string(), path: z.string() })),
      ...Object.fromEntries(ADDITIONAL_KEYS.map((k) => [k, z.string()])),
    })
    .optional(),
  extension_additional_data: z.array(z.object({ name: z.string(), data: z.object(Object.fromEntries(Object.keys(EXTENSION_KEYS).map((k) => [k, z.string()]))) })),
});

/** `{code: 0, desc: "", data}` around a data schema. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ code: z.literal(0), desc: z.literal(""), data });
}

export const loginOut = envelope(z.object({ token: z.string(), reseller_id: z.number().int() }));
export const listOut = envelope(z.object({ results: z.array(opCustomerSchema), total: z.number().int() }));
export const getOut = envelope(opCustomerSchema);
export const createOut = envelope(z.object({ handle: z.string() }));
export const successOut = envelope(z.object({ success: z.boolean() }));

export const handleParams = z.object({ handle: z.string() });
