import type { Generated, Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

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
  prev_hash: string;
  hash: string;
}
export interface AuditChainTable {
  id: number;
  last_hash: string;
  count: number;
}

declare module "../../storage/schema.js" {
  interface Tables {
    audit_log: AuditLogTable;
    audit_chain: AuditChainTable;
  }
}

export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Omit<AuditRow, "id">;

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

  /** Reads and locks the chain head; on SQLite the write transaction already serialises writers. */
  async lockHead(dialect: "sqlite" | "postgres"): Promise<{ last_hash: string; count: number }> {
    let q = this.db.selectFrom("audit_chain").select(["last_hash", "count"]).where("id", "=", 1);
    if (dialect === "postgres") q = q.forUpdate();
    return q.executeTakeFirstOrThrow();
  }

  async append(row: NewAuditRow, count: number): Promise<number> {
    const inserted = await this.db.insertInto("audit_log").values(row).returning("id").executeTakeFirstOrThrow();
    await this.db.updateTable("audit_chain").set({ last_hash: row.hash, count }).where("id", "=", 1).execute();
    return inserted.id;
  }

  /** Appends entries already chained to each other, then moves the head past the last one. */
  async appendMany(rows: NewAuditRow[], count: number): Promise<void> {
    const last = rows[rows.length - 1];
    if (!last) return;
    // 15 columns: 500 rows stay well under SQLite's 32766 bound parameters.
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto("audit_log").values(rows.slice(i, i + 500)).execute();
    await this.db.updateTable("audit_chain").set({ last_hash: last.hash, count }).where("id", "=", 1).execute();
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

  async *scan(batch = 1000): AsyncGenerator<AuditRow> {
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom("audit_log").selectAll().where("id", ">", after).orderBy("id").limit(batch).execute();
      for (const r of rows) yield r;
      const last = rows[rows.length - 1];
      if (!last || rows.length < batch) return;
      after = last.id;
    }
  }

  async head(): Promise<{ last_hash: string; count: number }> {
    return this.db.selectFrom("audit_chain").select(["last_hash", "count"]).where("id", "=", 1).executeTakeFirstOrThrow();
  }
}
