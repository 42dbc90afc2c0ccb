import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/**
 * Everlytic's messaging objects: the package catalogue (e-mail, SMS, transactional) customers
 * reference, and the ledger of quota debits. The prepaid balances themselves stay on the
 * customer (`messaging` column) so every protocol reads them with the customer; the ledger
 * makes a debit idempotent per message id.
 */
export const m0090Messaging: CustosMigration = {
  name: "0090_messaging",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("message_packages"), dialect)
      .addColumn("kind", "text", text(dialect, (c) => c.notNull()))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("description", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("volume", int, (c) => c.notNull())
      .addColumn("period", "text", text(dialect, (c) => c.notNull()))
      .addColumn("price", "text", text(dialect, (c) => c.notNull()))
      .addColumn("currency", "text", text(dialect, (c) => c.notNull()))
      .addColumn("archived_at", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex("ux_message_packages__name").on("message_packages").column("name").unique().execute();
    await db.schema.createIndex("ix_message_packages_kind").on("message_packages").columns(["kind", "id"]).execute();

    await idColumn(db.schema.createTable("quota_debits"), dialect)
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id"))
      .addColumn("kind", "text", text(dialect, (c) => c.notNull()))
      .addColumn("message_id", "text", text(dialect, (c) => c.notNull()))
      .addColumn("units", int, (c) => c.notNull())
      .addColumn("balance_after", int, (c) => c.notNull())
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_quota_debits__message_id").on("quota_debits").columns(["customer_id", "kind", "message_id"]).unique().execute();
    await db.schema.createIndex("ix_quota_debits_customer").on("quota_debits").columns(["customer_id", "id"]).execute();
  },
};
