import { sql } from "kysely";
import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/**
 * Delivery of published notices to the contact methods subscribed to their type: one row per
 * notice and method, leased and retried like webhook deliveries; and each customer's secret that
 * signs notices sent to its webhook contact methods (sealed with CUSTOS_SECRET_KEY).
 */
export const m0101NoticeDeliveries: CustosMigration = {
  name: "0101_notice_deliveries",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("notice_deliveries"), dialect)
      .addColumn("notice_id", int, (c) => c.notNull())
      .addColumn("event_id", int, (c) => c.notNull().references("events.id").onDelete("cascade"))
      .addColumn("customer_id", int)
      .addColumn("contact_method_id", int, (c) => c.notNull())
      .addColumn("method", "text", text(dialect, (c) => c.notNull()))
      .addColumn("target", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("attempts", int, (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("lease_owner", "text", text(dialect))
      .addColumn("lease_until", "text", text(dialect))
      .addColumn("last_error", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("completed_at", "text", text(dialect))
      .execute();
    await db.schema.createIndex("ix_notice_deliveries_due").on("notice_deliveries").columns(["next_attempt_at", "id"]).where(sql.ref("status"), "=", "pending").execute();
    await db.schema.createIndex("ix_notice_deliveries_notice").on("notice_deliveries").columns(["notice_id", "id"]).execute();

    await db.schema
      .createTable("notice_signing_secrets")
      .addColumn("customer_id", int, (c) => c.primaryKey().references("customers.id").onDelete("cascade"))
      .addColumn("secret_sealed", "text", text(dialect, (c) => c.notNull()))
      .addColumn("previous_secret_sealed", "text", text(dialect))
      .addColumn("previous_secret_expires_at", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
  },
};
