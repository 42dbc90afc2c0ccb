import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import { authorize, type OperationDef } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import { CredentialRepository } from "../credentials/repository.js";
import { PERSONAL_TEXT_FIELDS } from "../customers/fields.js";
import { LOGIN_STATUSES } from "../credentials/service.js";
import { CustomerRepository, type CustomerRow, rowToCustomer } from "../customers/repository.js";
import type { Customer, CustomerStatus } from "../customers/schema.js";
import { findVisibleCustomer } from "../customers/lookup.js";
import type { CustomerService } from "../customers/service.js";
import { LifecycleOps } from "./operations.js";
import { LifecycleRepository } from "./repository.js";
import { type LifecycleView, transitionBodySchema } from "./schema.js";

export type { LifecycleView } from "./schema.js";

export const LIFECYCLE_ACTIONS = ["suspend", "unsuspend", "deactivate", "reactivate", "unlock", "request_cancellation", "withdraw_cancellation", "close"] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

interface Transition {
  op: OperationDef;
  from: readonly CustomerStatus[];
  to: CustomerStatus;
  /** A reason is required and stored (shown back by GET .../lifecycle). */
  reason: boolean;
}

/**
 * The state machine. Deleted (a tombstone) and purged are reached through CustomerService
 * delete/purge; closed is final except for deletion.
 */
export const TRANSITIONS: Record<LifecycleAction, Transition> = {
  suspend: { op: LifecycleOps.suspend, from: ["active", "locked", "deactivated", "cancellation_requested"], to: "suspended", reason: true },
  unsuspend: { op: LifecycleOps.unsuspend, from: ["suspended"], to: "active", reason: false },
  deactivate: { op: LifecycleOps.deactivate, from: ["active", "locked", "suspended"], to: "deactivated", reason: false },
  reactivate: { op: LifecycleOps.reactivate, from: ["deactivated"], to: "active", reason: false },
  unlock: { op: LifecycleOps.unlock, from: ["locked"], to: "active", reason: false },
  request_cancellation: { op: LifecycleOps.requestCancellation, from: ["active"], to: "cancellation_requested", reason: true },
  withdraw_cancellation: { op: LifecycleOps.withdrawCancellation, from: ["cancellation_requested"], to: "active", reason: false },
  close: { op: LifecycleOps.close, from: ["active", "suspended", "deactivated", "locked", "cancellation_requested"], to: "closed", reason: false },
};

/** Statuses a protocol may ask a customer to be in (the rest are reached only by their own actions). */
export const STATUS_TARGETS = ["active", "deactivated", "suspended", "deleted"] as const;
export type StatusTarget = (typeof STATUS_TARGETS)[number];

/**
 * The one step that takes a customer from `from` to `target`: null when it is there already,
 * "delete" for the tombstone, "refused" when no single transition leads there.
 */
export function stepTowards(from: CustomerStatus, target: StatusTarget): LifecycleAction | "delete" | "refused" | null {
  if (from === target) return null;
  if (from === "deleted") return "refused";
  if (target === "deleted") return "delete";
  const candidates: readonly LifecycleAction[] =
    target === "active" ? ["unsuspend", "reactivate", "unlock", "withdraw_cancellation"] : target === "suspended" ? ["suspend"] : ["deactivate"];
  for (const action of candidates) {
    const t = TRANSITIONS[action];
    if (t.to === target && t.from.includes(from)) return action;
  }
  return "refused";
}


/** Customer columns cleared by anonymisation (erasure requests). */
const PERSONAL_TEXT = PERSONAL_TEXT_FIELDS;

/**
 * Customer life cycle: status transitions with reasons and who imposed them. A suspension
 * imposed by an operator can be lifted only by an operator. Leaving a status that may log in
 * ends the customer's sessions in the same transaction.
 */
export class LifecycleService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly customers: CustomerService,
  ) {
    customers.onPurge((trx, customerId) => new LifecycleRepository(trx).delete(customerId));
  }

  async get(ctx: Context, ref: string): Promise<LifecycleView> {
    authorize(ctx, LifecycleOps.read);
    const row = await this.find(this.storage.db, ctx, ref);
    return this.view(row, await new LifecycleRepository(this.storage.db).get(row.id));
  }

  async transition(ctx: Context, ref: string, action: LifecycleAction, input: unknown): Promise<Customer> {
    const t = TRANSITIONS[action];
    authorize(ctx, t.op);
    const body = parseOrThrow(transitionBodySchema, input ?? {});
    if (t.reason && body.reason === undefined) {
      throw new AppError("validation_failed", `reason: is required to ${action.replace("_", " ")}`, { issues: [{ field: "reason", code: "required", message: `is required to ${action.replace("_", " ")}` }] });
    }
    const result = await this.storage.transaction(async (trx) => {
      const row = await this.find(trx, ctx, ref);
      const from = row.status as CustomerStatus;
      if (row.deleted_at !== null || !t.from.includes(from)) {
        throw new AppError("invalid_state_transition", `Cannot ${action.replace("_", " ")}: a customer that is ${row.deleted_at !== null ? "deleted" : from} cannot go to ${t.to} (allowed from: ${t.from.join(", ")})`, {
          issues: [{ field: "status", code: "invalid_value", message: `transition from ${row.deleted_at !== null ? "deleted" : from} to ${t.to} is not allowed` }],
        });
      }
      const lifecycle = new LifecycleRepository(trx);
      const current = await lifecycle.get(row.id);
      if (action === "unsuspend" && current?.imposed_by === "operator" && ctx.principal.kind !== "operator") {
        throw new AppError("forbidden", "This suspension was imposed by the platform operator; only an operator can lift it");
      }
      const now = this.clock.now().toISOString();
      const changed = await new CustomerRepository(trx).update(row, { status: t.to, updated_at: now });
      if (!changed) throw new AppError("precondition_failed", "The customer was changed concurrently; read it again and retry");
      await lifecycle.put({ customer_id: row.id, reason: body.reason ?? "", imposed_by: ctx.principal.kind === "operator" && ctx.principal.id === 0 ? "system" : ctx.principal.kind, changed_at: now });
      const credentials = new CredentialRepository(trx);
      if (!LOGIN_STATUSES.has(t.to)) await credentials.deleteSessionsOf(row.id);
      if (action === "unlock") await credentials.clearFailures("account", String(row.id));
      await this.audit.record(trx, ctx, {
        operation: t.op.name,
        targetType: "customer",
        targetId: row.id,
        before: { status: from },
        after: { status: t.to },
        ...(body.reason !== undefined ? { details: { reason: body.reason } } : {}),
      });
      return rowToCustomer(changed);
    });
    this.storage.afterCommit(() => this.customers.accessChanged(result.id));
    return result;
  }

  /**
   * Erasure request: replaces the personal data of a deleted customer on its tombstone and drops
   * its credentials. The audit entry names the fields cleared, never their old values.
   */
  async anonymise(ctx: Context, ref: string): Promise<Customer> {
    authorize(ctx, LifecycleOps.anonymise);
    return this.storage.transaction(async (trx) => {
      const row = await this.find(trx, ctx, ref);
      if (row.deleted_at === null) {
        throw new AppError("invalid_state_transition", `Cannot anonymise a customer that is ${row.status}; delete it first (anonymisation applies to tombstones)`);
      }
      const changes: Record<string, unknown> = {
        email: `anonymised-${row.id}@anonymised.invalid`,
        login: `anonymised-${row.id}`,
        external_id: null,
        tags: "[]",
        metadata: "{}",
        messaging: "{}",
        registrar: "{}",
        additional_data: "{}",
        extension_data: "[]",
        updated_at: this.clock.now().toISOString(),
      };
      for (const c of PERSONAL_TEXT) changes[c] = "";
      const changed = await new CustomerRepository(trx).update(row, changes as Parameters<CustomerRepository["update"]>[1]);
      if (!changed) throw new AppError("precondition_failed", "The customer was changed concurrently; retry");
      await new CredentialRepository(trx).deleteAllOf(row.id);
      await new LifecycleRepository(trx).delete(row.id);
      // Crypto-shredding: every earlier audit diff about the customer becomes unreadable.
      await this.audit.forgetSubject(trx, row.id);
      await this.audit.record(trx, ctx, { operation: LifecycleOps.anonymise.name, targetType: "customer", targetId: row.id, details: { anonymised: true, fields: [...PERSONAL_TEXT, "email", "login", "external_id", "tags", "metadata"] } });
      return rowToCustomer(changed);
    });
  }

  private find(db: Executor, ctx: Context, ref: string): Promise<CustomerRow> {
    return findVisibleCustomer(db, ctx, ref);
  }

  private view(row: CustomerRow, lc: { reason: string; imposed_by: string; changed_at: string } | undefined): LifecycleView {
    const status = row.deleted_at !== null ? "deleted" : row.status;
    return {
      object: "lifecycle",
      customer_id: row.id,
      status,
      reason: lc?.reason ? lc.reason : null,
      imposed_by: lc?.imposed_by ? lc.imposed_by : null,
      changed_at: lc?.changed_at ?? null,
      can_log_in: row.deleted_at === null && LOGIN_STATUSES.has(row.status),
      allowed_actions: row.deleted_at !== null ? [] : LIFECYCLE_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status as CustomerStatus)),
    };
  }
}
