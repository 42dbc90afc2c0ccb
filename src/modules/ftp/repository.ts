import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface FtpUsersTable {
  id: Generated<number>;
  customer_id: number;
  name: string;
  username: string;
  password_hash: string;
  relative_root: string;
  type: string;
  site_id: number | null;
  environment_id: number | null;
  status: string;
  status_at: string;
  status_message: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

declare module "../../storage/schema.js" {
  interface Tables {
    ftp_users: FtpUsersTable;
  }
}

export type FtpUserRow = Selectable<FtpUsersTable>;

export class FtpRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: Insertable<FtpUsersTable>): Promise<FtpUserRow> {
    return this.db.insertInto("ftp_users").values(row).returningAll().executeTakeFirstOrThrow();
  }
  async find(id: number): Promise<FtpUserRow | undefined> {
    return this.db.selectFrom("ftp_users").selectAll().where("id", "=", id).executeTakeFirst();
  }
  async update(id: number, patch: Updateable<FtpUsersTable>): Promise<FtpUserRow> {
    return this.db.updateTable("ftp_users").set(patch).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  }
  async delete(id: number): Promise<void> {
    await this.db.deleteFrom("ftp_users").where("id", "=", id).execute();
  }
  async countFor(customerId: number): Promise<number> {
    const r = await this.db.selectFrom("ftp_users").select((eb) => eb.fn.countAll<number>().as("n")).where("customer_id", "=", customerId).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async list(customerId: number, f: { siteId?: number; environmentId?: number }, limit: number, startingAfter?: number): Promise<FtpUserRow[]> {
    let q = this.db.selectFrom("ftp_users").selectAll().where("customer_id", "=", customerId);
    if (f.siteId !== undefined) q = q.where("site_id", "=", f.siteId);
    if (f.environmentId !== undefined) q = q.where("environment_id", "=", f.environmentId);
    if (startingAfter !== undefined) q = q.where("id", ">", startingAfter);
    return q.orderBy("id").limit(limit).execute();
  }
  async deleteForSite(siteId: number): Promise<void> {
    await this.db.deleteFrom("ftp_users").where("site_id", "=", siteId).execute();
  }
  async deleteForCustomer(customerId: number): Promise<void> {
    await this.db.deleteFrom("ftp_users").where("customer_id", "=", customerId).execute();
  }
}
