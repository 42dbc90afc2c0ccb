import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Storage } from "../../storage/db.js";

/** Distinct operation labels kept; anything past this is counted as "other" (clients pick RPC method names). */
const MAX_OPERATIONS = 200;

export interface MetricsSources {
  storage: Storage;
  /** Rows in the idempotency store (read at scrape time). */
  idempotencyKeys?: () => Promise<number>;
  /** Audit entries written but not yet chained, and the age of the oldest in seconds. */
  auditBacklog?: () => Promise<{ unsealed: number; lagSeconds: number }>;
}

/**
 * The process's Prometheus metrics (prom-client): requests per protocol and operation, database
 * statements and pool, idempotency store, rate-limit refusals, Node's own process metrics.
 * Protocols report requests through `observeRequest`; everything else is read at scrape time.
 */
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests: Counter<"protocol" | "operation" | "status_class">;
  private readonly latency: Histogram<"protocol" | "operation">;
  private readonly refusals: Counter<"limiter">;
  private readonly operations = new Set<string>();
  /** The label children of each (protocol, operation, status class) seen: no label hashing per request. */
  private readonly series = new Map<string, { count: { inc(): void }; latency: { observe(v: number): void } }>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "custos_" });
    this.requests = new Counter({ name: "custos_requests_total", help: "Requests answered, per protocol, operation and status class (2xx, 4xx, ...)", labelNames: ["protocol", "operation", "status_class"], registers });
    this.latency = new Histogram({
      name: "custos_request_duration_seconds",
      help: "Time from receiving a request to sending its answer, per protocol and operation",
      labelNames: ["protocol", "operation"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.refusals = new Counter({ name: "custos_rate_limit_refusals_total", help: "Requests refused by a rate limit or attempt budget", labelNames: ["limiter"], registers });
    const { storage } = sources;
    /** A counter that follows one of the storage's running totals. */
    const storageTotal = (name: string, help: string, read: () => number) => {
      let seen = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          const now = read();
          this.inc(now - seen);
          seen = now;
        },
      });
    };
    storageTotal("custos_db_statements_total", "SQL statements sent to the database (queries and transaction control)", () => storage.stats().statements);
    storageTotal(
      "custos_db_round_trips_total",
      "Exchanges with the database server (PostgreSQL: statements sent together in one write count once; SQLite: as statements)",
      () => storage.stats().roundTrips,
    );
    new Gauge({
      name: "custos_db_pool_connections",
      help: "Database connections by state (size: the configured maximum; waiting: requests queued for a connection)",
      labelNames: ["state"],
      registers,
      collect() {
        const p = storage.stats().pool;
        this.set({ state: "size" }, p.size);
        this.set({ state: "open" }, p.total);
        this.set({ state: "in_use" }, p.total - p.idle);
        this.set({ state: "idle" }, p.idle);
        this.set({ state: "waiting" }, p.waiting);
      },
    });
    let acquiredSeen = 0;
    new Counter({
      name: "custos_db_pool_acquisitions_total",
      help: "Connections taken from the PostgreSQL pool (SQLite: 0, it has one connection)",
      registers,
      collect() {
        const now = storage.stats().pool.acquired;
        this.inc(now - acquiredSeen);
        acquiredSeen = now;
      },
    });
    let waitSeen = 0;
    new Counter({
      name: "custos_db_pool_wait_seconds_total",
      help: "Time spent waiting for a pool connection, summed (divide its rate by the acquisitions' for the mean wait)",
      registers,
      collect() {
        const now = storage.stats().pool.waitSeconds;
        this.inc(now - waitSeen);
        waitSeen = now;
      },
    });
    const { idempotencyKeys, auditBacklog } = sources;
    if (idempotencyKeys) {
      new Gauge({
        name: "custos_idempotency_keys",
        help: "Stored Idempotency-Key answers (kept 24 h)",
        registers,
        async collect() {
          this.set(await idempotencyKeys());
        },
      });
    }
    if (auditBacklog) {
      let last = { unsealed: 0, lagSeconds: 0 };
      const refresh = async () => {
        last = await auditBacklog();
      };
      new Gauge({
        name: "custos_audit_unsealed_entries",
        help: "Audit entries written but not yet chained by the sealer",
        registers,
        async collect() {
          await refresh();
          this.set(last.unsealed);
        },
      });
      new Gauge({
        name: "custos_audit_sealer_lag_seconds",
        help: "Age of the oldest audit entry not yet chained by the sealer (0: none waiting)",
        registers,
        collect() {
          this.set(last.lagSeconds);
        },
      });
    }
  }

  /** One answered request. `operation` is the registry name (REST) or the wire method (RPC). */
  observeRequest(protocol: string, operation: string, statusCode: number, seconds: number): void {
    const statusClass = Math.floor(statusCode / 100);
    const key = `${protocol}\u0000${operation}\u0000${statusClass}`;
    let series = this.series.get(key);
    if (!series) {
      let op = operation;
      if (!this.operations.has(op)) {
        if (this.operations.size >= MAX_OPERATIONS) op = "other";
        else this.operations.add(op);
      }
      const labels = { protocol, operation: op };
      series = { count: this.requests.labels({ ...labels, status_class: `${statusClass}xx` }), latency: this.latency.labels(labels) };
      // Bounded like the operation labels: past it, look-ups go through prom-client again.
      if (this.series.size < MAX_OPERATIONS * 8) this.series.set(key, series);
    }
    series.count.inc();
    series.latency.observe(seconds);
  }

  /** A request refused by `limiter` (per principal, per address, ...). */
  refused(limiter: string): void {
    this.refusals.inc({ limiter });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
