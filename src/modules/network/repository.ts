import { type Generated, type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../../storage/db.js";
import type { Dialect } from "../../storage/schema.js";

export interface IpPoolsTable {
  id: Generated<number>;
  name: string;
  cidr: string;
  version: number;
  created_at: string;
}

export interface IpAddressesTable {
  id: Generated<number>;
  pool_id: number;
  /** Canonical text form (ipaddr.js toString), unique across all pools. */
  address: string;
  customer_id: number;
  site_id: number | null;
  reverse_dns: string | null;
  assigned_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    ip_pools: IpPoolsTable;
    ip_addresses: IpAddressesTable;
  }
}

export type IpPoolRow = Selectable<IpPoolsTable>;
export type IpAddressRow = Selectable<IpAddressesTable>;
export type IpAddressDetailRow = IpAddressRow & { pool_name: string; version: number };

export class NetworkRepository {
  constructor(
    private readonly db: Executor,
    private readonly dialect: Dialect,
  ) {}

  async insertPool(row: Insertable<IpPoolsTable>): Promise<IpPoolRow> {
    return this.db.insertInto("ip_pools").values(row).returningAll().executeTakeFirstOrThrow();
  }

  async pools(): Promise<(IpPoolRow & { assigned: number })[]> {
    const rows = await this.db
      .selectFrom("ip_pools as p")
      .leftJoin("ip_addresses as a", "a.pool_id", "p.id")
      .select(["p.id", "p.name", "p.cidr", "p.version", "p.created_at", (eb) => eb.fn.count<number>("a.id").as("assigned")])
      .groupBy(["p.id", "p.name", "p.cidr", "p.version", "p.created_at"])
      .orderBy("p.id")
      .execute();
    return rows.map((r) => ({ ...r, assigned: Number(r.assigned) }));
  }

  async pool(id: number): Promise<IpPoolRow | undefined> {
    return this.db.selectFrom("ip_pools").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /**
   * Takes the pool's row lock for the rest of the transaction, so two assignments from one pool
   * run one after the other on PostgreSQL. SQLite runs one write transaction at a time anyway.
   */
  async lockPool(id: number): Promise<void> {
    if (this.dialect === "postgres") await sql`select id from ip_pools where id = ${id} for update`.execute(this.db);
  }

  async deletePool(id: number): Promise<void> {
    await this.db.deleteFrom("ip_pools").where("id", "=", id).execute();
  }

  async assignedIn(poolId: number): Promise<string[]> {
    const rows = await this.db.selectFrom("ip_addresses").select("address").where("pool_id", "=", poolId).execute();
    return rows.map((r) => r.address);
  }

  async countIn(poolId: number): Promise<number> {
    const r = await this.db.selectFrom("ip_addresses").select((eb) => eb.fn.countAll<number>().as("n")).where("pool_id", "=", poolId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async findAddress(address: string): Promise<IpAddressRow | undefined> {
    return this.db.selectFrom("ip_addresses").selectAll().where("address", "=", address).executeTakeFirst();
  }

  async insertAddress(row: Insertable<IpAddressesTable>): Promise<IpAddressRow> {
    return this.db.insertInto("ip_addresses").values(row).returningAll().executeTakeFirstOrThrow();
  }

  async deleteAddress(id: number): Promise<void> {
    await this.db.deleteFrom("ip_addresses").where("id", "=", id).execute();
  }

  async forCustomer(customerId: number): Promise<IpAddressDetailRow[]> {
    return this.db
      .selectFrom("ip_addresses as a")
      .innerJoin("ip_pools as p", "p.id", "a.pool_id")
      .selectAll("a")
      .select(["p.name as pool_name", "p.version"])
      .where("a.customer_id", "=", customerId)
      .orderBy("a.id")
      .execute();
  }

  async unlinkSite(siteId: number): Promise<void> {
    await this.db.updateTable("ip_addresses").set({ site_id: null }).where("site_id", "=", siteId).execute();
  }

  async deleteForCustomer(customerId: number): Promise<void> {
    await this.db.deleteFrom("ip_addresses").where("customer_id", "=", customerId).execute();
  }
}
