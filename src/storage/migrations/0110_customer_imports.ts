import { type CustosMigration, intType, text } from "./helpers.js";

/**
 * Bulk imports remember how far they got: each batch moves its run's checkpoint in the batch's
 * own transaction, so an interrupted import resumes after the last committed line, exactly.
 */
export const m0110CustomerImports: CustosMigration = {
  name: "0110_customer_imports",
  async up(db, dialect) {
    const int = intType(dialect);
    await db.schema
      .createTable("customer_import_runs")
      .addColumn("id", "text", text(dialect, (c) => c.primaryKey()))
      .addColumn("source", "text", text(dialect, (c) => c.notNull()))
      .addColumn("actor_kind", "text", text(dialect, (c) => c.notNull()))
      .addColumn("actor_id", int, (c) => c.notNull())
      .addColumn("owner_id", int, (c) => c.notNull())
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("last_line", int, (c) => c.notNull().defaultTo(0))
      .addColumn("created", int, (c) => c.notNull().defaultTo(0))
      .addColumn("skipped", int, (c) => c.notNull().defaultTo(0))
      .addColumn("failed", int, (c) => c.notNull().defaultTo(0))
      .addColumn("started_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ix_customer_import_runs_source").on("customer_import_runs").columns(["source", "status"]).execute();
  },
};
