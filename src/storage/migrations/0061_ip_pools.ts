import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

/**
 * IP address pools and assigned addresses. The unique index on the address is the last line of
 * defence against assigning one address twice; the service also locks the pool while it picks.
 */
export const m0061IpPools: CustosMigration = {
  name: "0061_ip_pools",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("ip_pools"), dialect)
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("cidr", "text", text(dialect, (c) => c.notNull()))
      .addColumn("version", int, (c) => c.notNull())
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_ip_pools__name").on("ip_pools").column("name").unique().execute();
    await idColumn(db.schema.createTable("ip_addresses"), dialect)
      .addColumn("pool_id", int, (c) => c.notNull().references("ip_pools.id"))
      .addColumn("address", "text", text(dialect, (c) => c.notNull()))
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id").onDelete("cascade"))
      .addColumn("site_id", int)
      .addColumn("reverse_dns", "text", text(dialect))
      .addColumn("assigned_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_ip_addresses__address").on("ip_addresses").column("address").unique().execute();
    await db.schema.createIndex("ix_ip_addresses_pool").on("ip_addresses").column("pool_id").execute();
    await db.schema.createIndex("ix_ip_addresses_customer").on("ip_addresses").column("customer_id").execute();
  },
};
