import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

const METHOD_TYPES: [string, string][] = [
  ["email", "E-mail to an address"],
  ["sms", "Text message to a mobile number (E.164)"],
  ["phone", "Voice call to a number (E.164)"],
  ["webhook", "HTTPS POST to a URL"],
];

/** Contacts, their methods (typed by a catalogue) and subscriptions of methods to notice types. */
export const m0063Contacts: CustosMigration = {
  name: "0063_contacts",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("contact_method_types"), dialect)
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("description", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_contact_method_types__name").on("contact_method_types").column("name").unique().execute();
    await db.insertInto("contact_method_types").values(METHOD_TYPES.map(([name, description]) => ({ name, description }))).execute();
    await idColumn(db.schema.createTable("contacts"), dialect)
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id").onDelete("cascade"))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ix_contacts_customer").on("contacts").column("customer_id").execute();
    await idColumn(db.schema.createTable("contact_methods"), dialect)
      .addColumn("contact_id", int, (c) => c.notNull().references("contacts.id").onDelete("cascade"))
      .addColumn("method_type_id", int, (c) => c.notNull().references("contact_method_types.id"))
      .addColumn("options", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ix_contact_methods_contact").on("contact_methods").column("contact_id").execute();
    await idColumn(db.schema.createTable("contact_method_notices"), dialect)
      .addColumn("contact_method_id", int, (c) => c.notNull().references("contact_methods.id").onDelete("cascade"))
      .addColumn("notice_type_id", int, (c) => c.notNull().references("notice_types.id"))
      .addColumn("options", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_contact_method_notices__notice_type_id").on("contact_method_notices").columns(["contact_method_id", "notice_type_id"]).unique().execute();
  },
};
