import type { Insertable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface BandwidthSamplesTable {
  customer_id: number;
  /** 0: the customer as a whole (no site), so the natural key can be unique without NULLs. */
  site_id: number;
  /** Start of the 5-minute interval, Unix seconds. */
  start: number;
  bytes_in: number;
  bytes_out: number;
}

declare module "../../storage/schema.js" {
  interface Tables {
    bandwidth_samples: BandwidthSamplesTable;
  }
}

/** Rows per INSERT: 5 parameters each stays below both databases' parameter limits. */
const CHUNK = 4000;

export class BandwidthRepository {
  constructor(private readonly db: Executor) {}

  /** Inserts samples, skipping ones already recorded; returns how many were new. */
  async insert(rows: Insertable<BandwidthSamplesTable>[]): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const r = await this.db
        .insertInto("bandwidth_samples")
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(["customer_id", "start", "site_id"]).doNothing())
        .executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    return inserted;
  }

  async existingCustomers(ids: number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.db.selectFrom("customers").select("id").where("id", "in", ids.slice(i, i + 1000)).execute();
      for (const r of rows) out.add(Number(r.id));
    }
    return out;
  }

  /** Per 5-minute interval of the period, the customer's traffic summed over its sites. */
  async intervals(customerId: number, from: number, to: number): Promise<{ start: number; bytes_in: number; bytes_out: number }[]> {
    const rows = await this.db
      .selectFrom("bandwidth_samples")
      .select(["start", (eb) => eb.fn.sum<number>("bytes_in").as("bytes_in"), (eb) => eb.fn.sum<number>("bytes_out").as("bytes_out")])
      .where("customer_id", "=", customerId)
      .where("start", ">=", from)
      .where("start", "<", to)
      .groupBy("start")
      .execute();
    return rows.map((r) => ({ start: Number(r.start), bytes_in: Number(r.bytes_in), bytes_out: Number(r.bytes_out) }));
  }

  async deleteForCustomer(customerId: number): Promise<void> {
    await this.db.deleteFrom("bandwidth_samples").where("customer_id", "=", customerId).execute();
  }
}
