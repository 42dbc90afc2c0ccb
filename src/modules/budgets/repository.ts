import type { Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface ResellerBudgetsTable {
  account_id: number;
  resource: string;
  quota: number;
  used: number;
  updated_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    reseller_budgets: ResellerBudgetsTable;
  }
}

export type BudgetRow = Selectable<ResellerBudgetsTable>;

export class BudgetRepository {
  constructor(private readonly db: Executor) {}

  async rowsOf(accountId: number): Promise<BudgetRow[]> {
    const rows = await this.db.selectFrom("reseller_budgets").selectAll().where("account_id", "=", accountId).execute();
    return rows.map((r) => ({ ...r, quota: Number(r.quota), used: Number(r.used) }));
  }

  async replace(accountId: number, rows: BudgetRow[]): Promise<void> {
    await this.db.deleteFrom("reseller_budgets").where("account_id", "=", accountId).execute();
    if (rows.length > 0) await this.db.insertInto("reseller_budgets").values(rows).execute();
  }

  /**
   * Takes `amount` from the budget in one statement, only if it fits: the check and the write are
   * one atomic step, so concurrent writers can never overshoot (PostgreSQL re-checks the condition
   * after the row lock; SQLite runs one writer at a time). False when it does not fit.
   */
  async take(accountId: number, resource: string, amount: number, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable("reseller_budgets")
      .set((eb) => ({ used: eb("used", "+", amount), updated_at: at }))
      .where("account_id", "=", accountId)
      .where("resource", "=", resource)
      .where((eb) => eb.or([eb("quota", "=", -1), eb(eb("used", "+", amount), "<=", eb.ref("quota"))]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async giveBack(accountId: number, resource: string, amount: number, at: string): Promise<void> {
    await this.db
      .updateTable("reseller_budgets")
      .set((eb) => ({ used: eb("used", "-", amount), updated_at: at }))
      .where("account_id", "=", accountId)
      .where("resource", "=", resource)
      .execute();
  }

  /** The resources JSON of every live customer of the account, to recount what is handed out. */
  async liveCustomerResources(accountId: number): Promise<string[]> {
    const rows = await this.db.selectFrom("customers").select("resources").where("owner_id", "=", accountId).where("deleted_at", "is", null).execute();
    return rows.map((r) => r.resources);
  }
}
