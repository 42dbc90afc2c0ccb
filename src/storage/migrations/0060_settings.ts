import { type CustosMigration, intType, text } from "./helpers.js";

/** Typed settings per customer (Stackable setSettings/getSettings); keys come from a registry in code. */
export const m0060Settings: CustosMigration = {
  name: "0060_settings",
  async up(db, dialect) {
    await db.schema
      .createTable("customer_settings")
      .addColumn("customer_id", intType(dialect), (c) => c.notNull().references("customers.id").onDelete("cascade"))
      .addColumn("key", "text", text(dialect, (c) => c.notNull()))
      .addColumn("value", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .addPrimaryKeyConstraint("pk_customer_settings", ["customer_id", "key"])
      .execute();
  },
};
