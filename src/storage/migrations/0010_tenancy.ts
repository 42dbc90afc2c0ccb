import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/** Per-key IP/CIDR allow lists, and the index resellers' account listings need. */
export const m0010Tenancy: CustosMigration = {
  name: "0010_tenancy",
  async up(db, dialect) {
    await idColumn(db.schema.createTable("api_key_acl"), dialect)
      .addColumn("key_id", intType(dialect), (c) => c.notNull().references("api_keys.id").onDelete("cascade"))
      .addColumn("cidr", "text", text(dialect, (c) => c.notNull()))
      .addColumn("description", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ix_api_key_acl_key").on("api_key_acl").columns(["key_id", "id"]).execute();
    await db.schema.createIndex("ix_accounts_kind").on("accounts").columns(["kind", "id"]).execute();
    await db.schema.createIndex("ix_audit_request").on("audit_log").columns(["request_id", "id"]).execute();
  },
};
