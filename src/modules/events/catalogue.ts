import { z } from "zod";
import { accountSchema } from "../accounts/schema.js";
import { apiKeySchema } from "../auth/schema.js";
import { CUSTOMER_STATUSES, customerSchema } from "../customers/schema.js";

/**
 * The event catalogue: every event type Custos emits and the schema of its `data`. The same
 * schemas shape the payload when the event is written (unknown fields are dropped, so nothing
 * secret can ride along), document it (docs/events.md) and describe it in OpenAPI's webhooks.
 */
const status = z.enum(CUSTOMER_STATUSES).nullable();

const customer = customerSchema.describe("The customer as GET /v1/customers/{ref} answers it");
const customerData = z.object({ customer }).meta({ id: "CustomerEventData" });
const statusChange = z
  .object({
    customer_id: z.number().int(),
    from: status.describe("Status before the change"),
    to: status.describe("Status after the change"),
    reason: z.string().nullable().describe("The reason given, when the transition takes one"),
  })
  .meta({ id: "CustomerStatusChangeData" });
const apiKeyData = z.object({ api_key: apiKeySchema.describe("The key as GET /v1/api-keys/{id} answers it (never its secret)") }).meta({ id: "ApiKeyEventData" });

export const webhookEndpointRefSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    owner: z.object({ kind: z.enum(["operator", "reseller"]), id: z.number().int() }),
  })
  .meta({ id: "WebhookEndpointRef" });

/** A published notice as its event carries it (the notices module owns the notice itself). */
export const publishedNoticeSchema = z
  .object({
    id: z.number().int(),
    customer_id: z.number().int().nullable().describe("The customer it is for; null: every customer"),
    global: z.boolean(),
    type: z.string().describe("Notice type; contact methods subscribe by it"),
    title: z.string(),
    body: z.string(),
    severity: z.enum(["info", "warning", "critical"]),
    created_at: z.string(),
  })
  .meta({ id: "PublishedNotice" });

interface EventTypeDef {
  summary: string;
  data: z.ZodType;
}

export const EVENT_CATALOGUE = {
  "customer.created": { summary: "A customer was created", data: customerData },
  "customer.updated": {
    summary: "A customer's data changed",
    data: z.object({ customer, changed_fields: z.array(z.string()).describe("Top-level fields whose values changed") }).meta({ id: "CustomerUpdatedData" }),
  },
  "customer.deleted": { summary: "A customer was deleted (a tombstone remains until purged)", data: customerData },
  "customer.purged": { summary: "A deleted customer was removed for good", data: z.object({ customer_id: z.number().int() }).meta({ id: "CustomerPurgedData" }) },
  "customer.email_changed": {
    summary: "A customer confirmed a new e-mail address",
    data: z.object({ customer_id: z.number().int(), email: z.string() }).meta({ id: "CustomerEmailChangedData" }),
  },
  "customer.moved": {
    summary: "A customer was handed to another owning account",
    data: z.object({ customer_id: z.number().int(), from_owner_id: z.number().int(), to_owner_id: z.number().int() }).meta({ id: "CustomerMovedData" }),
  },
  "customer.suspended": { summary: "A customer was suspended", data: statusChange },
  "customer.unsuspended": { summary: "A suspension was lifted", data: statusChange },
  "customer.deactivated": { summary: "A customer was deactivated", data: statusChange },
  "customer.reactivated": { summary: "A deactivated customer was reactivated", data: statusChange },
  "customer.locked": { summary: "Failed logins locked a customer", data: statusChange },
  "customer.unlocked": { summary: "A locked customer was unlocked", data: statusChange },
  "customer.cancellation_requested": { summary: "A customer asked to cancel", data: statusChange },
  "customer.cancellation_withdrawn": { summary: "A cancellation request was withdrawn", data: statusChange },
  "customer.closed": { summary: "A customer account was closed", data: statusChange },
  "customer.credentials_changed": {
    summary: "A password, PIN or second factor was set, changed or removed (never the secret itself)",
    data: z
      .object({
        customer_id: z.number().int(),
        credential: z.enum(["password", "pin", "totp", "backup_codes", "sessions"]),
        change: z.string().describe("set, changed, enabled, disabled, replaced, revoked"),
      })
      .meta({ id: "CredentialsChangedData" }),
  },
  "api_key.created": { summary: "An API key was created (never its secret)", data: apiKeyData },
  "api_key.updated": { summary: "An API key was renamed or its roles or expiry changed", data: apiKeyData },
  "api_key.revoked": { summary: "An API key was revoked", data: apiKeyData },
  "reseller.created": { summary: "A reseller account was created", data: z.object({ reseller: accountSchema.describe("The account as GET /v1/resellers/{id} answers it") }).meta({ id: "ResellerEventData" }) },
  "notice.published": {
    summary: "A notice was published; it is also delivered to every contact method subscribed to its type",
    data: z.object({ notice: publishedNoticeSchema }).meta({ id: "NoticePublishedData" }),
  },
  "webhook_endpoint.disabled": {
    summary: "A webhook endpoint was disabled after failing persistently (sent to the owner's other endpoints and by mail)",
    data: z.object({ endpoint: webhookEndpointRefSchema, reason: z.string() }).meta({ id: "WebhookEndpointDisabledData" }),
  },
  "webhook.ping": {
    summary: "A test delivery asked for by the endpoint's owner",
    data: z.object({ endpoint: webhookEndpointRefSchema, message: z.string() }).meta({ id: "WebhookPingData" }),
  },
} as const satisfies Record<string, EventTypeDef>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE).sort() as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_CATALOGUE, value);
}

/** The envelope every event travels in: webhook bodies and GET /v1/events items alike. */
export function eventEnvelopeSchema(data: z.ZodType = z.record(z.string(), z.unknown())) {
  return z.object({
    object: z.literal("event"),
    id: z.string().describe("evt_<n>: stable across retries and redeliveries; deduplicate on it"),
    type: z.string(),
    created_at: z.string(),
    tenant_id: z.number().int().nullable().describe("The reseller (or operator) account owning the customer concerned"),
    customer_id: z.number().int().nullable(),
    object_type: z.string(),
    object_id: z.string(),
    request_id: z.string().describe("The request that caused the event"),
    data,
  });
}

export const eventSchema = eventEnvelopeSchema().meta({ id: "Event" });
export type EventView = z.output<typeof eventSchema>;
