import { z } from "zod";
import { eventSchema } from "../../modules/events/catalogue.js";
import { EventOps } from "../../modules/events/operations.js";
import { eventQuerySchema } from "../../modules/events/schema.js";
import type { EventService } from "../../modules/events/service.js";
import { type AnyRoute, defineRoute } from "./route.js";

const listOut = z.object({
  object: z.literal("list"),
  data: z.array(eventSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable().describe("Pass as starting_after to continue; present even at the end, where new events will appear"),
  prev_cursor: z.string().nullable(),
});

export function eventRoutes(events: EventService): AnyRoute[] {
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
        return { status: 200, body: { object: "list", ...(await events.list(ctx, request.query ?? {})) } };
      },
    }),
  ];
}
