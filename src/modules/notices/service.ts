import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, notFound } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { fieldError, parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerService } from "../customers/service.js";
import { ownsCustomer, visibleCustomer, writableCustomer } from "../provisioning/scope.js";
import { NoticeOps } from "./operations.js";
import { type NoticeRow, NoticeRepository } from "./repository.js";
import { type NoticeView, noticeCreateSchema, noticeListSchema, noticePatchSchema, type SEVERITIES } from "./schema.js";

function toView(row: NoticeRow, acknowledgedAt: string | null = null): NoticeView {
  return {
    object: "notice",
    id: row.id,
    customer_id: row.customer_id,
    global: row.customer_id === null,
    type: row.type,
    title: row.title,
    body: row.body,
    severity: row.severity as (typeof SEVERITIES)[number],
    acknowledged: acknowledgedAt !== null,
    acknowledged_at: acknowledgedAt,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: row.version,
  };
}

/**
 * Notices, listed and acknowledged per customer. Acknowledgement is per customer: a global
 * notice one customer acknowledged stays unacknowledged for every other customer.
 */
export class NoticeService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
  ) {
    customers.onPurge((trx, id) => new NoticeRepository(trx).deleteForCustomer(id));
  }

  async create(ctx: Context, input: unknown): Promise<NoticeView> {
    authorize(ctx, NoticeOps.create);
    const data = parseOrThrow(noticeCreateSchema, input);
    if (data.customer_id === null && ctx.principal.kind !== "operator") throw new AppError("forbidden", "Only operators publish global notices");
    return this.storage.transaction(async (trx) => {
      const repo = new NoticeRepository(trx);
      if (data.customer_id !== null) await writableCustomer(trx, ctx, data.customer_id);
      if (!(await repo.typeByName(data.type))) throw fieldError("type", "invalid_value", "is not a notice type (see GET /v1/contact-notice-types)");
      const at = this.clock.now().toISOString();
      const row = await repo.insert({ customer_id: data.customer_id, type: data.type, title: data.title, body: data.body, severity: data.severity, created_at: at, updated_at: at, version: 1 });
      const view = toView(row);
      await this.audit.record(trx, ctx, { operation: NoticeOps.create.name, targetType: "notice", targetId: row.id, ...(row.customer_id === null ? {} : { customerId: row.customer_id }), before: null, after: view });
      return view;
    });
  }

  /** A notice the caller may read: a global one, or one of a customer in its tenancy. */
  private async readable(db: Executor, ctx: Context, id: number): Promise<NoticeRow> {
    const row = await new NoticeRepository(db).find(id);
    if (!row || (row.customer_id !== null && !(await ownsCustomer(db, ctx, row.customer_id)))) throw notFound("Notice");
    return row;
  }

  /** A notice the caller may change: global ones are the operators'. */
  private async changeable(db: Executor, ctx: Context, id: number): Promise<NoticeRow> {
    const row = await this.readable(db, ctx, id);
    if (row.customer_id === null && ctx.principal.kind !== "operator") throw new AppError("forbidden", "Only operators change global notices");
    return row;
  }

  async get(ctx: Context, id: number): Promise<NoticeView> {
    authorize(ctx, NoticeOps.get);
    const row = await this.readable(this.storage.db, ctx, id);
    const ack = ctx.principal.kind === "customer" ? await new NoticeRepository(this.storage.db).acknowledgement(id, ctx.principal.id) : null;
    return toView(row, ack);
  }

  async update(ctx: Context, id: number, input: unknown, expectedVersion?: number): Promise<NoticeView> {
    authorize(ctx, NoticeOps.update);
    const patch = parseOrThrow(noticePatchSchema, input ?? {});
    return this.storage.transaction(async (trx) => {
      const row = await this.changeable(trx, ctx, id);
      if (expectedVersion !== undefined && expectedVersion !== row.version) throw new AppError("precondition_failed", "The notice changed since you read it (ETag mismatch)");
      const updated = await new NoticeRepository(trx).update(id, {
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.body === undefined ? {} : { body: patch.body }),
        ...(patch.severity === undefined ? {} : { severity: patch.severity }),
        updated_at: this.clock.now().toISOString(),
        version: row.version + 1,
      });
      const after = toView(updated);
      await this.audit.record(trx, ctx, { operation: NoticeOps.update.name, targetType: "notice", targetId: id, ...(row.customer_id === null ? {} : { customerId: row.customer_id }), before: toView(row), after });
      return after;
    });
  }

  async delete(ctx: Context, id: number): Promise<void> {
    authorize(ctx, NoticeOps.delete);
    await this.storage.transaction(async (trx) => {
      const row = await this.changeable(trx, ctx, id);
      await new NoticeRepository(trx).delete(id);
      await this.audit.record(trx, ctx, { operation: NoticeOps.delete.name, targetType: "notice", targetId: id, ...(row.customer_id === null ? {} : { customerId: row.customer_id }), before: toView(row), after: null });
    });
  }

  /** The customer's and the global notices, oldest first, optionally only those changed since a time. */
  async listNotices(ctx: Context, customerRef: string | number, input: unknown): Promise<{ data: NoticeView[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, NoticeOps.list);
    const q = parseOrThrow(noticeListSchema, input ?? {});
    const customer = await visibleCustomer(this.storage.db, ctx, customerRef);
    const since = q.since === undefined ? undefined : new Date(q.since * 1000).toISOString();
    const rows = await new NoticeRepository(this.storage.db).forCustomer(customer.id, since, q.limit + 1, q.starting_after);
    const page = rows.slice(0, q.limit);
    const hasMore = rows.length > q.limit;
    const last = page[page.length - 1];
    return { data: page.map((r) => toView(r, r.acknowledged_at)), has_more: hasMore, next_cursor: hasMore && last ? String(last.id) : null };
  }

  /** Acknowledges a notice for the customer `customerRef`. Acknowledging twice is harmless. */
  async acknowledgeNotice(ctx: Context, customerRef: string | number, noticeId: number): Promise<NoticeView> {
    authorize(ctx, NoticeOps.acknowledge);
    return this.storage.transaction(async (trx) => {
      const customer = await visibleCustomer(trx, ctx, customerRef);
      const repo = new NoticeRepository(trx);
      const row = await repo.find(noticeId);
      if (!row || (row.customer_id !== null && row.customer_id !== customer.id)) throw notFound("Notice");
      const already = await repo.acknowledgement(noticeId, customer.id);
      if (already === null) {
        await repo.acknowledge(noticeId, customer.id, this.clock.now().toISOString());
        await this.audit.record(trx, ctx, { operation: NoticeOps.acknowledge.name, targetType: "notice", targetId: noticeId, customerId: customer.id, details: { acknowledged: true } });
      }
      return toView(row, already ?? (await repo.acknowledgement(noticeId, customer.id)));
    });
  }
}
