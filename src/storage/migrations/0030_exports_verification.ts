import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/** Contact-verification settings per customer; data-export jobs and their download tokens. */
export const m0030ExportsVerification: CustosMigration = {
  name: "0030_exports_verification",
  async up(db, dialect) {
    const int = intType(dialect);
    await db.schema
      .createTable("contact_verification_settings")
      .addColumn("customer_id", int, (c) => c.primaryKey().references("customers.id").onDelete("cascade"))
      .addColumn("support_email", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("support_name", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("signature", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .execute();

    await idColumn(db.schema.createTable("export_jobs"), dialect)
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id").onDelete("cascade"))
      .addColumn("type", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("token_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("token_sealed", "text", text(dialect, (c) => c.notNull()))
      .addColumn("file_name", "text", text(dialect))
      .addColumn("size_bytes", int)
      .addColumn("sections_done", int, (c) => c.notNull().defaultTo(0))
      .addColumn("sections_total", int, (c) => c.notNull().defaultTo(0))
      .addColumn("downloads", int, (c) => c.notNull().defaultTo(0))
      .addColumn("error", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("completed_at", "text", text(dialect))
      .addColumn("expires_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("last_download_at", "text", text(dialect))
      .execute();
    await db.schema.createIndex("ux_export_jobs__token_hash").on("export_jobs").column("token_hash").unique().execute();
    await db.schema.createIndex("ix_export_jobs_customer").on("export_jobs").columns(["customer_id", "created_at"]).execute();
    await db.schema.createIndex("ix_export_jobs_status").on("export_jobs").column("status").execute();
  },
};
