import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/**
 * Customer credentials (password, PIN, TOTP), login sessions, failed-login counters, e-mail change
 * confirmations and life-cycle details (why a customer is suspended or cancelling, and who did it).
 * Kept out of the customers table so the customer record stays free of secrets.
 */
export const m0020Credentials: CustosMigration = {
  name: "0020_credentials",
  async up(db, dialect) {
    const int = intType(dialect);
    await db.schema
      .createTable("customer_credentials")
      .addColumn("customer_id", int, (c) => c.primaryKey().references("customers.id"))
      .addColumn("password_hash", "text", text(dialect))
      .addColumn("password_changed_at", "text", text(dialect))
      .addColumn("pin_hash", "text", text(dialect))
      .addColumn("totp_secret", "text", text(dialect))
      .addColumn("totp_enabled", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("totp_last_step", int, (c) => c.notNull().defaultTo(0))
      .addColumn("last_login_at", "text", text(dialect))
      .addColumn("login_count", int, (c) => c.notNull().defaultTo(0))
      .addColumn("last_ip", "text", text(dialect))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .execute();

    await db.schema
      .createTable("customer_sessions")
      .addColumn("id", "text", text(dialect, (c) => c.primaryKey()))
      .addColumn("token_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id"))
      .addColumn("state", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("last_seen_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("expires_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("client_ip", "text", text(dialect))
      .addColumn("protocol", "text", text(dialect, (c) => c.notNull()))
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex("ux_customer_sessions__token_hash").on("customer_sessions").column("token_hash").unique().execute();
    await db.schema.createIndex("ix_customer_sessions_customer").on("customer_sessions").column("customer_id").execute();

    await idColumn(db.schema.createTable("login_failures"), dialect)
      .addColumn("scope", "text", text(dialect, (c) => c.notNull()))
      .addColumn("subject", "text", text(dialect, (c) => c.notNull()))
      .addColumn("at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ix_login_failures_subject").on("login_failures").columns(["scope", "subject", "at"]).execute();

    await idColumn(db.schema.createTable("totp_backup_codes"), dialect)
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id"))
      .addColumn("code_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("used_at", "text", text(dialect))
      .execute();
    await db.schema.createIndex("ix_totp_backup_codes_customer").on("totp_backup_codes").column("customer_id").execute();

    await idColumn(db.schema.createTable("email_changes"), dialect)
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id"))
      .addColumn("new_email", "text", text(dialect, (c) => c.notNull()))
      .addColumn("token_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("expires_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("used_at", "text", text(dialect))
      .execute();
    await db.schema.createIndex("ux_email_changes__token_hash").on("email_changes").column("token_hash").unique().execute();

    await db.schema
      .createTable("customer_lifecycle")
      .addColumn("customer_id", int, (c) => c.primaryKey().references("customers.id"))
      .addColumn("reason", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("imposed_by", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("changed_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
  },
};
