import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { type FieldIssue, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerService } from "../customers/service.js";
import { visibleCustomer } from "../provisioning/scope.js";
import type { SettingsService } from "../settings/service.js";
import { BandwidthOps } from "./operations.js";
import { BandwidthRepository } from "./repository.js";
import { type BillableView, type IngestResult, ingestSchema, SAMPLE_SECONDS } from "./schema.js";

/**
 * The 95th percentile as transit providers bill it: sort the period's 5-minute rates, drop the
 * highest 5 %, bill the highest that is left. Intervals without a sample are not counted.
 */
export function percentile95(rates: number[]): number {
  if (rates.length === 0) return 0;
  const sorted = [...rates].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Bandwidth metering. Metering systems send 5-minute traffic samples per customer (and site);
 * `currentBillableBandwidth` turns the current calendar month (UTC) into one billable figure by
 * the customer's `bandwidth.billing_method`: `p95` (95th percentile of the 5-minute rates, the
 * larger of in and out, in Mbit/s) or `total` (GB transferred in and out).
 */
export class BandwidthService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
    private readonly settings: SettingsService,
  ) {
    customers.onPurge((trx, id) => new BandwidthRepository(trx, storage.dialect).deleteForCustomer(id));
  }

  /** Records a batch in one transaction; samples already recorded are counted as duplicates. */
  async ingest(ctx: Context, input: unknown): Promise<IngestResult> {
    authorize(ctx, BandwidthOps.ingest);
    const data = parseOrThrow(ingestSchema, input);
    return this.storage.transaction(async (trx) => {
      const repo = new BandwidthRepository(trx, this.storage.dialect);
      const ids = [...new Set(data.samples.map((s) => s.customer_id))];
      const known = await repo.existingCustomers(ids);
      const issues: FieldIssue[] = [];
      data.samples.forEach((s, i) => {
        if (!known.has(s.customer_id) && issues.length < 20) issues.push({ field: `samples.${i}.customer_id`, code: "invalid_value", message: "is not a customer" });
      });
      if (issues.length > 0) throw validationFailed(issues);
      const recorded = await repo.insert(data.samples.map((s) => ({ customer_id: s.customer_id, site_id: s.site_id ?? 0, start: s.start, bytes_in: s.bytes_in, bytes_out: s.bytes_out })));
      const result: IngestResult = { object: "bandwidth_ingest", received: data.samples.length, recorded, duplicates: data.samples.length - recorded };
      await this.audit.record(trx, ctx, { operation: BandwidthOps.ingest.name, targetType: "bandwidth_samples", targetId: "batch", details: { received: result.received, recorded, customers: ids.length } });
      return result;
    });
  }

  /** The customer's billable bandwidth in the current period. */
  async currentBillableBandwidth(ctx: Context, customerRef: string | number): Promise<BillableView> {
    authorize(ctx, BandwidthOps.billable);
    const db = this.storage.db;
    const customer = await visibleCustomer(db, ctx, customerRef);
    const now = this.clock.now();
    const from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const to = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    const rows = await new BandwidthRepository(db, this.storage.dialect).intervals(customer.id, from / 1000, to / 1000);
    let bytesIn = 0;
    let bytesOut = 0;
    const rates: number[] = [];
    for (const r of rows) {
      bytesIn += r.bytes_in;
      bytesOut += r.bytes_out;
      rates.push((Math.max(r.bytes_in, r.bytes_out) * 8) / SAMPLE_SECONDS / 1e6);
    }
    const method = (await this.settings.valueOf(db, customer.id, "bandwidth.billing_method")) === "total" ? "total" : "p95";
    const p95 = round(percentile95(rates), 3);
    const totalGb = round((bytesIn + bytesOut) / 1e9, 3);
    return {
      object: "billable_bandwidth",
      customer_id: customer.id,
      method,
      billable: method === "p95" ? p95 : totalGb,
      unit: method === "p95" ? "Mbit/s" : "GB",
      period_start: new Date(from).toISOString(),
      period_end: new Date(to).toISOString(),
      intervals: rows.length,
      p95_mbps: p95,
      total_gb: totalGb,
      bytes_in: bytesIn,
      bytes_out: bytesOut,
      as_of: now.toISOString(),
    };
  }
}
