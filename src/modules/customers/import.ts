import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, type FieldIssue, notFound } from "../../core/errors.js";
import { randomToken } from "../../core/ids.js";
import { authorize } from "../../core/operations.js";
import { zodIssuesToFieldIssues } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { Outbox } from "../events/outbox.js";
import { ImportRunRepository, type ImportRunRow } from "./import-repository.js";
import { CustomerBulkOps } from "./operations.js";
import { CustomerRepository, type ExistingKeys } from "./repository.js";
import { type Customer, type CustomerCreateInput, customerCreateSchema } from "./schema.js";
import { scopeOf } from "./lookup.js";
import { checkNameRule, newCustomerState } from "./new-customer.js";
import { type CustomerService, type NewCustomer, snapshot } from "./service.js";

/** One input record, as the caller decoded it, with the line it came from (for error reports). */
export interface ImportRow {
  line: number;
  data: Record<string, unknown>;
}

/** One thing wrong with one row: every bad row is reported with its line and the field at fault. */
export interface ImportIssue extends FieldIssue {
  line: number;
}

export interface ImportBatchResult {
  created: number;
  /** Rows whose customer already exists (same external id, else same e-mail): imports are idempotent. */
  skipped: number;
  failed: number;
  issues: ImportIssue[];
}

export interface ImportRunView {
  id: string;
  owner_id: number;
  /** Lines up to this one are committed; a resumed run continues after it. */
  last_line: number;
  created: number;
  skipped: number;
  failed: number;
  status: string;
  resumed: boolean;
}

/** Keys seen earlier in the same input; a dry run passes it from batch to batch to find repeats across batches. */
export interface ImportSeen {
  external: Set<string>;
  email: Set<string>;
  login: Set<string>;
  number: Set<string>;
}

export const newImportSeen = (): ImportSeen => ({ external: new Set(), email: new Set(), login: new Set(), number: new Set() });

interface Candidate extends NewCustomer {
  line: number;
}

/** A rule's refusal of one row as that row's issues (a refusal without field issues names the row). */
function rowIssues(line: number, error: AppError): ImportIssue[] {
  if (error.issues.length > 0) return error.issues.map((i) => ({ ...i, line }));
  return [{ line, field: "(row)", code: error.code, message: error.message }];
}

/** Thrown to roll a dry run's transaction back. */
const DRY_RUN = new Error("dry run: rolled back");

const runView = (row: ImportRunRow, resumed: boolean): ImportRunView => ({
  id: row.id,
  owner_id: row.owner_id,
  last_line: row.last_line,
  created: row.created,
  skipped: row.skipped,
  failed: row.failed,
  status: row.status,
  resumed,
});

/**
 * Bulk creation of customers (CLI `import customers`). Each row passes the same schema and
 * name rule as `CustomerService.create`, then `CustomerService.createMany`, which applies the
 * same create rules (write hooks: plans, packages, budgets), keys and audit entry; each created
 * customer emits `customer.created` like a single create. The work is batched — one
 * transaction and a few multi-row statements per batch — instead of a transaction per row. Rows whose
 * customer already exists (external id, else e-mail) are skipped, so running an import twice,
 * or resuming an interrupted one, creates nobody twice.
 */
export class CustomerImportService {
  constructor(
    private readonly storage: Storage,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly customers: CustomerService,
  ) {}

  /** Opens a run for `source`, or resumes the caller's unfinished run over the same input. */
  async begin(ctx: Context, input: { source: string; ownerId?: number | undefined; restart?: boolean; cacheMb?: number | undefined }): Promise<ImportRunView> {
    authorize(ctx, CustomerBulkOps.import);
    const ownerId = await this.customers.resolveOwner(ctx, input.ownerId);
    this.storage.prepareBulkLoad(input.cacheMb);
    const repo = new ImportRunRepository(this.storage.db);
    const open = await repo.findOpen(input.source, ctx.principal.kind, ctx.principal.id);
    const now = this.clock.now().toISOString();
    if (open && !input.restart && open.owner_id === ownerId) return runView(open, true);
    if (open) await repo.finish(open.id, "abandoned", now);
    const row: ImportRunRow = {
      id: `imp_${randomToken(9)}`,
      source: input.source,
      actor_kind: ctx.principal.kind,
      actor_id: ctx.principal.id,
      owner_id: ownerId,
      status: "running",
      last_line: 0,
      created: 0,
      skipped: 0,
      failed: 0,
      started_at: now,
      updated_at: now,
    };
    await repo.insert(row);
    return runView(row, false);
  }

  async finish(ctx: Context, runId: string): Promise<ImportRunView> {
    authorize(ctx, CustomerBulkOps.import);
    const repo = new ImportRunRepository(this.storage.db);
    const run = await this.ownRun(this.storage.db, ctx, runId);
    await repo.finish(run.id, "done", this.clock.now().toISOString());
    return runView({ ...run, status: "done" }, false);
  }

  /**
   * Checks rows without writing: schema, name rule, collisions with existing customers, and the
   * create rules (hosting plan, package references, budget), which run as in an import inside a
   * transaction that is then rolled back. Budgets are judged per batch: what earlier batches of
   * the same dry run would have taken is not counted.
   */
  async check(ctx: Context, rows: ImportRow[], options: { ownerId?: number | undefined; seen?: ImportSeen } = {}): Promise<ImportBatchResult> {
    authorize(ctx, CustomerBulkOps.import);
    const owner = await this.customers.resolveOwner(ctx, options.ownerId);
    let result: ImportBatchResult | undefined;
    try {
      await this.storage.transaction(async (trx) => {
        const plan = await this.plan(trx, ctx, rows, owner, options.seen ?? newImportSeen());
        const outcomes = await this.customers.createMany(trx, ctx, plan.create);
        let created = 0;
        outcomes.forEach((o, i) => {
          if (o.customer) created++;
          else plan.issues.push(...rowIssues((plan.create[i] as Candidate).line, o.error));
        });
        plan.issues.sort((a, b) => a.line - b.line);
        result = { created, skipped: plan.skipped, failed: new Set(plan.issues.map((i) => i.line)).size, issues: plan.issues };
        throw DRY_RUN;
      });
    } catch (error) {
      if (error !== DRY_RUN) throw error;
    }
    return result as ImportBatchResult;
  }

  /**
   * Imports one batch in one transaction and moves the run's checkpoint to `lastLine` in the
   * same transaction, so after a crash a batch is either wholly in (and skipped on resume) or not.
   */
  async importBatch(ctx: Context, runId: string, rows: ImportRow[], lastLine: number): Promise<ImportBatchResult> {
    authorize(ctx, CustomerBulkOps.import);
    return this.storage.transaction(async (trx) => {
      const run = await this.ownRun(trx, ctx, runId);
      if (run.status !== "running") throw new AppError("invalid_state_transition", `Import ${run.id} is ${run.status}`);
      const plan = await this.plan(trx, ctx, rows, run.owner_id, newImportSeen());
      // The same domain rules as a single create: hooks (plans, packages, budgets), keys, audit.
      const outcomes = await this.customers.createMany(trx, ctx, plan.create, (i) => ({ import_run: run.id, line: (plan.create[i] as Candidate).line }));
      const created: Customer[] = [];
      outcomes.forEach((o, i) => {
        if (o.customer) created.push(o.customer);
        else plan.issues.push(...rowIssues((plan.create[i] as Candidate).line, o.error));
      });
      plan.issues.sort((a, b) => a.line - b.line);
      const now = this.clock.now().toISOString();
      // A single create's event comes from the audit tap; the batched audit write runs no taps.
      await this.outbox.writeMany(trx, ctx, created.map((c) => ({ type: "customer.created" as const, objectType: "customer", objectId: String(c.id), customerId: c.id, tenantId: c.owner_id, data: { customer: snapshot(c) } })), now);
      const failed = new Set(plan.issues.map((i) => i.line)).size;
      await new ImportRunRepository(trx).advance(run.id, lastLine, { created: created.length, skipped: plan.skipped, failed }, now);
      return { created: created.length, skipped: plan.skipped, failed, issues: plan.issues };
    });
  }

  private async ownRun(db: Executor, ctx: Context, runId: string): Promise<ImportRunRow> {
    const run = await new ImportRunRepository(db).findById(runId);
    if (!run || run.actor_kind !== ctx.principal.kind || run.actor_id !== ctx.principal.id) throw notFound("Import run");
    return run;
  }

  /** Decides per row: create, skip (exists already) or fail (with every issue found). */
  private async plan(db: Executor, ctx: Context, rows: ImportRow[], ownerId: number, seen: ImportSeen): Promise<{ create: Candidate[]; skipped: number; issues: ImportIssue[] }> {
    const issues: ImportIssue[] = [];
    const valid: Candidate[] = [];
    for (const row of rows) {
      const bad = this.validate(row, ownerId);
      if (Array.isArray(bad)) issues.push(...bad);
      else valid.push(bad);
    }
    const repo = new CustomerRepository(db);
    const distinct = (f: (c: Candidate) => string | null | undefined) => [...new Set(valid.map(f).filter((v): v is string => !!v))];
    const index = (rows: ExistingKeys[], key: keyof ExistingKeys) => new Map(rows.map((r) => [String(r[key]), r]));
    const [byExternal, byEmail, byLogin, byNumber] = await Promise.all([
      repo.findExisting("external_id", distinct((c) => c.state.external_id)).then((r) => index(r, "external_id")),
      repo.findExisting("email", distinct((c) => c.state.email)).then((r) => index(r, "email")),
      repo.findExisting("login", distinct((c) => c.state.login)).then((r) => index(r, "login")),
      repo.findExisting("customer_number", distinct((c) => c.state.customer_number)).then((r) => index(r, "customer_number")),
    ]);
    const scope = scopeOf(ctx);
    const visible = (r: ExistingKeys) => scope.ownerId === undefined || r.owner_id === scope.ownerId;
    const create: Candidate[] = [];
    let skipped = 0;
    for (const c of valid) {
      const { external_id: ext, email, login, customer_number: number } = c.state;
      // The idempotency key: the external id when there is one, else the e-mail address.
      const existing = ext ? byExternal.get(ext) : byEmail.get(email);
      const repeated = ext ? seen.external.has(ext) : seen.email.has(email);
      if (existing && visible(existing)) {
        skipped++;
        continue;
      }
      if (repeated) {
        skipped++;
        continue;
      }
      const rowIssues: ImportIssue[] = [];
      const taken = (field: string) => rowIssues.push({ line: c.line, field, code: "already_exists", message: "is already in use by another customer" });
      if (existing) taken(ext ? "external_id" : "email");
      if (ext && (byEmail.has(email) || seen.email.has(email))) taken("email");
      if (login && (byLogin.has(login) || seen.login.has(login))) taken("login");
      if (number && (byNumber.has(number) || seen.number.has(number))) taken("customer_number");
      if (rowIssues.length > 0) {
        issues.push(...rowIssues);
        continue;
      }
      if (ext) seen.external.add(ext);
      seen.email.add(email);
      if (login) seen.login.add(login);
      if (number) seen.number.add(number);
      create.push(c);
    }
    issues.sort((a, b) => a.line - b.line);
    return { create, skipped, issues };
  }

  private validate(row: ImportRow, ownerId: number): Candidate | ImportIssue[] {
    if ("owner_id" in row.data) {
      return [{ line: row.line, field: "owner_id", code: "not_allowed", message: "is set for the whole import (--owner), not per row" }];
    }
    const parsed = customerCreateSchema.safeParse(row.data);
    if (!parsed.success) return zodIssuesToFieldIssues(parsed.error, row.data).map((i) => ({ ...i, line: row.line }));
    const state = newCustomerState(parsed.data as CustomerCreateInput, ownerId);
    try {
      checkNameRule(state);
    } catch (error) {
      if (error instanceof AppError) return error.issues.map((i) => ({ ...i, line: row.line }));
      throw error;
    }
    return { line: row.line, state, fields: parsed.data as Record<string, unknown> };
  }
}
