import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/** The notice types every installation starts with; operators' own come later as rows. */
const NOTICE_TYPES: [string, string][] = [
  ["general", "General information"],
  ["billing", "Invoices, payments and billing changes"],
  ["maintenance", "Planned maintenance and its windows"],
  ["outage", "Unplanned outages and their resolution"],
  ["security", "Security advisories and incidents"],
  ["abuse", "Abuse reports concerning the customer's services"],
];

/** Notices (per customer, or global with customer_id null), per-customer acknowledgements, notice types. */
export const m0062Notices: CustosMigration = {
  name: "0062_notices",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("notice_types"), dialect)
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("description", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_notice_types__name").on("notice_types").column("name").unique().execute();
    await db.insertInto("notice_types").values(NOTICE_TYPES.map(([name, description]) => ({ name, description }))).execute();
    await idColumn(db.schema.createTable("notices"), dialect)
      .addColumn("customer_id", int, (c) => c.references("customers.id").onDelete("cascade"))
      .addColumn("type", "text", text(dialect, (c) => c.notNull()))
      .addColumn("title", "text", text(dialect, (c) => c.notNull()))
      .addColumn("body", "text", text(dialect, (c) => c.notNull()))
      .addColumn("severity", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("version", int, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex("ix_notices_customer").on("notices").columns(["customer_id", "updated_at"]).execute();
    await db.schema
      .createTable("notice_acknowledgements")
      .addColumn("notice_id", int, (c) => c.notNull().references("notices.id").onDelete("cascade"))
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id").onDelete("cascade"))
      .addColumn("acknowledged_at", "text", text(dialect, (c) => c.notNull()))
      .addPrimaryKeyConstraint("pk_notice_acknowledgements", ["notice_id", "customer_id"])
      .execute();
  },
};
