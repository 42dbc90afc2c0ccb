import { sql } from "kysely";
import { type CustosMigration, intType } from "./helpers.js";

/**
 * 5-minute traffic samples. The primary key (customer, start, site) is the natural key that
 * makes ingestion idempotent and serves the per-customer period query; no surrogate id keeps
 * the table lean at tens of millions of rows. No foreign key to customers either: checking it
 * row by row cost 40 % of PostgreSQL's ingestion rate (bench/bandwidth.ts). The ingest command
 * checks the customers of a batch in its transaction and a purge deletes the customer's samples.
 */
export const m0066Bandwidth: CustosMigration = {
  name: "0066_bandwidth",
  async up(db, dialect) {
    const int = intType(dialect);
    const table = db.schema
      .createTable("bandwidth_samples")
      .addColumn("customer_id", int, (c) => c.notNull())
      .addColumn("start", int, (c) => c.notNull())
      .addColumn("site_id", int, (c) => c.notNull().defaultTo(0))
      .addColumn("bytes_in", int, (c) => c.notNull())
      .addColumn("bytes_out", int, (c) => c.notNull())
      .addPrimaryKeyConstraint("pk_bandwidth_samples", ["customer_id", "start", "site_id"]);
    // SQLite: the rows live in the primary key's b-tree itself, not beside a rowid.
    await (dialect === "sqlite" ? table.modifyEnd(sql`without rowid`) : table).execute();
  },
};
