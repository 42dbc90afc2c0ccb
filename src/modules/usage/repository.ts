import type { Generated, Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface UsageSamplesTable {
  id: Generated<number>;
  customer_id: number;
  resource: string;
  sampled_at: string;
  value: number;
  received_at: string;
}

export interface UsageCurrentTable {
  customer_id: number;
  resource: string;
  sampled_at: string;
  value: number;
}

declare module "../../storage/schema.js" {
  interface Tables {
    usage_samples: UsageSamplesTable;
    usage_current: UsageCurrentTable;
  }
}

export type CurrentRow = Selectable<UsageCurrentTable>;

export interface SampleRow {
  customer_id: number;
  resource: string;
  sampled_at: string;
  value: number;
}

export class UsageRepository {
  constructor(private readonly db: Executor) {}

  /** Inserts the samples not stored before; returns how many were new. */
  async insertSamples(rows: SampleRow[], at: string): Promise<SampleRow[]> {
    if (rows.length === 0) return [];
    const inserted = await this.db
      .insertInto("usage_samples")
      .values(rows.map((r) => ({ ...r, received_at: at })))
      .onConflict((oc) => oc.columns(["customer_id", "resource", "sampled_at"]).doNothing())
      .returning(["customer_id", "resource", "sampled_at", "value"])
      .execute();
    return inserted.map((r) => ({ ...r, customer_id: Number(r.customer_id), value: Number(r.value) }));
  }

  /**
   * Moves each current value forward when its sample is at least as new as the one held, in one
   * statement. `rows` must hold one sample per (customer, resource).
   */
  async advanceCurrent(rows: SampleRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto("usage_current")
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(["customer_id", "resource"])
          .doUpdateSet((eb) => ({ value: eb.ref("excluded.value"), sampled_at: eb.ref("excluded.sampled_at") }))
          .where((eb) => eb("usage_current.sampled_at", "<=", eb.ref("excluded.sampled_at"))),
      )
      .execute();
  }

  async currentOf(customerIds: number[]): Promise<CurrentRow[]> {
    if (customerIds.length === 0) return [];
    const rows = await this.db.selectFrom("usage_current").selectAll().where("customer_id", "in", customerIds).execute();
    return rows.map((r) => ({ ...r, customer_id: Number(r.customer_id), value: Number(r.value) }));
  }

  /** Ids among `ids` of live customers the scope may see. */
  async visibleCustomers(ids: number[], scope: { ownerId?: number }): Promise<Set<number>> {
    let q = this.db.selectFrom("customers").select("id").where("id", "in", ids).where("deleted_at", "is", null);
    if (scope.ownerId !== undefined) q = q.where("owner_id", "=", scope.ownerId);
    return new Set((await q.execute()).map((r) => Number(r.id)));
  }

  async deleteFor(customerId: number): Promise<void> {
    await this.db.deleteFrom("usage_samples").where("customer_id", "=", customerId).execute();
    await this.db.deleteFrom("usage_current").where("customer_id", "=", customerId).execute();
  }
}
