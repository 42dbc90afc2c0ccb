/**
 * Bandwidth ingestion: `customers` customers each get one 5-minute sample per interval for
 * `days` days (30: a month, 8,640 samples each), sent the way an hourly collector flushes: per
 * hour, batches of 833 customers x 12 intervals (9,996 samples, just under the ingestion route's
 * 10,000), through the domain command BandwidthService.ingest, one transaction per batch.
 * Reports rows/s, then the latency of currentBillableBandwidth over the month just loaded.
 *
 * Batch shape matters on SQLite: samples are stored in (customer, start) order, which serves the
 * billing query; a batch of one interval for every customer touches every customer's pages at
 * once and ingests several times slower than a batch grouped by customer.
 */
import { join } from "node:path";
import { createApp } from "../src/app.js";
import { ManualClock } from "../src/core/clock.js";
import { systemContext } from "../src/core/context.js";
import { ADMIN_URL, seed } from "./seed.js";

export interface BandwidthFigures {
  db: "sqlite" | "postgres";
  customers: number;
  days: number;
  rows: number;
  batches: number;
  seconds: number;
  rowsPerSecond: number;
  /** currentBillableBandwidth over the loaded month, milliseconds per call. */
  billableP50: number;
  billableP99: number;
}

const MONTH_START = Date.UTC(2026, 0, 1) / 1000;
const OPERATOR_KEY = "bench-operator-key-0123456789abcdef0123456789";

export function bandwidthPgUrl(): string {
  const u = new URL(ADMIN_URL);
  u.pathname = "/custos_bench_bandwidth";
  return u.toString();
}

export async function benchBandwidth(
  db: "sqlite" | "postgres",
  dataDir: string,
  opts: { customers: number; days: number; fresh: boolean; onProgress: (line: string) => void },
): Promise<BandwidthFigures> {
  const location = db === "sqlite" ? join(dataDir, "bandwidth-sqlite") : bandwidthPgUrl();
  await seed({ dialect: db, location }, opts.customers, OPERATOR_KEY, (done, total) => opts.onProgress(`[${db} bandwidth] seeding customers ${done}/${total}`), opts.fresh);
  // The billing period is the clock's month: stand at the end of the month being loaded.
  const clock = new ManualClock(new Date((MONTH_START + opts.days * 86400 - 1) * 1000));
  const app = await createApp(
    {
      port: 0,
      host: "127.0.0.1",
      databaseUrl: db === "postgres" ? location : undefined,
      dataDir: location,
      bootstrapKey: OPERATOR_KEY,
      logLevel: "silent",
      loginPrefix: "cust",
      bodyLimit: 256 * 1024,
      trustProxy: false,
      dbPool: 4,
      rateLimit: 0,
    },
    clock,
  );
  try {
    // Each run measures fresh inserts, not skipped duplicates of the previous run.
    await app.storage.db.deleteFrom("bandwidth_samples").execute();
    const ctx = systemContext("bench");
    const hours = opts.days * 24;
    const perBatch = 833;
    let rows = 0;
    let batches = 0;
    const t0 = performance.now();
    for (let h = 0; h < hours; h++) {
      for (let first = 1; first <= opts.customers; first += perBatch) {
        const samples: { customer_id: number; start: number; bytes_in: number; bytes_out: number }[] = [];
        for (let id = first; id < Math.min(first + perBatch, opts.customers + 1); id++) {
          const base = (id % 97) * 40_000 + 10_000;
          for (let j = 0; j < 12; j++) {
            const k = h * 12 + j;
            // A daily curve with per-customer scale, so percentiles are not trivial.
            const wave = 1 + Math.sin((2 * Math.PI * (k % 288)) / 288);
            samples.push({ customer_id: id, start: MONTH_START + k * 300, bytes_in: Math.round(base * wave * 0.3), bytes_out: Math.round(base * wave + ((id * k) % 13) * 1000) });
          }
        }
        const r = await app.services.hosting.bandwidth.ingest(ctx, { samples });
        rows += r.recorded;
        batches++;
      }
      const s = (performance.now() - t0) / 1000;
      opts.onProgress(`[${db} bandwidth] hour ${h + 1}/${hours}, ${rows.toLocaleString("en-US")} rows, ${Math.round(rows / Math.max(s, 0.001)).toLocaleString("en-US")} rows/s`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const id = 1 + ((i * 7919) % opts.customers);
      const t = performance.now();
      await app.services.hosting.bandwidth.currentBillableBandwidth(ctx, id);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return {
      db,
      customers: opts.customers,
      days: opts.days,
      rows,
      batches,
      seconds,
      rowsPerSecond: rows / seconds,
      billableP50: times[Math.floor(times.length * 0.5)] ?? 0,
      billableP99: times[Math.floor(times.length * 0.99)] ?? 0,
    };
  } finally {
    await app.close();
  }
}
