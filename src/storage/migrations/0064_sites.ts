import { type CustosMigration, idColumn, intType, text } from "./helpers.js";

const CONTAINER_TYPES: [string, string, number][] = [
  ["php", "PHP application server behind a web server", 8],
  ["static", "Static files behind a web server", 2],
  ["nodejs", "Node.js application server", 8],
];
const OS_IMAGES: [string, string][] = [
  ["debian-12", "Debian 12 (bookworm)"],
  ["ubuntu-24-04", "Ubuntu 24.04 LTS"],
];

/**
 * Sites, their host names, environments, containers and DNS records (Stackable CP_Wizard), and
 * the operator's catalogue of container types and OS images (seeded with a few common ones).
 */
export const m0064Sites: CustosMigration = {
  name: "0064_sites",
  async up(db, dialect) {
    const int = intType(dialect);
    await idColumn(db.schema.createTable("container_types"), dialect)
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("description", "text", text(dialect, (c) => c.notNull()))
      .addColumn("max_size", int, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("ux_container_types__name").on("container_types").column("name").unique().execute();
    await db.insertInto("container_types").values(CONTAINER_TYPES.map(([name, description, max_size]) => ({ name, description, max_size }))).execute();
    await idColumn(db.schema.createTable("os_images"), dialect)
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("description", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_os_images__name").on("os_images").column("name").unique().execute();
    await db.insertInto("os_images").values(OS_IMAGES.map(([name, description]) => ({ name, description }))).execute();

    await idColumn(db.schema.createTable("sites"), dialect)
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id").onDelete("cascade"))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("hostname", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_message", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("version", int, (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex("ux_sites__name").on("sites").columns(["customer_id", "name"]).unique().execute();
    await idColumn(db.schema.createTable("site_hostnames"), dialect)
      .addColumn("site_id", int, (c) => c.notNull().references("sites.id").onDelete("cascade"))
      .addColumn("hostname", "text", text(dialect, (c) => c.notNull()))
      .addColumn("kind", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_site_hostnames__hostname").on("site_hostnames").column("hostname").unique().execute();
    await db.schema.createIndex("ix_site_hostnames_site").on("site_hostnames").column("site_id").execute();
    await idColumn(db.schema.createTable("environments"), dialect)
      .addColumn("site_id", int, (c) => c.notNull().references("sites.id").onDelete("cascade"))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_message", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ux_environments__name").on("environments").columns(["site_id", "name"]).unique().execute();
    await idColumn(db.schema.createTable("containers"), dialect)
      .addColumn("site_id", int, (c) => c.notNull().references("sites.id").onDelete("cascade"))
      .addColumn("customer_id", int, (c) => c.notNull().references("customers.id").onDelete("cascade"))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("type_id", int, (c) => c.notNull().references("container_types.id"))
      .addColumn("os_id", int, (c) => c.notNull().references("os_images.id"))
      .addColumn("disk_space_mb", int, (c) => c.notNull())
      .addColumn("size", int, (c) => c.notNull())
      .addColumn("status", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_at", "text", text(dialect, (c) => c.notNull()))
      .addColumn("status_message", "text", text(dialect))
      .addColumn("created_at", "text", text(dialect, (c) => c.notNull()))
      .execute();
    await db.schema.createIndex("ix_containers_site").on("containers").column("site_id").execute();
    await db.schema.createIndex("ix_containers_customer").on("containers").column("customer_id").execute();
    await idColumn(db.schema.createTable("dns_records"), dialect)
      .addColumn("site_id", int, (c) => c.notNull().references("sites.id").onDelete("cascade"))
      .addColumn("name", "text", text(dialect, (c) => c.notNull()))
      .addColumn("type", "text", text(dialect, (c) => c.notNull()))
      .addColumn("content", "text", text(dialect, (c) => c.notNull()))
      .addColumn("ttl", int, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("ix_dns_records_site").on("dns_records").column("site_id").execute();
  },
};
