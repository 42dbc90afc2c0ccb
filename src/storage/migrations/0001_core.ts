import { sql } from "kysely";
import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/** Accounts (operators, resellers), API keys, customers, idempotency records, audit chain. */
export const m0001Core: CustosMigration = {
  name: "0001_core",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("accounts"), dialect)
      .addColumn("kind", "text", text(dialect, (c) => c.notNull()))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("email", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("parent_id", int, (c) => c.references("accounts.id"))
      .addColumn("status", "text", text(dialect, (c) => c.notNull().defaultTo("active")))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .execute();

    await idColumn(db.schema.createTable("api_keys"), dialect)
      .addColumn("prefix", "text", text(dialect, (c) => c.notNull()))
      .addColumn("secret_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("principal_kind", "text", text(dialect, (c) => c.notNull()))
      .addColumn("principal_id", int, (c) => c.notNull())
      .addColumn("name", "text", text(dialect, (c) => c.notNull().defaultTo("")))
      .addColumn("type", "text", text(dialect, (c) => c.notNull().defaultTo("standard")))
      .addColumn("roles", "text", text(dialect, (c) => c.notNull().defaultTo("[]")))
      .addColumn("expires_at", "text", text(dialect))
      .addColumn("revoked_at", "text", text(dialect))
      .addColumn("last_used_at", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_api_keys__prefix").on("api_keys").column("prefix").unique().execute();
    await db.schema.createIndex("ux_api_keys__secret_hash").on("api_keys").column("secret_hash").unique().execute();
    await db.schema.createIndex("ix_api_keys_principal").on("api_keys").columns(["principal_kind", "principal_id"]).execute();

    let customers = idColumn(db.schema.createTable("customers"), dialect)
      .addColumn("handle", "text", text(dialect, (c) => c.notNull()))
      .addColumn("login", "text", text(dialect, (c) => c.notNull()))
      .addColumn("customer_number", "text", text(dialect, (c) => c.notNull()))
      .addColumn("external_id", "text", text(dialect))
      .addColumn("email", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("owner_id", int, (c) => c.notNull().references("accounts.id"));
    for (const col of [
      "title",
      "first_name",
      "last_name",
      "name_prefix",
      "initials",
      "company",
      "street",
      "house_number",
      "house_number_suffix",
      "zipcode",
      "city",
      "state",
      "country",
      "phone",
      "fax",
      "website",
      "vat_number",
      "locale",
      "currency",
      "industry",
      "notes",
      "theme",
    ]) {
      // Optional text is stored as '' (not NULL) so sorting and keyset pagination behave the same everywhere.
      customers = customers.addColumn(col, "text", text(dialect, (c) => c.notNull().defaultTo("")));
    }
    customers = customers
      .addColumn("notes_visible", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("api_allowed", "integer", (c) => c.notNull().defaultTo(1));
    for (const col of ["tags", "metadata", "resources", "messaging", "registrar", "additional_data", "extension_data"]) {
      customers = customers.addColumn(col, "text", text(dialect, (c) => c.notNull().defaultTo(col === "tags" || col === "extension_data" ? "[]" : "{}")));
    }
    await customers
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("updated_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("deleted_at", "text", text(dialect))
      .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
    for (const col of ["handle", "login", "customer_number", "external_id"]) {
      await db.schema.createIndex(`ux_customers__${col}`).on("customers").column(col).unique().execute();
    }
    // An address in use by a live customer cannot be taken by another; a tombstone frees it.
    await db.schema
      .createIndex("ux_customers__email")
      .on("customers")
      .column("email")
      .unique()
      .where(sql.ref("deleted_at"), "is", null)
      .execute();
    // Sort keys for list pages: (field, id) makes keyset pagination an index range scan.
    for (const col of ["last_name", "first_name", "company", "created_at", "updated_at", "status", "country", "city", "zipcode"]) {
      await db.schema.createIndex(`ix_customers_${col}`).on("customers").columns([col, "id"]).execute();
    }
    await db.schema.createIndex("ix_customers_owner").on("customers").columns(["owner_id", "id"]).execute();
    await db.schema.createIndex("ix_customers_email_sort").on("customers").columns(["email", "id"]).execute();

    await db.schema
      .createTable("idempotency_keys")
      .addColumn("scope", "text", text(dialect, (c) => c.notNull()))
      .addColumn("key", "text", text(dialect, (c) => c.notNull()))
      .addColumn("request_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("state", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_code", "integer")
      .addColumn("response_body", "text")
      .addColumn("response_headers", "text")
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addPrimaryKeyConstraint("pk_idempotency_keys", ["scope", "key"])
      .execute();
    await db.schema.createIndex("ix_idempotency_created").on("idempotency_keys").column("created_at").execute();

    await idColumn(db.schema.createTable("audit_log"), dialect)
      .addColumn("at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("actor_kind", "text", text(dialect, (c) => c.notNull()))
      .addColumn("actor_id", int, (c) => c.notNull())
      .addColumn("key_id", int)
      .addColumn("client_ip", "text", text(dialect))
      .addColumn("request_id", "text", text(dialect, (c) => c.notNull()))
      .addColumn("protocol", "text", text(dialect, (c) => c.notNull()))
      .addColumn("operation", "text", text(dialect, (c) => c.notNull()))
      .addColumn("target_type", "text", text(dialect, (c) => c.notNull()))
      .addColumn("target_id", "text", text(dialect, (c) => c.notNull()))
      .addColumn("diff", "text", (c) => c.notNull())
      .addColumn("prev_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("hash", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ix_audit_target").on("audit_log").columns(["target_type", "target_id", "id"]).execute();
    await db.schema.createIndex("ix_audit_operation").on("audit_log").columns(["operation", "id"]).execute();
    // One row holding the chain head; writers lock it so entries chain in commit order.
    await db.schema
      .createTable("audit_chain")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("last_hash", "text", text(dialect, (c) => c.notNull()))
      .addColumn("count", int, (c) => c.notNull())
      .execute();
    await db.insertInto("audit_chain").values({ id: 1, last_hash: "0".repeat(64), count: 0 }).execute();
  },
};
