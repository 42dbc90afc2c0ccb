import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, notFound } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { AccountRepository } from "../accounts/repository.js";
import type { AuditService } from "../audit/service.js";
import type { Customer } from "../customers/schema.js";
import type { CustomerWriteHook } from "../customers/service.js";
import { BudgetOps } from "./operations.js";
import { BudgetRepository, type BudgetRow } from "./repository.js";
import { BUDGET_RESOURCES, type Budget, type BudgetResource, budgetSetSchema } from "./schema.js";

/** -1 (unlimited) or a finite amount a customer holds of `resource`; 0 for a customer that is gone. */
function holding(c: Customer | null, resource: BudgetResource): number {
  if (!c || c.deleted) return 0;
  if (resource === "customers") return 1;
  return (c.resources as Record<string, number | undefined>)[resource] ?? 0;
}

const finite = (n: number): number => Math.max(0, n);

/** The account known to have no budget without a read: the operator making the call. */
const unbudgeted = (ctx: Context): number | undefined => (ctx.principal.kind === "operator" ? ctx.principal.id : undefined);

/** The issue field a refusal names: the customer's own field, or "customers" for the count. */
export const budgetField = (resource: BudgetResource): string => (resource === "customers" ? "customers" : `resources.${resource}`);

function toBudget(accountId: number, rows: BudgetRow[]): Budget {
  const byResource = new Map(rows.map((r) => [r.resource, r]));
  const resources = {} as Budget["resources"];
  for (const r of BUDGET_RESOURCES) {
    const row = byResource.get(r);
    const limit = row?.quota ?? -1;
    const used = row?.used ?? 0;
    resources[r] = { limit, used, remaining: limit === -1 ? null : Math.max(0, limit - used) };
  }
  return { object: "budget", account_id: accountId, resources };
}

/**
 * Reseller resource budgets. A reseller with a budget may hold at most `customers` live customers
 * and hand out at most its limit of each quota in total; an unlimited (-1) grant needs an
 * unlimited budget for that resource. Every customer write is checked in its own transaction by
 * an atomic take-if-it-fits (see BudgetRepository.take), so parallel creates never overshoot.
 * Lowering a customer's quota, deleting or moving it away gives the amount back.
 */
export class BudgetService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(ctx: Context, accountId: number): Promise<Budget> {
    authorize(ctx, BudgetOps.get);
    if (ctx.principal.kind === "reseller" && ctx.principal.id !== accountId) throw notFound("Reseller");
    const account = await new AccountRepository(this.storage.db).findById(accountId);
    if (account?.kind !== "reseller") throw notFound("Reseller");
    return toBudget(accountId, await new BudgetRepository(this.storage.db).rowsOf(accountId));
  }

  /** Replaces the limits and recounts what the reseller's live customers hold. */
  async set(ctx: Context, accountId: number, input: unknown): Promise<Budget> {
    authorize(ctx, BudgetOps.set);
    const data = parseOrThrow(budgetSetSchema, input);
    return this.storage.transaction(async (trx) => {
      const account = await new AccountRepository(trx).findById(accountId);
      if (account?.kind !== "reseller") throw notFound("Reseller");
      const repo = new BudgetRepository(trx);
      const before = toBudget(accountId, await repo.rowsOf(accountId));
      const used = new Map<string, number>();
      for (const json of await repo.liveCustomerResources(accountId)) {
        const res = JSON.parse(json) as Record<string, number | undefined>;
        used.set("customers", (used.get("customers") ?? 0) + 1);
        for (const r of BUDGET_RESOURCES) if (r !== "customers") used.set(r, (used.get(r) ?? 0) + finite(res[r] ?? 0));
      }
      const now = this.clock.now().toISOString();
      const rows: BudgetRow[] = [];
      for (const r of BUDGET_RESOURCES) {
        const limit = data[r];
        if (limit !== undefined) rows.push({ account_id: accountId, resource: r, quota: limit, used: used.get(r) ?? 0, updated_at: now });
      }
      await repo.replace(accountId, rows);
      const after = toBudget(accountId, rows);
      await this.audit.record(trx, ctx, { operation: BudgetOps.set.name, targetType: "account", targetId: accountId, before: { ...before }, after: { ...after } });
      return after;
    });
  }

  /** Takes part in every customer write: refuses what does not fit, books what does. */
  customerHook(): CustomerWriteHook {
    return {
      written: (trx, ctx, change) => this.book(trx, change.before, change.after, unbudgeted(ctx)),
      createdMany: (trx, _ctx, created) => this.bookCreates(trx, created),
    };
  }

  /**
   * Bulk create: the verdicts `book` would reach creating these customers one after the other,
   * with one read of each owner's budget and one take per owner and resource for the batch.
   */
  private async bookCreates(trx: Executor, created: Customer[]): Promise<(AppError | null)[]> {
    const repo = new BudgetRepository(trx);
    const budgets = new Map<number, Map<string, BudgetRow>>();
    const taken = new Map<number, Map<BudgetResource, number>>();
    const verdicts: (AppError | null)[] = [];
    for (const after of created) {
      let limits = budgets.get(after.owner_id);
      if (!limits) {
        limits = new Map((await repo.rowsOf(after.owner_id)).map((r) => [r.resource, { ...r }]));
        budgets.set(after.owner_id, limits);
        taken.set(after.owner_id, new Map());
      }
      let refused: AppError | null = null;
      const wants: [BudgetResource, number][] = [];
      for (const resource of BUDGET_RESOURCES) {
        const row = limits.get(resource);
        if (!row) continue;
        const has = holding(after, resource);
        if (has === -1 && row.quota !== -1) refused = refusal(resource, "an unlimited grant needs an unlimited budget", row);
        else if (finite(has) > 0 && row.quota !== -1 && row.used + finite(has) > row.quota) refused = refusal(resource, `needs ${finite(has)} more`, row);
        if (refused) break;
        wants.push([resource, finite(has)]);
      }
      verdicts.push(refused);
      if (refused) continue;
      const mine = taken.get(after.owner_id) as Map<BudgetResource, number>;
      for (const [resource, amount] of wants) {
        if (amount === 0) continue;
        (limits.get(resource) as BudgetRow).used += amount;
        mine.set(resource, (mine.get(resource) ?? 0) + amount);
      }
    }
    const now = this.clock.now().toISOString();
    for (const [owner, amounts] of taken) {
      for (const [resource, amount] of amounts) {
        const row = budgets.get(owner)?.get(resource) as BudgetRow;
        // Checked against the rows read in this transaction; a concurrent writer can still win.
        if (!(await repo.take(owner, resource, amount, now))) throw refusal(resource, `needs ${amount} more`, row);
      }
    }
    return verdicts;
  }

  private async book(trx: Executor, before: Customer | null, after: Customer | null, unbudgetedOwner: number | undefined): Promise<void> {
    const owners = new Set<number>();
    if (before && !before.deleted) owners.add(before.owner_id);
    if (after && !after.deleted) owners.add(after.owner_id);
    // Budgets are set on resellers only: an operator's own customers have none to read.
    if (unbudgetedOwner !== undefined) owners.delete(unbudgetedOwner);
    const repo = new BudgetRepository(trx);
    const now = this.clock.now().toISOString();
    for (const owner of owners) {
      // Nothing this owner holds changes (most profile edits): no budget to read.
      const had = (r: BudgetResource) => (before?.owner_id === owner ? holding(before, r) : 0);
      const has = (r: BudgetResource) => (after?.owner_id === owner ? holding(after, r) : 0);
      if (BUDGET_RESOURCES.every((r) => had(r) === has(r))) continue;
      const rows = await repo.rowsOf(owner);
      if (rows.length === 0) continue;
      const limits = new Map(rows.map((r) => [r.resource, r]));
      for (const resource of BUDGET_RESOURCES) {
        const row = limits.get(resource);
        if (!row) continue;
        const had = before?.owner_id === owner ? holding(before, resource) : 0;
        const has = after?.owner_id === owner ? holding(after, resource) : 0;
        if (has === -1 && had !== -1 && row.quota !== -1) throw refusal(resource, "an unlimited grant needs an unlimited budget", row);
        const delta = finite(has) - finite(had);
        if (delta > 0 && !(await repo.take(owner, resource, delta, now))) throw refusal(resource, `needs ${delta} more`, row);
        if (delta < 0) await repo.giveBack(owner, resource, -delta, now);
      }
    }
  }
}

function refusal(resource: BudgetResource, why: string, row: BudgetRow): AppError {
  const left = Math.max(0, row.quota - row.used);
  const message =
    resource === "customers"
      ? `The reseller has no customers left in its budget (${row.used} of ${row.quota} used)`
      : `${budgetField(resource)} exceeds what the reseller has left: ${why}, ${left} of ${row.quota} remaining`;
  return new AppError("conflict", message, { issues: [{ field: budgetField(resource), code: "exceeds_budget", message }] });
}
