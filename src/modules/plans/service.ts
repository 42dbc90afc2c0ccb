import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, conflict, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { resolveOwnerAccount } from "../accounts/owner.js";
import { AccountRepository } from "../accounts/repository.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerWriteHook } from "../customers/service.js";
import { PlanOps } from "./operations.js";
import { type PlanKey, PlanRepository, type PlanRow, type PlanScope, rowToPlan } from "./repository.js";
import { type Plan, type PlanCreateInput, type PlanPatchInput, planCreateSchema, planPatchSchema } from "./schema.js";

/** The (owner, name) index names a different column on each database; the clash is the name's. */
async function sameName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict" && error.issues[0]?.code === "already_exists") throw conflict("name", "The owner already has a hosting plan with this name");
    throw error;
  }
}

function scopeOf(ctx: Context): PlanScope {
  return ctx.principal.kind === "reseller" ? { resellerId: ctx.principal.id } : {};
}

/** `42` or `id:42` is an id; `name:Basic` or any other text is a name. */
export function parsePlanRef(ref: string | number): PlanKey {
  if (typeof ref === "number") return { kind: "id", value: ref };
  const m = /^(id|name):(.*)$/s.exec(ref);
  if (m?.[1] === "name") return { kind: "name", value: m[2] ?? "" };
  const idText = m?.[1] === "id" ? (m[2] ?? "") : ref;
  if (/^\d{1,15}$/.test(idText)) return { kind: "id", value: Number(idText) };
  if (m?.[1] === "id") throw validationFailed([{ field: "id", code: "invalid_format", message: "must be a positive integer" }]);
  return { kind: "name", value: ref };
}

/**
 * Hosting plans: named sets of resource limits and switches. Assigning a plan to a customer
 * (resources.hosting_plan_id on create or update) copies the plan's values into the customer at
 * that moment; changing or deleting the plan later leaves existing customers exactly as they
 * are, so no customer's limits move without a write to that customer. Sending the plan id again
 * in a customer update copies the plan's current values.
 *
 * Each public method is one operation: authorize, validate with its schema, one transaction.
 */
export class PlanService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(ctx: Context, input: unknown): Promise<Plan> {
    authorize(ctx, PlanOps.create);
    const data: PlanCreateInput = parseOrThrow(planCreateSchema, input);
    return sameName(() => this.storage.transaction(async (trx) => {
      const ownerId = await resolveOwnerAccount(trx, ctx, data.owner_id);
      const now = this.clock.now().toISOString();
      const row = await new PlanRepository(trx).insert({
        owner_id: ownerId,
        name: data.name,
        description: data.description ?? "",
        resources: JSON.stringify(data.resources),
        created_at: now,
        updated_at: now,
        version: 1,
      });
      const plan = rowToPlan(row);
      await this.audit.record(trx, ctx, { operation: PlanOps.create.name, targetType: "hosting_plan", targetId: plan.id, before: null, after: { ...plan } });
      return plan;
    }));
  }

  async get(ctx: Context, ref: string | number): Promise<Plan> {
    authorize(ctx, PlanOps.get);
    return rowToPlan(await this.findRow(this.storage.db, ctx, ref));
  }

  async list(ctx: Context, query: { limit: number; startingAfter?: number | undefined; name?: string | undefined }): Promise<{ data: Plan[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, PlanOps.list);
    const rows = await new PlanRepository(this.storage.db).list(scopeOf(ctx), query.limit + 1, query.startingAfter, query.name);
    const page = rows.slice(0, query.limit);
    const hasMore = rows.length > query.limit;
    const last = page[page.length - 1];
    return { data: page.map(rowToPlan), has_more: hasMore, next_cursor: hasMore && last ? String(last.id) : null };
  }

  async update(ctx: Context, ref: string | number, input: unknown): Promise<Plan> {
    authorize(ctx, PlanOps.update);
    const patch: PlanPatchInput = parseOrThrow(planPatchSchema, input);
    return sameName(() => this.storage.transaction(async (trx) => {
      const row = await this.findWritable(trx, ctx, ref);
      const before = rowToPlan(row);
      const changes: Partial<PlanRow> = { updated_at: this.clock.now().toISOString() };
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.description !== undefined) changes.description = patch.description;
      if (patch.resources !== undefined) changes.resources = JSON.stringify({ ...before.resources, ...patch.resources });
      const changed = await new PlanRepository(trx).update(row.id, row.version, changes);
      if (!changed) throw new AppError("precondition_failed", "The hosting plan was changed concurrently; read it again and retry");
      const after = rowToPlan(changed);
      await this.audit.record(trx, ctx, { operation: PlanOps.update.name, targetType: "hosting_plan", targetId: after.id, before: { ...before }, after: { ...after } });
      return after;
    }));
  }

  /** Deletes the plan; customers that were given its values keep them. Returns the plan as it was. */
  async delete(ctx: Context, ref: string | number): Promise<Plan> {
    authorize(ctx, PlanOps.delete);
    return this.storage.transaction(async (trx) => {
      const row = await this.findWritable(trx, ctx, ref);
      await new PlanRepository(trx).delete(row.id);
      const before = rowToPlan(row);
      await this.audit.record(trx, ctx, { operation: PlanOps.delete.name, targetType: "hosting_plan", targetId: before.id, before: { ...before }, after: null });
      return before;
    });
  }

  /**
   * The customer-write hook: a positive `resources.hosting_plan_id` in a create or update copies
   * that plan's values over the customer's resources (the plan wins over values sent
   * alongside it). The plan must belong to the customer's owner or to an operator.
   */
  customerHook(): CustomerWriteHook {
    return {
      prepare: async (trx, _ctx, { next, patch }) => {
        const requested = (patch.resources as { hosting_plan_id?: number | null } | undefined)?.hosting_plan_id;
        if (requested === undefined || requested === null || requested === 0) return;
        const owner = await new AccountRepository(trx).findById(next.owner_id);
        const scope: PlanScope = owner?.kind === "reseller" ? { resellerId: owner.id } : {};
        const row = await new PlanRepository(trx).find({ kind: "id", value: requested }, scope);
        if (!row) {
          throw validationFailed([{ field: "resources.hosting_plan_id", code: "invalid_value", message: `no hosting plan ${requested} is available to the customer's owner` }]);
        }
        next.resources = { ...next.resources, ...rowToPlan(row).resources, hosting_plan_id: row.id };
      },
    };
  }

  private async findRow(db: Executor, ctx: Context, ref: string | number): Promise<PlanRow> {
    const row = await new PlanRepository(db).find(parsePlanRef(ref), scopeOf(ctx));
    if (!row) throw notFound("Hosting plan");
    return row;
  }

  /** A reseller reads the operators' plans but changes only its own. */
  private async findWritable(db: Executor, ctx: Context, ref: string | number): Promise<PlanRow> {
    const row = await this.findRow(db, ctx, ref);
    if (ctx.principal.kind === "reseller" && row.owner_id !== ctx.principal.id) throw new AppError("forbidden", "Only the account that owns a hosting plan may change it");
    return row;
  }
}
