import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/**
 * Login credentials for operator and reseller accounts (a login name, an argon2id password, TOTP)
 * and their login sessions. The same rules as customer credentials apply; the rows live apart
 * because accounts and customers are different tables with their own keys.
 */
export const m0080AccountLogin: CustosMigration = {
  name: "0080_account_login",
  async up(db, dialect) {
    const int = intType(dialect);
    await db.schema
      .createTable("account_credentials")
      .addColumn("account_id", int, (c) => c.primaryKey().references("accounts.id"))
      .addColumn("login", "text", text(dialect, (c) => c.notNull()))
      .addColumn("password_hash", "text", text(dialect))
      .addColumn("password_changed_at", "text", text(dialect))
      .addColumn("totp_secret", "text", text(dialect))
      .addColumn("totp_enabled", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("totp_last_step", int, (c) => c.notNull().defaultTo(0))
      .addColumn("last_login_at", "text", text(dialect))
      .addColumn("login_count", int, (c) => c.notNull().defaultTo(0))
      .addColumn("last_ip", "text", text(dialect))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_account_credentials__login").on("account_credentials").column("login").unique().execute();

    await db.schema
      .createTable("account_sessions")
      .addColumn("id", "text", text(dialect, (c) => c.primaryKey()))
      .addColumn("token_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("account_id", int, (c) => c.notNull().references("accounts.id"))
      .addColumn("state", "text", text(dialect, (c) => c.notNull()))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("last_seen_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("expires_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("client_ip", "text", text(dialect))
      .addColumn("protocol", "text", text(dialect, (c) => c.notNull()))
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex("ux_account_sessions__token_hash").on("account_sessions").column("token_hash").unique().execute();
    await db.schema.createIndex("ix_account_sessions_account").on("account_sessions").column("account_id").execute();

    await idColumn(db.schema.createTable("account_totp_backup_codes"), dialect)
      .addColumn("account_id", int, (c) => c.notNull().references("accounts.id"))
      .addColumn("code_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("used_at", "text", text(dialect))
      .execute();
    await db.schema.createIndex("ix_account_totp_backup_codes_account").on("account_totp_backup_codes").column("account_id").execute();
  },
};
