import { type Compilable, type Generated, type Selectable, sql } from "kysely";
import type { Executor } from "../../storage/db.js";
import { rowInsert } from "../../storage/row-insert.js";

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_kind: string;
  actor_id: number;
  key_id: number | null;
  client_ip: string | null;
  request_id: string;
  protocol: string;
  operation: string;
  target_type: string;
  target_id: string;
  diff: string;
  /** The customer the entry concerns, and the account owning it then (tenant scoping). */
  customer_id: number | null;
  tenant_id: number | null;
  /** Empty until the sealer chains the entry. */
  prev_hash: string;
  hash: string;
  /** The entry's place in the chain; null while unsealed. */
  seq: number | null;
}
export interface AuditChainTable {
  id: number;
  last_hash: string;
  count: number;
  /** seq of the last sealed entry. */
  last_seq: number;
  /** position of the last event numbered by the sealer. */
  events_position: number;
}
export interface AuditCheckpointsTable {
  id: Generated<number>;
  seq: number;
  entry_count: number;
  hash: string;
  at: string;
  /** Ed25519 public key (base64url, raw 32 bytes) and signature; null when no signing key is configured. */
  public_key: string | null;
  signature: string | null;
}

declare module "../../storage/schema.js" {
  interface Tables {
    audit_log: AuditLogTable;
    audit_chain: AuditChainTable;
    audit_checkpoints: AuditCheckpointsTable;
  }
}

export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Omit<AuditRow, "id" | "seq">;
export type CheckpointRow = Selectable<AuditCheckpointsTable>;
export interface ChainHead {
  last_hash: string;
  count: number;
  last_seq: number;
  events_position: number;
}
/** One entry the sealer chained: its place, link and hash. */
export interface SealedLink {
  id: number;
  seq: number;
  prev_hash: string;
  hash: string;
}

/** Whose entries a reader may see: its own tenant's, a customer's own, or (operators) all. */
export type AuditScope = { kind: "all" } | { kind: "tenant"; accountId: number; actorKind: string } | { kind: "customer"; customerId: number };

export interface AuditFilter {
  operation?: string;
  targetType?: string;
  targetId?: string;
  actorKind?: string;
  actorId?: number;
  requestId?: string;
  since?: string;
  until?: string;
}

export class AuditRepository {
  constructor(private readonly db: Executor) {}

  /** The account owning a customer, for tagging entries; undefined once the customer is gone. */
  async ownerOf(customerId: number): Promise<number | undefined> {
    const r = await this.db.selectFrom("customers").select("owner_id").where("id", "=", customerId).executeTakeFirst();
    return r?.owner_id;
  }

  /** The INSERT that appends an unsealed entry (no shared row touched), to run with its companions. */
  appendQuery(row: NewAuditRow): Compilable {
    return rowInsert(this.db, "audit_log", row);
  }

  /** Appends unsealed entries in multi-row statements (bulk import). */
  async appendMany(rows: NewAuditRow[]): Promise<void> {
    // 15 columns: 500 rows stay well under SQLite's 32766 bound parameters.
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto("audit_log").values(rows.slice(i, i + 500)).execute();
  }

  async head(): Promise<ChainHead> {
    return this.db.selectFrom("audit_chain").select(["last_hash", "count", "last_seq", "events_position"]).where("id", "=", 1).executeTakeFirstOrThrow();
  }

  async setHead(head: ChainHead): Promise<void> {
    await this.db.updateTable("audit_chain").set(head).where("id", "=", 1).execute();
  }

  /** Whether anything waits for the sealer: the oldest unsealed entry and unnumbered event. */
  async pending(): Promise<{ entry: number | null; event: number | null }> {
    const r = await sql<{ entry: number | null; event: number | null }>`select (select min(id) from audit_log where seq is null) as entry, (select min(id) from events where position is null) as event`.execute(this.db);
    const row = r.rows[0];
    return { entry: row?.entry === null || row?.entry === undefined ? null : Number(row.entry), event: row?.event === null || row?.event === undefined ? null : Number(row.event) };
  }

  /** Unsealed entries, oldest first (as visible now: committed ones). */
  async unsealed(limit: number): Promise<AuditRow[]> {
    return this.db.selectFrom("audit_log").selectAll().where("seq", "is", null).orderBy("id").limit(limit).execute();
  }

  /** Writes the sealer's links in one statement. */
  async seal(links: readonly SealedLink[]): Promise<void> {
    if (links.length === 0) return;
    const values = sql.join(links.map((l) => sql`(cast(${l.id} as bigint), cast(${l.seq} as bigint), ${l.prev_hash}, ${l.hash})`));
    await sql`with v(id, seq, prev_hash, hash) as (values ${values}) update audit_log set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash from v where audit_log.id = v.id`.execute(this.db);
  }

  /** Numbers up to `limit` events without a position, oldest first, from `after` + 1 on, in one statement; returns how many. */
  async positionEvents(after: number, limit: number): Promise<number> {
    const r = await sql`update events set position = v.pos
      from (select id, cast(${after} as bigint) + row_number() over (order by id) as pos from events where position is null order by id limit ${limit}) as v
      where events.id = v.id`.execute(this.db);
    return Number(r.numAffectedRows ?? 0n);
  }

  /** How many entries wait for the sealer, and when the oldest was written. */
  async backlog(): Promise<{ unsealed: number; oldestAt: string | null }> {
    const r = await this.db
      .selectFrom("audit_log")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("at").as("oldest")])
      .where("seq", "is", null)
      .executeTakeFirstOrThrow();
    return { unsealed: Number(r.n), oldestAt: (r.oldest as string | null) ?? null };
  }

  async insertCheckpoint(row: Omit<CheckpointRow, "id">): Promise<void> {
    await this.db.insertInto("audit_checkpoints").values(row).execute();
  }

  async lastCheckpoint(): Promise<CheckpointRow | undefined> {
    return this.db.selectFrom("audit_checkpoints").selectAll().orderBy("id", "desc").limit(1).executeTakeFirst();
  }

  async checkpoints(): Promise<CheckpointRow[]> {
    return this.db.selectFrom("audit_checkpoints").selectAll().orderBy("id").execute();
  }

  async list(filter: AuditFilter, scope: AuditScope, limit: number, afterId: number | undefined, beforeId: number | undefined): Promise<AuditRow[]> {
    let q = this.db.selectFrom("audit_log").selectAll();
    if (scope.kind === "tenant") {
      // A reseller's view: entries about its customers, and what it did itself.
      q = q.where((eb) => eb.or([eb("tenant_id", "=", scope.accountId), eb.and([eb("actor_kind", "=", scope.actorKind), eb("actor_id", "=", scope.accountId)])]));
    } else if (scope.kind === "customer") {
      q = q.where("customer_id", "=", scope.customerId);
    }
    if (filter.operation) q = q.where("operation", "=", filter.operation);
    if (filter.targetType) q = q.where("target_type", "=", filter.targetType);
    if (filter.targetId) q = q.where("target_id", "=", filter.targetId);
    if (filter.actorKind) q = q.where("actor_kind", "=", filter.actorKind);
    if (filter.actorId !== undefined) q = q.where("actor_id", "=", filter.actorId);
    if (filter.requestId) q = q.where("request_id", "=", filter.requestId);
    if (filter.since) q = q.where("at", ">=", filter.since);
    if (filter.until) q = q.where("at", "<", filter.until);
    if (afterId !== undefined) q = q.where("id", "<", afterId);
    if (beforeId !== undefined) q = q.where("id", ">", beforeId);
    // Newest first; ending_before walks back towards newer entries.
    q = q.orderBy("id", beforeId !== undefined ? "asc" : "desc");
    const rows = await q.limit(limit).execute();
    return beforeId !== undefined ? rows.reverse() : rows;
  }

  /** Sealed entries in chain order. */
  async *scan(batch = 1000, upTo = Number.MAX_SAFE_INTEGER): AsyncGenerator<AuditRow> {
    let after = -1;
    for (;;) {
      const rows = await this.db.selectFrom("audit_log").selectAll().where("seq", ">", after).where("seq", "<=", upTo).orderBy("seq").limit(batch).execute();
      for (const r of rows) yield r;
      const last = rows[rows.length - 1];
      if (!last || rows.length < batch) return;
      after = Number(last.seq);
    }
  }
}
