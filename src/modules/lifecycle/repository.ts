import type { Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface CustomerLifecycleTable {
  customer_id: number;
  /** Why the customer is in its current status (suspension, cancellation), '' when no reason applies. */
  reason: string;
  /** Principal kind that imposed the status ("operator", "reseller", "customer", "system"). */
  imposed_by: string;
  changed_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    customer_lifecycle: CustomerLifecycleTable;
  }
}

export type LifecycleRow = Selectable<CustomerLifecycleTable>;

export class LifecycleRepository {
  constructor(private readonly db: Executor) {}

  async get(customerId: number): Promise<LifecycleRow | undefined> {
    return this.db.selectFrom("customer_lifecycle").selectAll().where("customer_id", "=", customerId).executeTakeFirst();
  }

  async put(row: LifecycleRow): Promise<void> {
    const r = await this.db.updateTable("customer_lifecycle").set({ reason: row.reason, imposed_by: row.imposed_by, changed_at: row.changed_at }).where("customer_id", "=", row.customer_id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) await this.db.insertInto("customer_lifecycle").values(row).execute();
  }

  async delete(customerId: number): Promise<void> {
    await this.db.deleteFrom("customer_lifecycle").where("customer_id", "=", customerId).execute();
  }
}
