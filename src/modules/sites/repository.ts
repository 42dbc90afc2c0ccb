import type { Generated, Insertable, Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";
import type { StatusColumns } from "../provisioning/status.js";

interface Status {
  status: string;
  status_at: string;
  status_message: string | null;
}

export interface SitesTable extends Status {
  id: Generated<number>;
  customer_id: number;
  name: string;
  hostname: string;
  created_at: string;
  version: number;
}
/** Every host name of every site, primary and aliases: one unique index keeps them apart. */
export interface SiteHostnamesTable {
  id: Generated<number>;
  site_id: number;
  hostname: string;
  kind: string;
}
export interface EnvironmentsTable extends Status {
  id: Generated<number>;
  site_id: number;
  name: string;
  created_at: string;
}
export interface ContainersTable extends Status {
  id: Generated<number>;
  site_id: number;
  customer_id: number;
  name: string;
  type_id: number;
  os_id: number;
  disk_space_mb: number;
  size: number;
  created_at: string;
}
export interface DnsRecordsTable {
  id: Generated<number>;
  site_id: number;
  name: string;
  type: string;
  content: string;
  ttl: number;
}
export interface ContainerTypesTable {
  id: Generated<number>;
  name: string;
  description: string;
  max_size: number;
}
export interface OsImagesTable {
  id: Generated<number>;
  name: string;
  description: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    sites: SitesTable;
    site_hostnames: SiteHostnamesTable;
    environments: EnvironmentsTable;
    containers: ContainersTable;
    dns_records: DnsRecordsTable;
    container_types: ContainerTypesTable;
    os_images: OsImagesTable;
  }
}

export type SiteRow = Selectable<SitesTable>;
export type EnvironmentRow = Selectable<EnvironmentsTable>;
export type ContainerRow = Selectable<ContainersTable> & { type_name: string; os_name: string };
export type DnsRecordRow = Selectable<DnsRecordsTable>;
export type ContainerTypeRow = Selectable<ContainerTypesTable>;
export type OsImageRow = Selectable<OsImagesTable>;

export interface SiteParts {
  aliases: string[];
  environments: EnvironmentRow[];
  containers: ContainerRow[];
  dns: DnsRecordRow[];
}

export class SiteRepository {
  constructor(private readonly db: Executor) {}

  async insertSite(row: Insertable<SitesTable>): Promise<SiteRow> {
    return this.db.insertInto("sites").values(row).returningAll().executeTakeFirstOrThrow();
  }
  async insertHostname(row: Insertable<SiteHostnamesTable>): Promise<void> {
    await this.db.insertInto("site_hostnames").values(row).execute();
  }
  async insertEnvironment(row: Insertable<EnvironmentsTable>): Promise<void> {
    await this.db.insertInto("environments").values(row).execute();
  }
  async insertContainer(row: Insertable<ContainersTable>): Promise<void> {
    await this.db.insertInto("containers").values(row).execute();
  }
  async insertDns(row: Insertable<DnsRecordsTable>): Promise<void> {
    await this.db.insertInto("dns_records").values(row).execute();
  }

  async site(id: number): Promise<SiteRow | undefined> {
    return this.db.selectFrom("sites").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async sitesOf(customerId: number, limit: number, startingAfter: number | undefined): Promise<SiteRow[]> {
    let q = this.db.selectFrom("sites").selectAll().where("customer_id", "=", customerId);
    if (startingAfter !== undefined) q = q.where("id", ">", startingAfter);
    return q.orderBy("id").limit(limit).execute();
  }

  async hostnameTaken(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.db.selectFrom("site_hostnames").select("hostname").where("hostname", "in", names).execute();
    return rows.map((r) => r.hostname);
  }

  async parts(siteIds: number[]): Promise<Map<number, SiteParts>> {
    const out = new Map<number, SiteParts>(siteIds.map((id) => [id, { aliases: [], environments: [], containers: [], dns: [] }]));
    if (siteIds.length === 0) return out;
    const aliases = await this.db.selectFrom("site_hostnames").selectAll().where("site_id", "in", siteIds).where("kind", "=", "alias").orderBy("id").execute();
    const envs = await this.db.selectFrom("environments").selectAll().where("site_id", "in", siteIds).orderBy("id").execute();
    const containers = await this.db
      .selectFrom("containers as c")
      .innerJoin("container_types as t", "t.id", "c.type_id")
      .innerJoin("os_images as o", "o.id", "c.os_id")
      .selectAll("c")
      .select(["t.name as type_name", "o.name as os_name"])
      .where("c.site_id", "in", siteIds)
      .orderBy("c.id")
      .execute();
    const dns = await this.db.selectFrom("dns_records").selectAll().where("site_id", "in", siteIds).orderBy("id").execute();
    for (const a of aliases) out.get(a.site_id)?.aliases.push(a.hostname);
    for (const e of envs) out.get(e.site_id)?.environments.push(e);
    for (const c of containers) out.get(c.site_id)?.containers.push(c);
    for (const d of dns) out.get(d.site_id)?.dns.push(d);
    return out;
  }

  async diskInUse(customerId: number): Promise<number> {
    const r = await this.db.selectFrom("containers").select((eb) => eb.fn.sum<number>("disk_space_mb").as("mb")).where("customer_id", "=", customerId).executeTakeFirst();
    return Number(r?.mb ?? 0);
  }

  async setSiteStatus(id: number, s: StatusColumns, version: number): Promise<void> {
    await this.db.updateTable("sites").set({ ...s, version }).where("id", "=", id).execute();
  }

  async deleteSite(id: number): Promise<void> {
    await this.db.deleteFrom("dns_records").where("site_id", "=", id).execute();
    await this.db.deleteFrom("containers").where("site_id", "=", id).execute();
    await this.db.deleteFrom("environments").where("site_id", "=", id).execute();
    await this.db.deleteFrom("site_hostnames").where("site_id", "=", id).execute();
    await this.db.deleteFrom("sites").where("id", "=", id).execute();
  }

  async siteIdsOf(customerId: number): Promise<number[]> {
    return (await this.db.selectFrom("sites").select("id").where("customer_id", "=", customerId).execute()).map((r) => r.id);
  }

  async environment(id: number): Promise<(EnvironmentRow & { customer_id: number }) | undefined> {
    return this.db.selectFrom("environments as e").innerJoin("sites as s", "s.id", "e.site_id").selectAll("e").select("s.customer_id").where("e.id", "=", id).executeTakeFirst();
  }
  async setEnvironmentStatus(id: number, s: StatusColumns): Promise<void> {
    await this.db.updateTable("environments").set(s).where("id", "=", id).execute();
  }
  async container(id: number): Promise<Selectable<ContainersTable> | undefined> {
    return this.db.selectFrom("containers").selectAll().where("id", "=", id).executeTakeFirst();
  }
  async setContainerStatus(id: number, s: StatusColumns): Promise<void> {
    await this.db.updateTable("containers").set(s).where("id", "=", id).execute();
  }

  async containerTypes(): Promise<ContainerTypeRow[]> {
    return this.db.selectFrom("container_types").selectAll().orderBy("id").execute();
  }
  async osImages(): Promise<OsImageRow[]> {
    return this.db.selectFrom("os_images").selectAll().orderBy("id").execute();
  }
  async insertContainerType(row: Insertable<ContainerTypesTable>): Promise<ContainerTypeRow> {
    return this.db.insertInto("container_types").values(row).returningAll().executeTakeFirstOrThrow();
  }
  async insertOsImage(row: Insertable<OsImagesTable>): Promise<OsImageRow> {
    return this.db.insertInto("os_images").values(row).returningAll().executeTakeFirstOrThrow();
  }
  async containersUsing(column: "type_id" | "os_id", id: number): Promise<number> {
    const r = await this.db.selectFrom("containers").select((eb) => eb.fn.countAll<number>().as("n")).where(column, "=", id).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async deleteContainerType(id: number): Promise<number> {
    const r = await this.db.deleteFrom("container_types").where("id", "=", id).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
  async deleteOsImage(id: number): Promise<number> {
    const r = await this.db.deleteFrom("os_images").where("id", "=", id).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
