import { z } from "zod";
import { text, token } from "../../core/fields.js";

export const SEVERITIES = ["info", "warning", "critical"] as const;

export const noticeCreateSchema = z
  .strictObject({
    customer_id: z.number().int().positive().nullable().describe("The customer it is for; null: every customer (operators only)"),
    type: z.string().min(1).max(32).default("general").describe("A notice type from GET /v1/contact-notice-types"),
    title: token(1, 200),
    body: text(0, 10000).default(""),
    severity: z.enum(SEVERITIES).default("info"),
  })
  .meta({ id: "NoticeCreate" });

export const noticePatchSchema = z
  .strictObject({
    title: token(1, 200).optional(),
    body: text(0, 10000).optional(),
    severity: z.enum(SEVERITIES).optional(),
  })
  .meta({ id: "NoticePatch" });

/** Listing notices: `since` is Unix time; notices not created or updated since are left out. */
export const noticeListSchema = z.strictObject({
  since: z.number().int().min(0).max(253402300799).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  starting_after: z.number().int().positive().optional(),
});

export const noticeSchema = z
  .object({
    object: z.literal("notice"),
    id: z.number().int(),
    customer_id: z.number().int().nullable(),
    global: z.boolean(),
    type: z.string(),
    title: z.string(),
    body: z.string(),
    severity: z.enum(SEVERITIES),
    acknowledged: z.boolean().describe("Acknowledged by the customer the list is for (always false outside a customer's list)"),
    acknowledged_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .meta({ id: "Notice" });
export type NoticeView = z.output<typeof noticeSchema>;
