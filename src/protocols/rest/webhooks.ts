import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { WebhookCommands, type WebhookCommandDeps } from "../../modules/events/commands.js";
import { WebhookOps } from "../../modules/events/operations.js";
import {
  deliveryQuerySchema,
  deliverySchema,
  endpointCreateSchema,
  endpointListQuerySchema,
  endpointSchema,
  endpointUpdateSchema,
  endpointWithSecretSchema,
  rotateSecretSchema,
} from "../../modules/events/schema.js";
import { type AnyRoute, defineRoute } from "./route.js";

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const endpointParams = z.object({ id });
const deliveryParams = z.object({ id, delivery: id });
const page = <T extends z.ZodType>(item: T) => z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() });
const noStore = { "cache-control": "no-store" };

export function webhookRoutes(commands: CommandRunner<WebhookCommandDeps>): AnyRoute[] {
  const tags = ["Webhooks"];
  return [
    defineRoute({
      operation: WebhookOps.create,
      method: "POST",
      url: "/v1/webhook-endpoints",
      summary: "Register a webhook endpoint; the signing secret is in this response only",
      description: "Deliveries are POSTed with Custos-Signature: t=<unix>,v1=<hex HMAC-SHA256 of `<t>.<body>`>. Targets must be https and resolve to public addresses.",
      tags,
      body: endpointCreateSchema,
      responses: { 201: endpointWithSecretSchema },
      idempotent: true,
      async handler({ ctx, body }) {
        const e = await commands.execute(WebhookCommands.create, ctx, body, undefined);
        return { status: 201, body: e, headers: { location: `/v1/webhook-endpoints/${e.id}`, ...noStore } };
      },
    }),
    defineRoute({
      operation: WebhookOps.list,
      method: "GET",
      url: "/v1/webhook-endpoints",
      summary: "List webhook endpoints you own (operators: all)",
      tags,
      query: endpointListQuerySchema,
      responses: { 200: page(endpointSchema) },
      async handler({ ctx, request }) {
        return { status: 200, body: { object: "list", ...(await commands.execute(WebhookCommands.list, ctx, request.query ?? {}, undefined)) } };
      },
    }),
    defineRoute({
      operation: WebhookOps.get,
      method: "GET",
      url: "/v1/webhook-endpoints/:id",
      summary: "Get a webhook endpoint (never its secret)",
      tags,
      params: endpointParams,
      responses: { 200: endpointSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(WebhookCommands.get, ctx, {}, { id: params.id }) };
      },
    }),
    defineRoute({
      operation: WebhookOps.update,
      method: "PATCH",
      url: "/v1/webhook-endpoints/:id",
      summary: "Change the URL, event types or description; enable or disable",
      tags,
      params: endpointParams,
      body: endpointUpdateSchema,
      responses: { 200: endpointSchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(WebhookCommands.update, ctx, body ?? {}, { id: params.id }) };
      },
    }),
    defineRoute({
      operation: WebhookOps.delete,
      method: "DELETE",
      url: "/v1/webhook-endpoints/:id",
      summary: "Delete a webhook endpoint and its delivery log",
      tags,
      params: endpointParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(WebhookCommands.delete, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: WebhookOps.rotateSecret,
      method: "POST",
      url: "/v1/webhook-endpoints/:id/rotate-secret",
      summary: "Replace the signing secret; the old one keeps signing for overlap_seconds",
      tags,
      params: endpointParams,
      body: rotateSecretSchema,
      responses: { 200: endpointWithSecretSchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(WebhookCommands.rotateSecret, ctx, body ?? {}, { id: params.id }), headers: noStore };
      },
    }),
    defineRoute({
      operation: WebhookOps.ping,
      method: "POST",
      url: "/v1/webhook-endpoints/:id/ping",
      summary: "Send a webhook.ping event to the endpoint; its outcome shows in the delivery log",
      tags,
      params: endpointParams,
      responses: { 202: deliverySchema },
      async handler({ ctx, params }) {
        return { status: 202, body: await commands.execute(WebhookCommands.ping, ctx, {}, { id: params.id }) };
      },
    }),
    defineRoute({
      operation: WebhookOps.deliveries,
      method: "GET",
      url: "/v1/webhook-endpoints/:id/deliveries",
      summary: "The delivery log: each delivery with its attempts (status, latency, error), newest first",
      tags,
      params: endpointParams,
      query: deliveryQuerySchema,
      responses: { 200: page(deliverySchema) },
      async handler({ ctx, params, request }) {
        return { status: 200, body: { object: "list", ...(await commands.execute(WebhookCommands.deliveries, ctx, request.query ?? {}, { id: params.id })) } };
      },
    }),
    defineRoute({
      operation: WebhookOps.redeliver,
      method: "POST",
      url: "/v1/webhook-endpoints/:id/deliveries/:delivery/redeliver",
      summary: "Send a delivery's event again (same event id) as a new delivery",
      tags,
      params: deliveryParams,
      responses: { 202: deliverySchema },
      async handler({ ctx, params }) {
        return { status: 202, body: await commands.execute(WebhookCommands.redeliver, ctx, {}, { id: params.id, deliveryId: params.delivery }) };
      },
    }),
  ];
}
