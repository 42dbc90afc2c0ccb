import { type Compilable, type Generated, type Selectable, sql } from "kysely";
import type { Dialect } from "../../storage/schema.js";
import type { Executor } from "../../storage/db.js";
import { rowInsert } from "../../storage/row-insert.js";

export interface EventsTable {
  id: Generated<number>;
  type: string;
  object_type: string;
  object_id: string;
  customer_id: number | null;
  tenant_id: number | null;
  /** JSON of the event's `data`, shaped by its catalogue schema. */
  payload: string;
  request_id: string;
  created_at: string;
  /** When the dispatcher fanned the event out into deliveries; null while queued. */
  dispatched_at: string | null;
  /** Place in the feed, given in commit order by the audit sealer; null until then. */
  position: Generated<number | null>;
}

export interface WebhookEndpointsTable {
  id: Generated<number>;
  owner_kind: string;
  owner_id: number;
  url: string;
  description: string;
  /** JSON array of event types; "*" or "customer.*" match families. */
  event_types: string;
  status: string;
  disabled_reason: string | null;
  /** The signing secret, sealed with CUSTOS_SECRET_KEY (SecretBox). */
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
  /** First failure since the last success; cleared by a success. */
  failing_since: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: number;
  event_id: number;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  redelivery_of: number | null;
  created_at: string;
  completed_at: string | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
}

declare module "../../storage/schema.js" {
  interface Tables {
    events: EventsTable;
    webhook_endpoints: WebhookEndpointsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_attempts: WebhookAttemptsTable;
  }
}

export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Omit<EventRow, "id" | "position">;
export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

/** Whose events a reader sees: all (operators), one tenant's (resellers), one customer's. */
export type EventScope = { kind: "all" } | { kind: "tenant"; accountId: number } | { kind: "customer"; customerId: number };

export interface EventFilter {
  types?: string[];
  objectType?: string;
  objectId?: string;
  customerId?: number;
  since?: string;
  until?: string;
}

/** Whose endpoints a caller manages: all (operators) or its own. */
export type EndpointScope = { kind: "all" } | { kind: "owner"; ownerKind: string; ownerId: number };

/** A delivery leased to one dispatcher, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  endpoint_id: number;
  event_id: number;
  attempts: number;
  created_at: string;
}

export class EventRepository {
  constructor(private readonly db: Executor) {}

  /** The INSERT of one event, to run beside the audit entry it comes from. */
  insertEventQuery(row: NewEventRow): Compilable {
    return rowInsert(this.db, "events", row);
  }

  async insertEvent(row: NewEventRow): Promise<number> {
    const r = await this.db.insertInto("events").values(row).returning("id").executeTakeFirstOrThrow();
    return r.id;
  }

  /** Inserts in multi-row statements (9 columns: 1000 rows stay under either database's parameter bound). */
  async insertEvents(rows: NewEventRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) await this.db.insertInto("events").values(rows.slice(i, i + 1000)).execute();
  }

  async findEvent(id: number): Promise<EventRow | undefined> {
    return this.db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async eventsByIds(ids: number[]): Promise<EventRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom("events").selectAll().where("id", "in", ids).execute();
  }

  /**
   * In feed order (position, given in commit order), oldest first: a poller walks forward with
   * starting_after; ending_before walks back. Events not numbered yet are left for the next look.
   */
  async listEvents(filter: EventFilter, scope: EventScope, limit: number, afterPosition: number | undefined, beforePosition: number | undefined): Promise<EventRow[]> {
    let q = this.db.selectFrom("events").selectAll().where("position", "is not", null);
    if (scope.kind === "tenant") q = q.where("tenant_id", "=", scope.accountId);
    else if (scope.kind === "customer") q = q.where("customer_id", "=", scope.customerId);
    if (filter.types && filter.types.length > 0) q = q.where("type", "in", filter.types);
    if (filter.objectType) q = q.where("object_type", "=", filter.objectType);
    if (filter.objectId) q = q.where("object_id", "=", filter.objectId);
    if (filter.customerId !== undefined) q = q.where("customer_id", "=", filter.customerId);
    if (filter.since) q = q.where("created_at", ">=", filter.since);
    if (filter.until) q = q.where("created_at", "<", filter.until);
    if (afterPosition !== undefined) q = q.where("position", ">", afterPosition);
    if (beforePosition !== undefined) q = q.where("position", "<", beforePosition);
    const rows = await q.orderBy("position", beforePosition !== undefined ? "desc" : "asc").limit(limit).execute();
    return beforePosition !== undefined ? rows.reverse() : rows;
  }

  /**
   * Takes up to `limit` queued events for fan-out and marks them dispatched, in the caller's
   * transaction. On PostgreSQL rows another process holds are skipped (SKIP LOCKED); SQLite
   * serialises writers, so the one statement is the claim.
   */
  async claimUndispatched(dialect: Dialect, now: string, limit: number): Promise<EventRow[]> {
    const lock = dialect === "postgres" ? sql` for update skip locked` : sql``;
    const r = await sql<EventRow>`update events set dispatched_at = ${now} where id in (select id from events where dispatched_at is null order by id limit ${limit}${lock}) returning *`.execute(this.db);
    return r.rows.sort((a, b) => a.id - b.id);
  }

  /**
   * Removes a customer's events (and, by cascade, their deliveries) and the notice deliveries to
   * its contact methods, which name addresses and numbers: erasure and purge.
   */
  async forgetCustomer(customerId: number): Promise<void> {
    await this.db.deleteFrom("notice_deliveries").where("customer_id", "=", customerId).execute();
    await this.db.deleteFrom("events").where("customer_id", "=", customerId).execute();
  }

  async hasUndispatched(type?: string): Promise<boolean> {
    let q = this.db.selectFrom("events").select("id").where("dispatched_at", "is", null);
    if (type !== undefined) q = q.where("type", "=", type);
    const r = await q.limit(1).executeTakeFirst();
    return r !== undefined;
  }

  // ---- endpoints

  async insertEndpoint(row: Omit<EndpointRow, "id">): Promise<EndpointRow> {
    return this.db.insertInto("webhook_endpoints").values(row).returningAll().executeTakeFirstOrThrow();
  }

  async findEndpoint(id: number, scope: EndpointScope): Promise<EndpointRow | undefined> {
    let q = this.db.selectFrom("webhook_endpoints").selectAll().where("id", "=", id);
    if (scope.kind === "owner") q = q.where("owner_kind", "=", scope.ownerKind).where("owner_id", "=", scope.ownerId);
    return q.executeTakeFirst();
  }

  async listEndpoints(scope: EndpointScope, limit: number, afterId: number | undefined): Promise<EndpointRow[]> {
    let q = this.db.selectFrom("webhook_endpoints").selectAll();
    if (scope.kind === "owner") q = q.where("owner_kind", "=", scope.ownerKind).where("owner_id", "=", scope.ownerId);
    if (afterId !== undefined) q = q.where("id", ">", afterId);
    return q.orderBy("id").limit(limit).execute();
  }

  /** Enabled endpoints that may receive events of `tenantIds` (operators' endpoints receive all). */
  async enabledEndpointsFor(tenantIds: number[]): Promise<EndpointRow[]> {
    return this.db
      .selectFrom("webhook_endpoints")
      .selectAll()
      .where("status", "=", "enabled")
      .where((eb) => {
        const ops = [eb("owner_kind", "=", "operator")];
        if (tenantIds.length > 0) ops.push(eb.and([eb("owner_kind", "=", "reseller"), eb("owner_id", "in", tenantIds)]));
        return eb.or(ops);
      })
      .execute();
  }

  async anyEnabledEndpoint(): Promise<boolean> {
    const r = await this.db.selectFrom("webhook_endpoints").select("id").where("status", "=", "enabled").limit(1).executeTakeFirst();
    return r !== undefined;
  }

  async endpointsByIds(ids: number[]): Promise<EndpointRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom("webhook_endpoints").selectAll().where("id", "in", ids).execute();
  }

  /** Optimistic update: null when the version moved on (a concurrent change). */
  async updateEndpoint(id: number, version: number, set: Partial<Omit<EndpointRow, "id" | "version">>): Promise<EndpointRow | undefined> {
    return this.db
      .updateTable("webhook_endpoints")
      .set({ ...set, version: version + 1 })
      .where("id", "=", id)
      .where("version", "=", version)
      .returningAll()
      .executeTakeFirst();
  }

  async markFailing(id: number, since: string): Promise<void> {
    await this.db.updateTable("webhook_endpoints").set({ failing_since: since }).where("id", "=", id).where("failing_since", "is", null).execute();
  }

  async markHealthy(id: number): Promise<void> {
    await this.db.updateTable("webhook_endpoints").set({ failing_since: null }).where("id", "=", id).where("failing_since", "is not", null).execute();
  }

  async deleteEndpoint(id: number): Promise<void> {
    await this.db.deleteFrom("webhook_endpoints").where("id", "=", id).execute();
  }

  // ---- deliveries

  async insertDeliveries(rows: Omit<DeliveryRow, "id">[]): Promise<DeliveryRow[]> {
    if (rows.length === 0) return [];
    return this.db.insertInto("webhook_deliveries").values(rows).returningAll().execute();
  }

  async findDelivery(endpointId: number, id: number): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).where("endpoint_id", "=", endpointId).executeTakeFirst();
  }

  /** Newest first. */
  async listDeliveries(endpointId: number, status: string | undefined, limit: number, afterId: number | undefined): Promise<DeliveryRow[]> {
    let q = this.db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpointId);
    if (status) q = q.where("status", "=", status);
    if (afterId !== undefined) q = q.where("id", "<", afterId);
    return q.orderBy("id", "desc").limit(limit).execute();
  }

  /**
   * Leases up to `limit` due deliveries of enabled endpoints to `owner` until `leaseUntil`. A
   * lease that ran out (its process died mid-delivery) makes the delivery due again, so nothing
   * is lost; while a lease holds, no other process takes it, so nothing is sent twice.
   */
  async claimDue(dialect: Dialect, owner: string, now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
    const lock = dialect === "postgres" ? sql` for update of d skip locked` : sql``;
    const r = await sql<ClaimedDelivery>`update webhook_deliveries set lease_owner = ${owner}, lease_until = ${leaseUntil}
      where id in (
        select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
        where d.status = 'pending' and d.next_attempt_at <= ${now} and (d.lease_until is null or d.lease_until < ${now}) and e.status = 'enabled'
        order by d.next_attempt_at, d.id limit ${limit}${lock})
      returning id, endpoint_id, event_id, attempts, created_at`.execute(this.db);
    return r.rows;
  }

  /** Records an attempt's outcome if `owner` still holds the lease; false when it lost it. */
  async finishAttempt(
    id: number,
    owner: string,
    set: { status: string; attempts: number; next_attempt_at: string; last_status_code: number | null; last_error: string | null; completed_at: string | null },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable("webhook_deliveries")
      .set({ ...set, lease_owner: null, lease_until: null })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async insertAttempts(rows: Omit<AttemptRow, "id">[]): Promise<void> {
    if (rows.length > 0) await this.db.insertInto("webhook_attempts").values(rows).execute();
  }

  async attemptsOf(deliveryIds: number[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return this.db.selectFrom("webhook_attempts").selectAll().where("delivery_id", "in", deliveryIds).orderBy("id").execute();
  }

  async firstAttemptAt(deliveryId: number): Promise<string | undefined> {
    const r = await this.db.selectFrom("webhook_attempts").select("at").where("delivery_id", "=", deliveryId).orderBy("id").limit(1).executeTakeFirst();
    return r?.at;
  }

  async hasDue(now: string): Promise<boolean> {
    const r = await this.db.selectFrom("webhook_deliveries").select("id").where("status", "=", "pending").where("next_attempt_at", "<=", now).limit(1).executeTakeFirst();
    return r !== undefined;
  }
}
