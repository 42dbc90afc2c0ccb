import type { Context } from "../../core/context.js";
import { authorize } from "../../core/operations.js";
import { validationFailed } from "../../core/errors.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Storage } from "../../storage/db.js";
import { type EventView, isEventType } from "./catalogue.js";
import { EventOps } from "./operations.js";
import { type EventFilter, EventRepository, type EventScope } from "./repository.js";
import { eventQuerySchema } from "./schema.js";
import { eventToView } from "./views.js";

/**
 * The event feed (GET /v1/events): what a poller reads to catch up without webhooks. Operators
 * see every event, a reseller its customers' and its own, a customer those about itself.
 * Writers commit in any order (ids can become visible out of order on PostgreSQL), so the feed
 * pages by `position`, which the audit sealer assigns in commit order one sealer at a time: a
 * poller that walks forward with starting_after never skips one that commits late. Events
 * without a position yet are not shown; `catchUp` (the sealer) numbers what has committed.
 */
export class EventService {
  constructor(
    private readonly storage: Storage,
    private readonly catchUp: () => Promise<void> = async () => {},
  ) {}

  async list(ctx: Context, input: unknown): Promise<{ data: EventView[]; has_more: boolean; next_cursor: string | null; prev_cursor: string | null }> {
    authorize(ctx, EventOps.list);
    const q = parseOrThrow(eventQuerySchema, input ?? {}, "query");
    const filter: EventFilter = {};
    if (q.type) {
      const types = q.type.split(",").map((t) => t.trim()).filter((t) => t !== "");
      const unknown = types.filter((t) => !isEventType(t));
      if (unknown.length > 0) throw validationFailed([{ field: "type", code: "invalid_value", message: `unknown event type ${unknown.join(", ")}; see GET /openapi.json webhooks` }]);
      filter.types = types;
    }
    if (q.object_type) filter.objectType = q.object_type;
    if (q.object_id) filter.objectId = q.object_id;
    if (q.customer_id !== undefined) filter.customerId = q.customer_id;
    if (q.since) filter.since = new Date(q.since).toISOString();
    if (q.until) filter.until = new Date(q.until).toISOString();
    const p = ctx.principal;
    const scope: EventScope = p.kind === "operator" ? { kind: "all" } : p.kind === "reseller" ? { kind: "tenant", accountId: p.id } : { kind: "customer", customerId: p.id };
    await this.catchUp();
    const rows = await new EventRepository(this.storage.db).listEvents(filter, scope, q.limit + 1, q.starting_after, q.ending_before);
    const backwards = q.ending_before !== undefined;
    const more = rows.length > q.limit;
    const page = backwards ? rows.slice(rows.length - Math.min(rows.length, q.limit)) : rows.slice(0, q.limit);
    const first = page[0];
    const last = page[page.length - 1];
    // Forward, a poller always gets a next cursor: the feed grows, the last position is where to resume.
    return {
      data: page.map(eventToView),
      has_more: more,
      next_cursor: last ? String(last.position) : (q.starting_after !== undefined ? String(q.starting_after) : null),
      prev_cursor: first && (backwards ? more : q.starting_after !== undefined) ? String(first.position) : null,
    };
  }
}
