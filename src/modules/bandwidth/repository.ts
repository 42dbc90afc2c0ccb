import { CompiledQuery, type Insertable } from "kysely";
import type { Executor } from "../../storage/db.js";
import type { Dialect } from "../../storage/schema.js";

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

/** Rows per SQLite INSERT: 5 parameters each stays below SQLite's 32,766. */
const SQLITE_CHUNK = 6000;
const COLUMNS = "customer_id, start, site_id, bytes_in, bytes_out";
const sqliteInsert = (n: number) => `insert into bandwidth_samples (${COLUMNS}) values ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?)").join(", ")} on conflict do nothing`;
const FULL_SQLITE_INSERT = sqliteInsert(SQLITE_CHUNK);
// PostgreSQL takes the whole batch as five arrays: five parameters whatever its size.
const PG_INSERT = `insert into bandwidth_samples (${COLUMNS}) select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) on conflict do nothing`;

export class BandwidthRepository {
  constructor(
    private readonly db: Executor,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Inserts samples, skipping ones already recorded; returns how many were new. Written as
   * fixed SQL texts rather than a query builder: a 10,000-row VALUES tree costs more to build
   * than to run, and a fixed text is prepared once (ingestion is the hot path, see bench/).
   */
  async insert(rows: Insertable<BandwidthSamplesTable>[]): Promise<number> {
    if (this.dialect === "postgres") {
      const cols: number[][] = [[], [], [], [], []];
      for (const r of rows) {
        cols[0]?.push(r.customer_id);
        cols[1]?.push(r.start);
        cols[2]?.push(r.site_id ?? 0);
        cols[3]?.push(r.bytes_in);
        cols[4]?.push(r.bytes_out);
      }
      const res = await this.db.executeQuery(CompiledQuery.raw(PG_INSERT, cols));
      return Number(res.numAffectedRows ?? 0n);
    }
    let inserted = 0;
    for (let i = 0; i < rows.length; i += SQLITE_CHUNK) {
      const chunk = rows.slice(i, i + SQLITE_CHUNK);
      const params: number[] = [];
      for (const r of chunk) params.push(r.customer_id, r.start, r.site_id ?? 0, r.bytes_in, r.bytes_out);
      const res = await this.db.executeQuery(CompiledQuery.raw(chunk.length === SQLITE_CHUNK ? FULL_SQLITE_INSERT : sqliteInsert(chunk.length), params));
      inserted += Number(res.numAffectedRows ?? 0n);
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
