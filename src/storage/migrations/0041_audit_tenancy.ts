import { type CustosMigration, intType } from "./helpers.js";

/**
 * Each audit entry names the customer it concerns and the account that owned that customer at
 * the time, so a reseller can read the entries of its own customers (and a customer its own)
 * even after the customer is purged.
 */
export const m0041AuditTenancy: CustosMigration = {
  name: "0041_audit_tenancy",
  async up(db, dialect) {
    const int = intType(dialect);
    await db.schema.alterTable("audit_log").addColumn("customer_id", int).execute();
    await db.schema.alterTable("audit_log").addColumn("tenant_id", int).execute();
    await db.schema.createIndex("ix_audit_tenant").on("audit_log").columns(["tenant_id", "id"]).execute();
    await db.schema.createIndex("ix_audit_customer").on("audit_log").columns(["customer_id", "id"]).execute();
    await db.schema.createIndex("ix_audit_actor").on("audit_log").columns(["actor_kind", "actor_id", "id"]).execute();
  },
};
