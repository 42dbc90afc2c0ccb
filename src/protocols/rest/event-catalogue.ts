import { EVENT_CATALOGUE, EVENT_TYPES, eventEnvelopeSchema } from "../../modules/events/catalogue.js";
import { SIGNATURE_HEADER } from "../../modules/events/signing.js";
import { toJsonSchema } from "../../core/json-schema.js";

/**
 * OpenAPI 3.1 `webhooks`: one entry per event type, its request body the event envelope with
 * that type's data schema; the same zod schemas shape the payload when the event is written.
 */
export function webhookCatalogue(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    const def = EVENT_CATALOGUE[type];
    out[type] = {
      post: {
        operationId: `webhook_${type.replace(/\W+/g, "_")}`,
        summary: def.summary,
        tags: ["Events"],
        parameters: [
          { name: SIGNATURE_HEADER, in: "header", required: true, schema: { type: "string" }, description: "t=<unix seconds>,v1=<hex HMAC-SHA256 over `<t>.<raw body>` with the endpoint secret>; one v1 per live secret during a rotation" },
          { name: "custos-event-id", in: "header", required: true, schema: { type: "string" }, description: "Same on every retry and redelivery: deduplicate on it" },
          { name: "custos-event-type", in: "header", required: true, schema: { type: "string", const: type } },
          { name: "custos-delivery-attempt", in: "header", required: true, schema: { type: "string" } },
        ],
        requestBody: { required: true, content: { "application/json": { schema: toJsonSchema(eventEnvelopeSchema(def.data), "output") } } },
        responses: { "2XX": { description: "Received; any other answer (or none within 10 s) is retried with exponential backoff for 3 days" } },
      },
    };
  }
  return out;
}
