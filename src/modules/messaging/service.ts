import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import { CustomerRepository, type CustomerState, rowToCustomer } from "../customers/repository.js";
import type { Customer } from "../customers/schema.js";
import { findVisibleCustomer } from "../customers/lookup.js";
import type { CustomerService } from "../customers/service.js";
import { PackageOps, QuotaOps } from "./operations.js";
import { PackageRepository, QuotaRepository, rowToPackage } from "./repository.js";
import {
  type MessagePackage,
  PACKAGE_REFERENCES,
  type PackageKind,
  packageCreateSchema,
  packageListQuerySchema,
  packagePatchSchema,
  QUOTA_FIELDS,
  type QuotaDebitResult,
  type Quotas,
  quotaDebitSchema,
} from "./schema.js";

const KIND_WORDS: Record<PackageKind, string> = { email: "e-mail", sms: "SMS", transactions: "transactional" };

/**
 * The package catalogue. Customers reference packages by id from their `messaging` fields; the
 * check that a reference names a live package of the right kind runs inside the customer's own
 * create/update transaction (registered with CustomerService.onWrite).
 */
export class PackageService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
  ) {
    customers.onWrite({ prepare: (trx, _ctx, { next, before }) => this.checkReferences(trx, next, before) });
  }

  async create(ctx: Context, input: unknown): Promise<MessagePackage> {
    authorize(ctx, PackageOps.create);
    const data = parseOrThrow(packageCreateSchema, input);
    return this.storage.transaction(async (trx) => {
      const now = this.clock.now().toISOString();
      const row = await new PackageRepository(trx).insert({ ...data, description: data.description ?? "", archived_at: null, created_at: now, updated_at: now, version: 1 });
      const view = rowToPackage(row);
      await this.audit.record(trx, ctx, { operation: PackageOps.create.name, targetType: "message_package", targetId: row.id, before: null, after: view });
      return view;
    });
  }

  async get(ctx: Context, id: number): Promise<MessagePackage> {
    authorize(ctx, PackageOps.get);
    const row = await new PackageRepository(this.storage.db).find(id);
    if (!row) throw notFound("Message package");
    return rowToPackage(row);
  }

  async list(ctx: Context, query: unknown): Promise<{ data: MessagePackage[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, PackageOps.list);
    const q = parseOrThrow(packageListQuerySchema, query, "query");
    const rows = await new PackageRepository(this.storage.db).list({ kind: q.kind, includeArchived: q.include_archived === "true", limit: q.limit + 1, afterId: q.starting_after });
    const page = rows.slice(0, q.limit);
    const hasMore = rows.length > q.limit;
    const last = page[page.length - 1];
    return { data: page.map(rowToPackage), has_more: hasMore, next_cursor: hasMore && last ? String(last.id) : null };
  }

  async update(ctx: Context, id: number, input: unknown): Promise<MessagePackage> {
    authorize(ctx, PackageOps.update);
    const patch = parseOrThrow(packagePatchSchema, input);
    return this.storage.transaction(async (trx) => {
      const repo = new PackageRepository(trx);
      const row = await repo.find(id);
      if (!row) throw notFound("Message package");
      const changes: Record<string, unknown> = { updated_at: this.clock.now().toISOString() };
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) changes[k] = v;
      const changed = await repo.update(id, row.version, changes);
      if (!changed) throw new AppError("precondition_failed", "The package was changed concurrently; read it again and retry");
      const [before, after] = [rowToPackage(row), rowToPackage(changed)];
      await this.audit.record(trx, ctx, { operation: PackageOps.update.name, targetType: "message_package", targetId: id, before, after });
      return after;
    });
  }

  /** Archiving keeps the package for the customers that have it; nobody can be given it anew. */
  async archive(ctx: Context, id: number): Promise<MessagePackage> {
    authorize(ctx, PackageOps.archive);
    return this.storage.transaction(async (trx) => {
      const repo = new PackageRepository(trx);
      const row = await repo.find(id);
      if (!row) throw notFound("Message package");
      if (row.archived_at !== null) throw new AppError("invalid_state_transition", "The package is already archived");
      const now = this.clock.now().toISOString();
      const changed = await repo.update(id, row.version, { archived_at: now, updated_at: now });
      if (!changed) throw new AppError("precondition_failed", "The package was changed concurrently; read it again and retry");
      const after = rowToPackage(changed);
      await this.audit.record(trx, ctx, { operation: PackageOps.archive.name, targetType: "message_package", targetId: id, before: rowToPackage(row), after });
      return after;
    });
  }

  /** A reference must name an existing, unarchived package of its kind; an unchanged one stays valid after archiving. */
  private async checkReferences(trx: Executor, next: CustomerState, before: Customer | null): Promise<void> {
    const repo = new PackageRepository(trx);
    const issues = [];
    for (const [field, kind] of Object.entries(PACKAGE_REFERENCES) as [keyof typeof PACKAGE_REFERENCES, PackageKind][]) {
      const id = next.messaging[field];
      if (id === undefined || id === null || id === before?.messaging[field]) continue;
      const row = await repo.find(id);
      const path = `messaging.${field}`;
      if (!row) issues.push({ field: path, code: "invalid_value", message: `no message package has id ${id}` });
      else if (row.kind !== kind) issues.push({ field: path, code: "invalid_value", message: `package ${id} is a ${KIND_WORDS[row.kind as PackageKind]} package, not a ${KIND_WORDS[kind]} one` });
      else if (row.archived_at !== null) issues.push({ field: path, code: "invalid_value", message: `package ${id} is archived and cannot be assigned` });
    }
    if (issues.length > 0) throw validationFailed(issues);
  }
}

/**
 * Prepaid quotas. The balances live on the customer (`messaging.email_send_quota`, `.sms_quota`,
 * `.transactions_quota`), set through a customer update; consumption goes through `debit` only.
 */
export class QuotaService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
  ) {
    customers.onPurge((trx, customerId) => new QuotaRepository(trx, storage.dialect).deleteOf(customerId));
  }

  async get(ctx: Context, ref: string): Promise<Quotas> {
    authorize(ctx, QuotaOps.read);
    const row = await findVisibleCustomer(this.storage.db, ctx, ref);
    const m = rowToCustomer(row).messaging;
    return {
      object: "quotas",
      customer_id: row.id,
      email: m.email_send_quota ?? 0,
      sms: m.sms_quota ?? 0,
      transactions: m.transactions_quota ?? 0,
      email_package_id: m.email_package_id ?? null,
      sms_package_id: m.sms_package_id ?? null,
      transactions_package_id: m.transactions_package_id ?? null,
    };
  }

  /**
   * Debits `units` from one prepaid quota for one message. The customer's row is locked for the
   * transaction, so concurrent debits are applied one after another and the balance is exact; a
   * debit that would take the balance below zero is refused whole. The same message id again
   * answers the first debit (replayed: true) without debiting twice; with other units or for
   * another quota kind it is refused.
   */
  async debit(ctx: Context, ref: string, input: unknown): Promise<QuotaDebitResult> {
    authorize(ctx, QuotaOps.debit);
    const data = parseOrThrow(quotaDebitSchema, input);
    const field = QUOTA_FIELDS[data.kind];
    return this.storage.transaction(async (trx) => {
      const customers = new CustomerRepository(trx);
      const quotas = new QuotaRepository(trx, this.storage.dialect);
      const found = await findVisibleCustomer(trx, ctx, ref);
      await quotas.lockCustomer(found.id);
      const previous = await quotas.findDebit(found.id, data.kind, data.message_id);
      if (previous) {
        if (Number(previous.units) !== data.units) {
          throw new AppError("idempotency_key_reused", `Message ${data.message_id} was already debited ${previous.units} ${data.kind} units, not ${data.units}`, {
            issues: [{ field: "message_id", code: "already_exists", message: `was debited with units ${previous.units}` }],
          });
        }
        return { object: "quota_debit", customer_id: found.id, kind: data.kind, message_id: data.message_id, units: data.units, balance: Number(previous.balance_after), replayed: true, created_at: previous.created_at };
      }
      // Re-read under the lock: the balance before the lock may already be stale.
      const row = await customers.find({ kind: "id", value: found.id }, {});
      if (!row) throw notFound("Customer");
      if (row.deleted_at !== null) throw new AppError("invalid_state_transition", "A deleted customer's quota cannot be debited");
      const customer = rowToCustomer(row);
      const balance = customer.messaging[field] ?? 0;
      if (data.units > balance) {
        throw new AppError("conflict", `Not enough ${KIND_WORDS[data.kind]} quota: ${balance} left, ${data.units} asked`, {
          issues: [{ field: "units", code: "out_of_range", message: `exceeds the remaining ${KIND_WORDS[data.kind]} quota of ${balance}` }],
        });
      }
      const now = this.clock.now().toISOString();
      const messaging = { ...customer.messaging, [field]: balance - data.units };
      const changed = await customers.update(row, { messaging: JSON.stringify(messaging), updated_at: now });
      if (!changed) throw new AppError("precondition_failed", "The customer was changed concurrently; retry");
      const debit = await quotas.insertDebit({ customer_id: row.id, kind: data.kind, message_id: data.message_id, units: data.units, balance_after: balance - data.units, created_at: now });
      await this.audit.record(trx, ctx, {
        operation: QuotaOps.debit.name,
        targetType: "customer",
        targetId: row.id,
        before: { [field]: balance },
        after: { [field]: balance - data.units },
        details: { message_id: data.message_id, units: data.units },
      });
      return { object: "quota_debit", customer_id: row.id, kind: data.kind, message_id: data.message_id, units: data.units, balance: Number(debit.balance_after), replayed: false, created_at: now };
    });
  }
}
