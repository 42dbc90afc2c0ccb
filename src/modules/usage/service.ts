import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import type { Customer } from "../customers/schema.js";
import type { CustomerService } from "../customers/service.js";
import { UsageOps } from "./operations.js";
import { type CurrentRow, UsageRepository } from "./repository.js";
import { QUOTA_OF, USAGE_RESOURCES, type Usage, type UsageLine, type UsageReportInput, usageReportSchema } from "./schema.js";

const SPACE = ["webspace_mb", "mailspace_mb", "dbspace_mb"];

/**
 * Compares a customer's current usage with its quotas. Disk space is the sum of web, mail and
 * database space measured against `diskspace_mb`; every other resource against its own quota.
 * A quota of -1 is never exceeded; a resource without a quota is never over.
 */
export function usageOf(customer: Pick<Customer, "id" | "resources">, current: CurrentRow[]): Usage {
  const byResource = new Map(current.map((r) => [r.resource, r]));
  const quotas = customer.resources as Record<string, number | undefined>;
  const lines: UsageLine[] = [];
  const line = (resource: string, value: number, sampledAt: string | null): UsageLine => {
    const quotaName = QUOTA_OF[resource] ?? null;
    const quota = quotaName === null ? null : (quotas[quotaName] ?? 0);
    return { resource, value, sampled_at: sampledAt, quota, over_quota: quota !== null && quota >= 0 && value > quota };
  };
  let disk = 0;
  let diskAt: string | null = null;
  for (const r of SPACE) {
    const c = byResource.get(r);
    if (!c) continue;
    disk += c.value;
    if (diskAt === null || c.sampled_at > diskAt) diskAt = c.sampled_at;
  }
  lines.push(line("diskspace_mb", disk, diskAt));
  for (const r of USAGE_RESOURCES) {
    const c = byResource.get(r);
    lines.push(line(r, c?.value ?? 0, c?.sampled_at ?? null));
  }
  return { object: "usage", customer_id: customer.id, over_quota: lines.some((l) => l.over_quota), resources: lines };
}

/** Usage samples from provisioning systems, and each customer's current usage. */
export class UsageService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly customers: Pick<CustomerService, "get">,
  ) {}

  /** usage.get: the customer's current usage, if the caller may read the customer. */
  async get(ctx: Context, ref: string): Promise<Usage> {
    authorize(ctx, UsageOps.get);
    const customer = await this.customers.get(ctx, ref);
    const rows = await new UsageRepository(this.storage.db).currentOf([customer.id]);
    return usageOf(customer, rows);
  }

  /**
   * Stores a batch in one transaction. Samples already stored for the same customer, resource and
   * time (to the millisecond, in UTC) are skipped, so a retried batch changes nothing. Every
   * customer must be visible to the caller, else the whole batch is refused and nothing is written.
   */
  async report(ctx: Context, input: unknown): Promise<{ object: "usage_report"; accepted: number; duplicates: number }> {
    authorize(ctx, UsageOps.report);
    const data: UsageReportInput = parseOrThrow(usageReportSchema, input);
    const rows = data.samples.map((s) => ({ customer_id: s.customer_id, resource: s.resource, value: s.value, sampled_at: new Date(s.sampled_at).toISOString() }));
    return this.storage.transaction(async (trx) => {
      const repo = new UsageRepository(trx);
      const ids = [...new Set(rows.map((r) => r.customer_id))];
      const visible = await repo.visibleCustomers(ids, ctx.principal.kind === "reseller" ? { ownerId: ctx.principal.id } : {});
      const unknown = rows.flatMap((r, i) => (visible.has(r.customer_id) ? [] : [i]));
      if (unknown.length > 0) {
        throw new AppError("not_found", `No customer ${rows[unknown[0] ?? 0]?.customer_id} (or it is deleted)`, {
          issues: unknown.slice(0, 50).map((i) => ({ field: `samples.${i}.customer_id`, code: "invalid_value", message: "no such customer" })),
        });
      }
      const now = this.clock.now().toISOString();
      const inserted = await repo.insertSamples(rows, now);
      // Newest sample per customer and resource first, so the current value moves once.
      const latest = new Map<string, (typeof inserted)[number]>();
      for (const r of inserted) {
        const k = `${r.customer_id}\u0000${r.resource}`;
        const held = latest.get(k);
        if (!held || r.sampled_at > held.sampled_at) latest.set(k, r);
      }
      await repo.advanceCurrent([...latest.values()]);
      // One audit entry per batch: usage is telemetry, not a change someone made to a customer.
      await this.audit.record(trx, ctx, { operation: UsageOps.report.name, targetType: "usage", targetId: 0, details: { samples: rows.length, accepted: inserted.length, customers: ids.length } });
      return { object: "usage_report" as const, accepted: inserted.length, duplicates: rows.length - inserted.length };
    });
  }

  /** A purged customer's samples go with it, in the purge's transaction. */
  async purgeCustomer(trx: Executor, customerId: number): Promise<void> {
    await new UsageRepository(trx).deleteFor(customerId);
  }

  /** Current usage of customers the caller has already read (visibility is the reader's check). */
  async currentFor(customers: Pick<Customer, "id" | "resources">[]): Promise<Map<number, Usage>> {
    const rows = await new UsageRepository(this.storage.db).currentOf(customers.map((c) => c.id));
    const out = new Map<number, Usage>();
    for (const c of customers) out.set(c.id, usageOf(c, rows.filter((r) => r.customer_id === c.id)));
    return out;
  }
}
