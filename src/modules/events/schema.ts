import { z } from "zod";
import { EVENT_TYPES } from "./catalogue.js";

const eventTypePattern = z
  .string()
  .max(100)
  .refine((s) => s === "*" || (s.endsWith(".*") && EVENT_TYPES.some((t) => t.startsWith(s.slice(0, -1)))) || (EVENT_TYPES as string[]).includes(s), {
    message: "must be an event type from the catalogue, a family such as customer.*, or *",
  });

export const endpointCreateSchema = z
  .strictObject({
    url: z.string().trim().min(1).max(2000).describe("https:// URL that receives POSTed events"),
    event_types: z.array(eventTypePattern).min(1).max(100).default(["*"]).describe("Event types to receive: names, families (customer.*) or *"),
    description: z.string().trim().max(500).default(""),
    owner_id: z.number().int().positive().optional().describe("Operators only: register the endpoint for this reseller account"),
  })
  .meta({ id: "WebhookEndpointCreate" });

export const endpointUpdateSchema = z
  .strictObject({
    url: z.string().trim().min(1).max(2000).optional(),
    event_types: z.array(eventTypePattern).min(1).max(100).optional(),
    description: z.string().trim().max(500).optional(),
    status: z.enum(["enabled", "disabled"]).optional().describe("Re-enable an endpoint that was disabled, or pause one"),
  })
  .meta({ id: "WebhookEndpointUpdate" });

export const rotateSecretSchema = z
  .strictObject({
    overlap_seconds: z.number().int().min(0).max(7 * 86400).default(86400).describe("How long the old secret keeps signing alongside the new one"),
  })
  .meta({ id: "WebhookSecretRotate" });

export const endpointSchema = z
  .object({
    object: z.literal("webhook_endpoint"),
    id: z.number().int(),
    owner: z.object({ kind: z.enum(["operator", "reseller"]), id: z.number().int() }),
    url: z.string(),
    description: z.string(),
    event_types: z.array(z.string()),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.string().nullable(),
    previous_secret_expires_at: z.string().nullable().describe("Until when the previous secret still signs (rotation overlap)"),
    failing_since: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "WebhookEndpoint" });

export const endpointWithSecretSchema = endpointSchema.extend({ secret: z.string().describe("The signing secret; shown only in this response") }).meta({ id: "WebhookEndpointWithSecret" });

export const attemptSchema = z
  .object({
    attempt: z.number().int(),
    at: z.string(),
    status_code: z.number().int().nullable().describe("The receiver's HTTP status; null when no answer came"),
    error: z.string().nullable(),
    latency_ms: z.number().int(),
  })
  .meta({ id: "WebhookAttempt" });

export const deliverySchema = z
  .object({
    object: z.literal("webhook_delivery"),
    id: z.number().int(),
    endpoint_id: z.number().int(),
    event_id: z.string(),
    event_type: z.string(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    redelivery_of: z.number().int().nullable(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
    attempt_log: z.array(attemptSchema),
  })
  .meta({ id: "WebhookDelivery" });

export type EndpointCreate = z.output<typeof endpointCreateSchema>;
export type EndpointUpdate = z.output<typeof endpointUpdateSchema>;
export type EndpointView = z.output<typeof endpointSchema>;
export type EndpointWithSecret = z.output<typeof endpointWithSecretSchema>;
export type DeliveryView = z.output<typeof deliverySchema>;

const cursor = z.string().regex(/^\d{1,15}$/, "must be a cursor from a previous page").transform(Number);

export const eventQuerySchema = z
  .strictObject({
    type: z.string().max(1000).optional().describe("Comma-separated event types"),
    object_type: z.string().max(50).optional(),
    object_id: z.string().max(100).optional(),
    customer_id: z.coerce.number().int().positive().optional(),
    since: z.iso.datetime({ offset: true }).optional().describe("Events at or after this time"),
    until: z.iso.datetime({ offset: true }).optional().describe("Events before this time"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    starting_after: cursor.optional().describe("Cursor: events after this one (a poller passes the last next_cursor)"),
    ending_before: cursor.optional().describe("Cursor: the (older) page before this one"),
  })
  .meta({ id: "EventQuery" });

export const deliveryQuerySchema = z
  .strictObject({
    status: z.enum(["pending", "delivered", "failed"]).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    starting_after: cursor.optional().describe("Cursor: next_cursor of the previous page"),
  })
  .meta({ id: "WebhookDeliveryQuery" });

export const endpointListQuerySchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    starting_after: cursor.optional().describe("Cursor: next_cursor of the previous page"),
  })
  .meta({ id: "WebhookEndpointQuery" });

export const noticeDeliverySchema = z
  .object({
    object: z.literal("notice_delivery"),
    id: z.number().int(),
    notice_id: z.number().int(),
    contact_method_id: z.number().int(),
    method: z.string().describe("email, sms, phone or webhook"),
    status: z.enum(["pending", "delivered", "failed", "skipped"]).describe("skipped: nothing can send to this method (phone has no provider)"),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .meta({ id: "NoticeDelivery" });
