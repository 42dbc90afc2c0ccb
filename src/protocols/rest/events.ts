import { z } from "zod";
import { eventSchema } from "../../modules/events/catalogue.js";
import type { CommandRunner } from "../../core/commands.js";
import { EventCommands, type EventCommandDeps } from "../../modules/events/commands.js";
import { EventOps, NoticeDeliveryOps } from "../../modules/events/operations.js";
import { eventQuerySchema, noticeDeliverySchema, rotateSecretSchema } from "../../modules/events/schema.js";
import { type AnyRoute, defineRoute } from "./route.js";

const listOut = z.object({
  object: z.literal("list"),
  data: z.array(eventSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable().describe("Pass as starting_after to continue; present even at the end, where new events will appear"),
  prev_cursor: z.string().nullable(),
});

const signingSecretSchema = z
  .object({
    object: z.literal("notice_signing_secret"),
    customer_id: z.number().int(),
    secret: z.string().describe("Signs notices to the customer's webhook contact methods (Custos-Signature); shown only in this response"),
    previous_secret_expires_at: z.string().nullable().describe("Until when the replaced secret still signs alongside"),
  })
  .meta({ id: "NoticeSigningSecret" });
const customerParams = z.object({ ref: z.string().min(1).max(320) });
const noticeParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function eventRoutes(commands: CommandRunner<EventCommandDeps>): AnyRoute[] {
  return [
    defineRoute({
      operation: EventOps.list,
      method: "GET",
      url: "/v1/events",
      summary: "Read events, oldest first (catch up without webhooks)",
      description: "Filter by type (comma-separated), object_type, object_id, customer_id, since/until; walk forward with starting_after=<next_cursor>. The payload of each type is in the OpenAPI webhooks section.",
      tags: ["Events"],
      query: eventQuerySchema,
      responses: { 200: listOut },
      async handler({ ctx, request }) {
        return { status: 200, body: { object: "list", ...(await commands.execute(EventCommands.list, ctx, request.query ?? {}, undefined)) } };
      },
    }),
    defineRoute({
      operation: NoticeDeliveryOps.list,
      method: "GET",
      url: "/v1/notices/:id/deliveries",
      summary: "A notice's delivery state per subscribed contact method",
      description: "Operators see every method's state, a reseller those of its customers, a customer its own.",
      tags: ["Events"],
      params: noticeParams,
      responses: { 200: z.object({ object: z.literal("list"), data: z.array(noticeDeliverySchema) }) },
      async handler({ ctx, params }) {
        return { status: 200, body: { object: "list", data: await commands.execute(EventCommands.noticeDeliveries, ctx, {}, { noticeId: params.id }) } };
      },
    }),
    defineRoute({
      operation: NoticeDeliveryOps.signingSecret,
      method: "POST",
      url: "/v1/customers/:ref/notice-signing-secret",
      summary: "Issue (or replace) the secret signing notices to the customer's webhook contact methods; shown once",
      tags: ["Events"],
      params: customerParams,
      body: rotateSecretSchema,
      responses: { 201: signingSecretSchema },
      async handler({ ctx, params, body }) {
        return { status: 201, body: await commands.execute(EventCommands.signingSecret, ctx, body ?? {}, { ref: params.ref }), headers: { "cache-control": "no-store" } };
      },
    }),
  ];
}
