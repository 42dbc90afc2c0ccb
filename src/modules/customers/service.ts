import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import { randomToken } from "../../core/ids.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { resolveOwnerAccount } from "../accounts/owner.js";
import { AccountRepository } from "../accounts/repository.js";
import type { AuditService } from "../audit/service.js";
import { ADMIN_ONLY_FIELDS, MERGED_FIELDS } from "./fields.js";
import { parseListQuery } from "./list-query.js";
import { findVisibleCustomer, scopeOf } from "./lookup.js";
import { checkNameRule, makeHandle, newCustomerState } from "./new-customer.js";
import { CustomerOps } from "./operations.js";
import {
  type CustomerKey,
  changedColumns,
  CustomerRepository,
  type CustomerRow,
  type CustomerState,
  type NewRow,
  rowToCustomer,
  stateToColumns,
} from "./repository.js";
import {
  type Customer,
  type CustomerCreateInput,
  type CustomerPatchInput,
  type Filter,
  type RawListQuery,
  type ListPage,
  type ListQuery,
  customerCreateSchema,
  customerMoveSchema,
  customerPatchSchema,
} from "./schema.js";

export interface CustomerServiceOptions {
  /** Prefix of generated login names (a reseller's customer prefix). */
  loginPrefix: string;
}





/**
 * Other modules take part in a customer write inside its transaction: `prepare` may fill in the
 * state about to be written (a hosting plan's limits), `written` sees the row before and after
 * (reseller budgets). Either may throw to refuse the whole write.
 */
export interface CustomerWriteHook {
  prepare?(trx: Executor, ctx: Context, change: { before: Customer | null; next: CustomerState; patch: Record<string, unknown> }): Promise<void>;
  written?(trx: Executor, ctx: Context, change: { before: Customer | null; after: Customer | null }): Promise<void>;
  /**
   * Bulk create (`createMany`), instead of `written` once per customer: runs once per batch,
   * before the rows are inserted, with the customers in input order. It books for each what
   * `written` would have booked for its create, one after the other, and returns an error for
   * each one `written` would have refused (booking nothing for it), null for the others.
   */
  createdMany?(trx: Executor, ctx: Context, created: Customer[]): Promise<(AppError | null)[]>;
}

/** One customer of a bulk create: its parsed, owner-resolved state and the fields it was given (the `patch` hooks see). */
export interface NewCustomer {
  state: CustomerState;
  fields: Record<string, unknown>;
}

/** What `createMany` did with one input: the stored customer, or the error a single create would have thrown. */
export type CreateOutcome = { customer: Customer; error?: undefined } | { customer?: undefined; error: AppError };

/** A customer as the audit log reads it (read only there: diffs and redaction build new objects). */
export const snapshot = (c: Customer): Record<string, unknown> => c as unknown as Record<string, unknown>;

export class CustomerService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly options: CustomerServiceOptions,
  ) {}

  async create(ctx: Context, input: unknown): Promise<Customer> {
    authorize(ctx, CustomerOps.create);
    const data: CustomerCreateInput = parseOrThrow(customerCreateSchema, input);
    const ownerId = await this.resolveOwner(ctx, data.owner_id);
    const state = newCustomerState(data, ownerId);
    checkNameRule(state);
    const { owner_id: _o, ...fields } = data;
    // The command's transaction is joined without a savepoint: nothing here recovers from a failure.
    return this.storage.transaction(
      async (trx) => {
        const repo = new CustomerRepository(trx);
        await this.prepare(trx, ctx, null, state, fields as Record<string, unknown>);
        const now = this.clock.now().toISOString();
        const values = { ...stateToColumns(state), created_at: now, updated_at: now, deleted_at: null, version: 1 };
        const generates = !state.login || !state.customer_number;
        // The usual case: the row is written once, with the login (prefix + id) and number
        // generated from an id reserved first. If any unique key is taken (the generated login
        // chosen by someone already, a drawn handle, or a conflict the slower path reports
        // precisely), nothing is written and the slower path runs with the same id.
        const id = generates ? (await repo.reserveIds(1, this.storage.dialect))[0] : undefined;
        const row =
          (id !== undefined &&
            (await repo.insertIfKeysFree({
              ...values,
              id,
              login: state.login || `${this.options.loginPrefix}${id}`,
              customer_number: state.customer_number || String(10000 + id),
              handle: makeHandle(state),
            }))) ||
          (await this.insertCarefully(repo, state, values, id));
        const customer = rowToCustomer(row);
        await this.written(trx, ctx, null, customer);
        await this.audit.record(trx, ctx, { operation: CustomerOps.create.name, targetType: "customer", targetId: customer.id, before: null, after: snapshot(customer), createsSubject: true });
        return customer;
      },
      { savepoint: false },
    );
  }

  /**
   * The general path of a create: a drawn handle that collides is drawn again, a generated login
   * someone already chose explicitly becomes the next free one, and any other taken key is
   * reported as the conflict it is.
   */
  private async insertCarefully(repo: CustomerRepository, state: CustomerState, values: Omit<NewRow, "handle" | "login" | "customer_number">, id: number | undefined): Promise<CustomerRow> {
    const placeholder = `~${randomToken(9)}`;
    const keys = { login: state.login || placeholder, customer_number: state.customer_number || placeholder, ...(id === undefined ? {} : { id }) };
    // A generated handle can collide with an existing one: the insert then writes nothing
    // (no error, the transaction stays usable) and a new handle is drawn.
    let row: CustomerRow | undefined;
    for (let attempt = 1; !row; attempt++) {
      row = await repo.insertUnlessHandleTaken({ ...values, ...keys, handle: makeHandle(state) });
      if (!row && attempt >= 5) throw new AppError("conflict", "Could not draw a free customer handle", { issues: [{ field: "handle", code: "conflict", message: "is taken" }] });
    }
    if (state.login && state.customer_number) return row;
    const number = state.customer_number || String(10000 + row.id);
    // The usual login (prefix + id) in the same statement unless someone chose it already.
    const base = `${this.options.loginPrefix}${row.id}`;
    const generated = state.login ? undefined : await repo.setGeneratedKeysIfFree(row.id, base, number);
    return generated ?? (await repo.setGeneratedKeys(row.id, state.login || (await this.generateLogin(repo, row.id)), number));
  }

  private async generateLogin(repo: CustomerRepository, id: number): Promise<string> {
    const base = `${this.options.loginPrefix}${id}`;
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? base : `${base}-${n}`;
      if (!(await repo.loginExists(candidate))) return candidate;
    }
  }

  /** The account a new customer of `ctx` belongs to (bulk import resolves it once per run). */
  resolveOwner(ctx: Context, requested: number | undefined): Promise<number> {
    return resolveOwnerAccount(this.storage.db, ctx, requested);
  }

  async get(ctx: Context, ref: string | CustomerKey): Promise<Customer> {
    authorize(ctx, CustomerOps.get);
    const row = await this.findRow(this.storage.db, ctx, ref);
    return visibleTo(ctx, rowToCustomer(row));
  }

  private findRow(db: Executor, ctx: Context, ref: string | CustomerKey): Promise<CustomerRow> {
    return findVisibleCustomer(db, ctx, ref);
  }

  /**
   * `options.unchangeable` names fields this call may repeat but not change (a protocol whose
   * update carries the whole record, where some fields are fixed after creation).
   */
  async update(ctx: Context, ref: string | CustomerKey, input: unknown, expectedVersion?: number, options: { unchangeable?: readonly string[] } = {}): Promise<Customer> {
    authorize(ctx, CustomerOps.update);
    const patch: CustomerPatchInput = parseOrThrow(customerPatchSchema, input);
    if (ctx.principal.kind === "customer" && patch.email !== undefined) {
      // The address that receives password resets changes only through the confirmed flow.
      throw new AppError("forbidden", "A customer changes its e-mail address through the confirmed e-mail change (POST /v1/me/email-change)", {
        issues: [{ field: "email", code: "not_allowed", message: "is changed by confirming a token mailed to the new address" }],
      });
    }
    if (ctx.principal.kind === "customer") {
      const refused = Object.keys(patch).filter((k) => ADMIN_ONLY_FIELDS.has(k));
      if (refused.length > 0) {
        throw new AppError("forbidden", `A customer cannot change ${refused.join(", ")}`, {
          issues: refused.map((field) => ({ field, code: "not_allowed", message: "can be changed only by the owning reseller or an operator" })),
        });
      }
    }
    const updated = await this.storage.transaction(async (trx) => {
      const row = await this.findRow(trx, ctx, ref);
      if (row.deleted_at !== null) throw new AppError("invalid_state_transition", "A deleted customer cannot be updated");
      if (expectedVersion !== undefined && expectedVersion !== row.version) {
        throw new AppError("precondition_failed", `The customer is at version ${row.version}, not ${expectedVersion}`);
      }
      const before = rowToCustomer(row);
      const next = applyPatch(before, patch);
      const fixed = (options.unchangeable ?? []).filter((k) => (before as Record<string, unknown>)[k] !== (next as Record<string, unknown>)[k]);
      if (fixed.length > 0) {
        throw validationFailed(fixed.map((field) => ({ field, code: "not_allowed", message: "cannot be changed after creation" })));
      }
      checkNameRule(next);
      await this.prepare(trx, ctx, before, next, patch as Record<string, unknown>);
      const changed = await new CustomerRepository(trx).update(row, {
        ...changedColumns(row, stateToColumns(next)),
        updated_at: this.clock.now().toISOString(),
      });
      if (!changed) throw new AppError("precondition_failed", "The customer was changed concurrently; read it again and retry");
      const after = rowToCustomer(changed);
      await this.written(trx, ctx, before, after);
      await this.audit.record(trx, ctx, { operation: CustomerOps.update.name, targetType: "customer", targetId: after.id, before: snapshot(before), after: snapshot(after) });
      return after;
    }, { savepoint: false });
    if (patch.api_allowed !== undefined) this.storage.afterCommit(() => this.accessChanged(updated.id));
    return visibleTo(ctx, updated);
  }

  /** Soft delete: the record stays as a tombstone (deleted: true) until purged. */
  async delete(ctx: Context, ref: string | CustomerKey, expectedVersion?: number): Promise<Customer> {
    authorize(ctx, CustomerOps.delete);
    const deleted = await this.storage.transaction(async (trx) => {
      const row = await this.findRow(trx, ctx, ref);
      if (row.deleted_at !== null) throw new AppError("invalid_state_transition", "The customer is already deleted");
      if (expectedVersion !== undefined && expectedVersion !== row.version) {
        throw new AppError("precondition_failed", `The customer is at version ${row.version}, not ${expectedVersion}`);
      }
      const now = this.clock.now().toISOString();
      const changed = await new CustomerRepository(trx).update(row, { status: "deleted", deleted_at: now, updated_at: now });
      if (!changed) throw new AppError("precondition_failed", "The customer was changed concurrently; read it again and retry");
      const before = rowToCustomer(row);
      const after = rowToCustomer(changed);
      await this.written(trx, ctx, before, after);
      await this.audit.record(trx, ctx, { operation: CustomerOps.delete.name, targetType: "customer", targetId: row.id, before: snapshot(before), after: snapshot(after) });
      return after;
    });
    this.storage.afterCommit(() => this.accessChanged(deleted.id));
    return deleted;
  }

  /** Hard delete: removes the customer row and everything that references it. */
  async purge(ctx: Context, ref: string | CustomerKey): Promise<void> {
    authorize(ctx, CustomerOps.purge);
    const purgedId = await this.storage.transaction(async (trx) => {
      const row = await this.findRow(trx, ctx, ref);
      await this.written(trx, ctx, rowToCustomer(row), null);
      for (const hook of this.purgeHooks) await hook(trx, row.id);
      await new CustomerRepository(trx).hardDelete(row.id);
      await this.audit.record(trx, ctx, { operation: CustomerOps.purge.name, targetType: "customer", targetId: row.id, tenantId: row.owner_id, before: snapshot(rowToCustomer(row)), after: null });
      return row.id;
    });
    this.storage.afterCommit(() => this.accessChanged(purgedId));
  }


  private readonly accessListeners: ((customerId: number) => void)[] = [];

  /** Caches of who may authenticate (verified API keys) listen here. */
  onAccessChange(listener: (customerId: number) => void): void {
    this.accessListeners.push(listener);
  }

  /**
   * Says, after commit, that a customer's right to authenticate may have changed (status,
   * api_allowed, deletion). Other domain services that change status call it too.
   */
  accessChanged(customerId: number): void {
    for (const listener of this.accessListeners) listener(customerId);
  }

  private readonly writeHooks: CustomerWriteHook[] = [];

  /** Modules that take part in every customer write (see CustomerWriteHook). */
  onWrite(hook: CustomerWriteHook): void {
    this.writeHooks.push(hook);
  }

  private async prepare(trx: Executor, ctx: Context, before: Customer | null, next: CustomerState, patch: Record<string, unknown>): Promise<void> {
    for (const h of this.writeHooks) await h.prepare?.(trx, ctx, { before, next, patch });
  }

  private async written(trx: Executor, ctx: Context, before: Customer | null, after: Customer | null): Promise<void> {
    for (const h of this.writeHooks) await h.written?.(trx, ctx, { before, after });
  }

  /**
   * Creates many customers in the caller's transaction (bulk import) under exactly the rules of
   * `create`: every write hook's `prepare` per customer (hosting plan values, package
   * references), the `written` booking (reseller budgets; batched through `createdMany` where a
   * hook has it), generated handle, login and number, and the same audit entry. A customer a
   * rule refuses gets that rule's error and nothing written; the others go in with a few
   * multi-row statements. Inputs have passed the create schema and name rule already.
   */
  async createMany(trx: Executor, ctx: Context, items: NewCustomer[], details?: (index: number) => Record<string, unknown>): Promise<CreateOutcome[]> {
    authorize(ctx, CustomerOps.create);
    const outcomes: (CreateOutcome | undefined)[] = new Array(items.length);
    const refuse = (i: number, error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      outcomes[i] = { error };
    };
    const hooked = this.writeHooks.filter((h) => h.prepare);
    const accepted: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const { state, fields } = items[i] as NewCustomer;
      try {
        for (const h of hooked) await h.prepare?.(trx, ctx, { before: null, next: state, patch: fields });
        accepted.push(i);
      } catch (error) {
        refuse(i, error);
      }
    }
    const repo = new CustomerRepository(trx);
    const now = this.clock.now().toISOString();
    const states = accepted.map((i) => (items[i] as NewCustomer).state);
    const handles = await this.uniqueHandles(repo, states);
    // Ids are drawn first, so generated logins and numbers go in with the row (no second write).
    const ids = await repo.reserveIds(states.length, this.storage.dialect);
    const logins = await this.generatedLogins(repo, states, ids);
    let rows: CustomerRow[] = states.map((state, k) => {
      const id = ids[k] as number;
      return {
        ...stateToColumns(state),
        id,
        login: state.login || (logins[k] as string),
        customer_number: state.customer_number || String(10000 + id),
        handle: handles[k] as string,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        version: 1,
      };
    });
    let customers = rows.map(rowToCustomer);
    let admitted = accepted;
    for (const h of this.writeHooks) {
      if (!h.createdMany) continue;
      const verdicts = await h.createdMany(trx, ctx, customers);
      const keep = verdicts.map((v, k) => {
        if (v) refuse(admitted[k] as number, v);
        return !v;
      });
      admitted = admitted.filter((_, k) => keep[k]);
      rows = rows.filter((_, k) => keep[k]);
      customers = customers.filter((_, k) => keep[k]);
    }
    await repo.insertMany(rows);
    // A hook without a batch form books one customer at a time; a refusal then ends the batch.
    for (const h of this.writeHooks) {
      if (h.createdMany || !h.written) continue;
      for (const after of customers) await h.written(trx, ctx, { before: null, after });
    }
    await this.audit.recordMany(
      trx,
      ctx,
      customers.map((c, k) => {
        const entry = { operation: CustomerOps.create.name, targetType: "customer", targetId: c.id, tenantId: c.owner_id, before: null, after: snapshot(c) };
        return details ? { ...entry, details: details(admitted[k] as number) } : entry;
      }),
    );
    customers.forEach((customer, k) => {
      outcomes[admitted[k] as number] = { customer };
    });
    return outcomes as CreateOutcome[];
  }

  /** Handles are random; draw again for any that collide with a stored one or another in the batch. */
  private async uniqueHandles(repo: CustomerRepository, states: CustomerState[]): Promise<string[]> {
    const handles = states.map((s) => makeHandle(s));
    for (let round = 0; ; round++) {
      const taken = new Set((await repo.findExisting("handle", handles)).map((r) => r.handle));
      const used = new Set<string>();
      let redrawn = 0;
      handles.forEach((h, i) => {
        if (taken.has(h) || used.has(h)) {
          handles[i] = makeHandle(states[i] as CustomerState);
          redrawn++;
        }
        used.add(handles[i] as string);
      });
      if (redrawn === 0) return handles;
      if (round > 10) throw new AppError("internal", "Could not draw unique customer handles");
    }
  }

  /**
   * Generated logins follow `create`: `<prefix><id>`, with `-n` appended when someone chose that
   * login already (stored, or given explicitly in this batch). States with their own login get "".
   */
  private async generatedLogins(repo: CustomerRepository, states: CustomerState[], ids: number[]): Promise<string[]> {
    const wanted = states.map((s, i) => (s.login ? "" : `${this.options.loginPrefix}${ids[i]}`));
    const taken = new Set((await repo.findExisting("login", wanted.filter((w) => w !== ""))).map((r) => r.login));
    for (const s of states) if (s.login) taken.add(s.login);
    const out: string[] = [];
    for (const base of wanted) {
      if (base === "" || !taken.has(base)) {
        out.push(base);
        continue;
      }
      let n = 1;
      while (taken.has(`${base}-${n}`) || (await repo.loginExists(`${base}-${n}`))) n++;
      taken.add(`${base}-${n}`);
      out.push(`${base}-${n}`);
    }
    return out;
  }

  private readonly purgeHooks: ((trx: Executor, customerId: number) => Promise<void>)[] = [];

  /** Modules that keep rows per customer register here so purge removes them in the same transaction. */
  onPurge(hook: (trx: Executor, customerId: number) => Promise<void>): void {
    this.purgeHooks.push(hook);
  }

  /** Checks a decoded list query (./list-query.ts); every protocol's listing goes through here. */
  parseListQuery(raw: RawListQuery): ListQuery {
    return parseListQuery(raw);
  }

  async list(ctx: Context, query: ListQuery): Promise<ListPage<Customer>> {
    authorize(ctx, CustomerOps.list);
    const page = await new CustomerRepository(this.storage.db).list(query, scopeOf(ctx));
    return { ...page, data: page.data.map((r) => visibleTo(ctx, rowToCustomer(r))) };
  }

  /**
   * Move: hands a customer to another reseller or operator. Everything keyed by
   * the customer id (keys, credentials, audit entries) follows. A move to the current owner is refused.
   */
  async move(ctx: Context, ref: string | CustomerKey, input: unknown): Promise<Customer> {
    authorize(ctx, CustomerOps.move);
    const { owner_id: targetId } = parseOrThrow(customerMoveSchema, input);
    return this.storage.transaction(async (trx) => {
      const row = await this.findRow(trx, ctx, ref);
      if (row.deleted_at !== null) throw new AppError("invalid_state_transition", "A deleted customer cannot be moved");
      const target = await new AccountRepository(trx).findById(targetId);
      if (!target || (target.kind !== "reseller" && target.kind !== "operator")) {
        throw validationFailed([{ field: "owner_id", code: "invalid_value", message: "must be the id of an operator or reseller account" }]);
      }
      if (target.id === row.owner_id) {
        throw new AppError("invalid_state_transition", `The customer already belongs to account ${target.id}`, {
          issues: [{ field: "owner_id", code: "invalid_value", message: "is the current owner; choose another account" }],
        });
      }
      const changed = await new CustomerRepository(trx).update(row, { owner_id: target.id, updated_at: this.clock.now().toISOString() });
      if (!changed) throw new AppError("precondition_failed", "The customer was changed concurrently; read it again and retry");
      const after = rowToCustomer(changed);
      await this.written(trx, ctx, rowToCustomer(row), after);
      await this.audit.record(trx, ctx, { operation: CustomerOps.move.name, targetType: "customer", targetId: row.id, before: { owner_id: row.owner_id }, after: { owner_id: target.id } });
      return after;
    });
  }

  async count(ctx: Context, filters: Filter[], includeDeleted = false): Promise<number> {
    authorize(ctx, CustomerOps.count);
    return new CustomerRepository(this.storage.db).count({ filters, includeDeleted }, scopeOf(ctx));
  }
}

/** Internal notes reach a customer only when the owner made them visible (notes_visible). */
export function visibleTo(ctx: Context, customer: Customer): Customer {
  if (ctx.principal.kind !== "customer" || customer.notes_visible) return customer;
  return { ...customer, notes: null };
}

function applyPatch(current: Customer, patch: CustomerPatchInput): CustomerState {
  const { object: _o, id: _i, handle: _h, deleted: _d, full_name: _f, created_at: _c, updated_at: _u, deleted_at: _da, version: _v, ...state } = current;
  const next: Record<string, unknown> = { ...state };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (MERGED_FIELDS.has(key) && value !== null) {
      const merged: Record<string, unknown> = { ...(next[key] as Record<string, unknown>), ...(value as Record<string, unknown>) };
      // In metadata an empty string removes the key.
      if (key === "metadata") for (const [k, v] of Object.entries(merged)) if (v === "") delete merged[k];
      next[key] = merged;
    } else {
      next[key] = value;
    }
  }
  return next as CustomerState;
}
