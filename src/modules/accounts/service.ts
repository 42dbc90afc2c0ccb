import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { notFound } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import { AccountOps } from "./operations.js";
import { AccountRepository, type AccountRow } from "./repository.js";
import { type AccountView, resellerCreateSchema } from "./schema.js";

export function accountToView(row: AccountRow): AccountView {
  return {
    object: "account",
    id: row.id,
    kind: row.kind as "operator" | "reseller",
    name: row.name,
    email: row.email,
    parent_id: row.parent_id,
    status: row.status,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Reseller accounts: the tenants that own customers. Only operators manage them. */
export class AccountService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async createReseller(ctx: Context, input: unknown): Promise<AccountView> {
    authorize(ctx, AccountOps.createReseller);
    const data = parseOrThrow(resellerCreateSchema, input);
    return this.storage.transaction(async (trx) => {
      const repo = new AccountRepository(trx);
      const now = this.clock.now().toISOString();
      const parent = ctx.principal.id > 0 ? ctx.principal.id : ((await repo.firstOperator())?.id ?? null);
      const row = await repo.insert({ kind: "reseller", name: data.name, email: data.email, parent_id: parent, status: "active", created_at: now, updated_at: now });
      const view = accountToView(row);
      await this.audit.record(trx, ctx, { operation: AccountOps.createReseller.name, targetType: "account", targetId: row.id, before: null, after: view });
      return view;
    });
  }

  async listResellers(ctx: Context, query: { limit: number; startingAfter?: number }): Promise<{ data: AccountView[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, AccountOps.listResellers);
    const rows = await new AccountRepository(this.storage.db).list("reseller", query.limit + 1, query.startingAfter);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const hasMore = rows.length > query.limit;
    return { data: page.map(accountToView), has_more: hasMore, next_cursor: hasMore && last ? String(last.id) : null };
  }

  async getReseller(ctx: Context, id: number): Promise<AccountView> {
    authorize(ctx, AccountOps.getReseller);
    const row = await new AccountRepository(this.storage.db).findById(id);
    if (row?.kind !== "reseller") throw notFound("Reseller");
    return accountToView(row);
  }
}
