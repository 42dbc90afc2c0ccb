import type { Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface CustomerSettingsTable {
  customer_id: number;
  key: string;
  /** JSON of the typed value. */
  value: string;
  updated_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    customer_settings: CustomerSettingsTable;
  }
}

export type SettingRow = Selectable<CustomerSettingsTable>;

export class SettingsRepository {
  constructor(private readonly db: Executor) {}

  async list(customerId: number): Promise<SettingRow[]> {
    return this.db.selectFrom("customer_settings").selectAll().where("customer_id", "=", customerId).orderBy("key").execute();
  }

  async find(customerId: number, key: string): Promise<SettingRow | undefined> {
    return this.db.selectFrom("customer_settings").selectAll().where("customer_id", "=", customerId).where("key", "=", key).executeTakeFirst();
  }

  async upsert(row: SettingRow): Promise<void> {
    await this.db
      .insertInto("customer_settings")
      .values(row)
      .onConflict((oc) => oc.columns(["customer_id", "key"]).doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .execute();
  }

  async deleteFor(customerId: number): Promise<void> {
    await this.db.deleteFrom("customer_settings").where("customer_id", "=", customerId).execute();
  }
}
