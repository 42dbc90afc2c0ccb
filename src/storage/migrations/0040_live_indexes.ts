import { sql } from "kysely";
import type { CustosMigration } from "./helpers.js";

/**
 * Lists and counts read live customers only (deleted_at is null). With that condition inside
 * the sort/filter indexes they cover such queries: a count at 1M customers walks one index
 * instead of visiting every matching row to test its tombstone. Lists that include tombstones
 * are an operator's rare request and use the primary key.
 */
const SORT_COLUMNS = ["last_name", "first_name", "company", "created_at", "updated_at", "status", "country", "city", "zipcode"];

export const m0040LiveIndexes: CustosMigration = {
  name: "0040_live_indexes",
  async up(db) {
    const live = (name: string, columns: string[]) =>
      db.schema.createIndex(name).on("customers").columns(columns).where(sql.ref("deleted_at"), "is", null).execute();
    for (const col of SORT_COLUMNS) {
      await db.schema.dropIndex(`ix_customers_${col}`).execute();
      await live(`ix_customers_${col}`, [col, "id"]);
    }
    await db.schema.dropIndex("ix_customers_email_sort").execute();
    await live("ix_customers_email_sort", ["email", "id"]);
    await db.schema.dropIndex("ix_customers_owner").execute();
    await live("ix_customers_owner", ["owner_id", "id"]);
    // Reseller views list their own customers sorted by name or date.
    await live("ix_customers_owner_last_name", ["owner_id", "last_name", "id"]);
    await live("ix_customers_owner_created", ["owner_id", "created_at", "id"]);
  },
};
