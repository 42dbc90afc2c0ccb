import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/** Customer-controlled FTP users; user names are unique across all customers (one server namespace). */
export const m0065FtpUsers: CustosMigration = {
  name: "0065_ftp_users",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("ftp_users"), dialect)
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id").onDelete("cascade"))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("username", "text", text(dialect, (c) => c.notNull()))
      .addColumn("password_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("relative_root", "text", text(dialect, (c) => c.notNull()))
      .addColumn("type", "text", text(dialect, (c) => c.notNull()))
      .addColumn("site_id", int, (c) => c.references("sites.id").onDelete("cascade"))
      .addColumn("environment_id", int, (c) => c.references("environments.id").onDelete("set null"))
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_message", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("version", int, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex("ux_ftp_users__username").on("ftp_users").column("username").unique().execute();
    await db.schema.createIndex("ix_ftp_users_customer").on("ftp_users").column("customer_id").execute();
    await db.schema.createIndex("ix_ftp_users_site").on("ftp_users").column("site_id").execute();
  },
};
