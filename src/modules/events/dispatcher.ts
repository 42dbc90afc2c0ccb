import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Clock } from "../../core/clock.js";
import { systemContext } from "../../core/context.js";
import type { Storage } from "../../storage/db.js";
import { AccountRepository } from "../accounts/repository.js";
import type { AuditService } from "../audit/service.js";
import type { SecretBox } from "../credentials/secrets.js";
import type { MailService } from "../mail/service.js";
import { WebhookEvents } from "./operations.js";
import { type ClaimedDelivery, type EndpointRow, EventRepository, type EventRow } from "./repository.js";
import { SIGNATURE_HEADER, signatureHeader } from "./signing.js";
import type { NoticeDelivery } from "./notices.js";
import { retryDelayMs } from "./retry.js";
import { type SendResult, WebhookSender } from "./sender.js";
import type { TargetPolicy } from "./targets.js";
import { endpointRef, eventToView, publicEventId, wants } from "./views.js";
import { newDelivery } from "./webhooks.js";

export interface DispatcherOptions {
  /** Idle pause between looks at the outbox, in ms. */
  pollMs: number;
  /** How long a claimed delivery stays this process's; past it another process may send it. */
  leaseSeconds: number;
  /** First retry delay; each further one doubles, up to retryMaxMs, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long after it was queued a delivery is retried before it counts as failed (3 days). */
  retryWindowSeconds: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Deliveries sent at once by this process. */
  concurrency: number;
  log: (level: "info" | "warn" | "error", line: Record<string, unknown>, msg: string) => void;
}

export const DEFAULT_DISPATCHER_OPTIONS: Omit<DispatcherOptions, "log"> = {
  pollMs: 500,
  leaseSeconds: 60,
  retryBaseMs: 30_000,
  retryMaxMs: 6 * 3600_000,
  retryWindowSeconds: 3 * 86400,
  timeoutMs: 10_000,
  concurrency: 16,
};

const FANOUT_BATCH = 500;
/** Nudges closer together than this are one look at the outbox (ms). */
const NUDGE_COALESCE_MS = 10;


interface Attempted extends SendResult {
  claim: ClaimedDelivery;
  endpointId: number;
  attempt: number;
  status: "delivered" | "pending" | "failed";
  nextAt: string;
  started: string;
  at: string;
  latency: number;
}

const span = (seconds: number): string => (seconds >= 7200 ? `${Math.round(seconds / 3600)} hours` : `${seconds} seconds`);

/**
 * Delivers the outbox. Two steps, each safe with several processes on one database:
 *  1. fan-out: queued events become one delivery per subscribed endpoint, in one transaction
 *     that also marks the events dispatched (claimed with SKIP LOCKED on PostgreSQL);
 *  2. delivery: due deliveries are leased to this process (SKIP LOCKED, or one atomic UPDATE on
 *     SQLite), POSTed signed, and their outcome recorded only while the lease is still ours.
 * A process that dies mid-delivery leaves a lease that runs out; the delivery is then sent again
 * (at least once, same event id).
 */
export class Dispatcher {
  private readonly owner = `dsp_${randomBytes(6).toString("hex")}`;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nudging: NodeJS.Timeout | null = null;
  private readonly secrets = new Map<string, string[]>();
  private delivered = 0;
  /** Notice delivery to contact methods, run in the same loop when wired. */
  notices: NoticeDelivery | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    targets: TargetPolicy,
    private readonly mail: MailService,
    private readonly options: DispatcherOptions,
    private readonly sender: WebhookSender = new WebhookSender(targets, options.timeoutMs),
  ) {}

  /** Deliveries that succeeded in this process (for the bench and logs). */
  get deliveredCount(): number {
    return this.delivered;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops taking new work and waits for what is in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.nudging) clearTimeout(this.nudging);
    this.nudging = null;
    this.wakeNow();
    await this.loop;
    this.loop = null;
    this.sender.close();
  }

  /**
   * Something was queued: look soon rather than after the poll pause. Nudges within a few
   * milliseconds are one look: under load every commit nudges, and each idle look costs a few
   * queries.
   */
  nudge(): void {
    if (this.nudging) return;
    this.nudging = setTimeout(() => {
      this.nudging = null;
      this.wakeNow();
    }, NUDGE_COALESCE_MS);
    this.nudging.unref();
  }

  private wakeNow(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let worked = 0;
      try {
        worked = (await this.fanOut()) + (await this.deliverDue()) + ((await this.notices?.deliverDue(this.owner)) ?? 0);
        failures = 0;
      } catch (error) {
        failures++;
        this.options.log("error", { err: error }, "event dispatcher step failed; retrying");
      }
      if (worked === 0 && this.running) {
        const pause = failures > 0 ? Math.min(30_000, this.options.pollMs * 2 ** failures) : this.options.pollMs;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  /** One pass of both steps; returns the work done (tests drive the dispatcher with it). */
  async runOnce(): Promise<number> {
    return (await this.fanOut()) + (await this.deliverDue()) + ((await this.notices?.deliverDue(this.owner)) ?? 0);
  }

  async fanOut(): Promise<number> {
    const reader = new EventRepository(this.storage.db);
    // With no endpoint to receive them, events stay queued and this stays read-only: nothing is
    // written in the background of an install that uses no webhooks. Queued events older than an
    // endpoint are never delivered to it, so waiting loses nothing.
    if (!(await reader.hasUndispatched())) return 0;
    if (!(await reader.anyEnabledEndpoint()) && !(this.notices && (await reader.hasUndispatched("notice.published")))) return 0;
    return this.storage.transaction(async (trx) => {
      const repo = new EventRepository(trx);
      const now = this.clock.now().toISOString();
      const events = await repo.claimUndispatched(this.storage.dialect, now, FANOUT_BATCH);
      if (events.length === 0) return 0;
      const tenants = [...new Set(events.map((e) => e.tenant_id).filter((t): t is number => t !== null))];
      const endpoints = (await repo.enabledEndpointsFor(tenants)).map((e) => ({ row: e, types: JSON.parse(e.event_types) as string[] }));
      const rows = [];
      for (const event of events) {
        for (const { row, types } of endpoints) {
          // An endpoint receives what happened after it was registered, in its owner's tenancy.
          if (row.created_at > event.created_at) continue;
          if (row.owner_kind !== "operator" && row.owner_id !== event.tenant_id) continue;
          if (!wants(types, event.type)) continue;
          rows.push(newDelivery(row.id, event.id, now, null));
        }
      }
      for (let i = 0; i < rows.length; i += 500) await repo.insertDeliveries(rows.slice(i, i + 500));
      await this.notices?.fanOut(trx, events, now);
      return events.length;
    });
  }

  async deliverDue(): Promise<number> {
    const db = this.storage.db;
    const now = this.clock.now();
    const repo = new EventRepository(db);
    if (!(await repo.hasDue(now.toISOString()))) return 0;
    const leaseUntil = new Date(now.getTime() + this.options.leaseSeconds * 1000).toISOString();
    const claimed = await repo.claimDue(this.storage.dialect, this.owner, now.toISOString(), leaseUntil, this.options.concurrency * 4);
    if (claimed.length === 0) return 0;
    const events = new Map((await repo.eventsByIds([...new Set(claimed.map((c) => c.event_id))])).map((e) => [e.id, e]));
    const endpoints = new Map((await repo.endpointsByIds([...new Set(claimed.map((c) => c.endpoint_id))])).map((e) => [e.id, e]));
    // Outcomes are recorded in batches: one transaction (one commit) for many deliveries.
    let pending: Attempted[] = [];
    let flushing: Promise<void> = Promise.resolve();
    const flush = (): Promise<void> => {
      const batch = pending;
      pending = [];
      flushing = flushing.then(() => this.record(batch)).catch((error: unknown) => {
        // Unrecorded attempts keep their lease until it runs out; then they are sent again.
        this.options.log("error", { err: error, deliveries: batch.map((b) => b.claim.id) }, "recording webhook deliveries failed");
      });
      return flushing;
    };
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let c = claimed[next++]; c; c = claimed[next++]) {
        const event = events.get(c.event_id);
        const endpoint = endpoints.get(c.endpoint_id);
        if (!event || !endpoint) continue;
        // Awaited first: `pending` is replaced by each flush, so push to the current array.
        const outcome = await this.attempt(c, event, endpoint);
        pending.push(outcome);
        if (pending.length >= this.options.concurrency) await flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, claimed.length) }, worker));
    await flush();
    return claimed.length;
  }

  private secretsOf(endpoint: EndpointRow, now: Date): string[] {
    const key = `${endpoint.id}:${endpoint.version}`;
    let secrets = this.secrets.get(key);
    if (!secrets) {
      secrets = [this.box.open(endpoint.secret_sealed)];
      if (endpoint.previous_secret_sealed && endpoint.previous_secret_expires_at) secrets.push(this.box.open(endpoint.previous_secret_sealed));
      if (this.secrets.size > 1000) this.secrets.clear();
      this.secrets.set(key, secrets);
    }
    const overlapOver = endpoint.previous_secret_expires_at === null || endpoint.previous_secret_expires_at <= now.toISOString();
    return overlapOver ? secrets.slice(0, 1) : secrets;
  }

  /** Sends one delivery; what happened is recorded later, with others, by `record`. */
  private async attempt(claim: ClaimedDelivery, event: EventRow, endpoint: EndpointRow): Promise<Attempted> {
    const body = JSON.stringify(eventToView(event));
    const started = this.clock.now();
    const timestamp = Math.floor(started.getTime() / 1000);
    const attempt = claim.attempts + 1;
    const headers = {
      "content-type": "application/json",
      "user-agent": "Custos-Webhooks/1",
      [SIGNATURE_HEADER]: signatureHeader(this.secretsOf(endpoint, started), timestamp, body),
      "custos-event-id": publicEventId(event.id),
      "custos-event-type": event.type,
      "custos-delivery-id": String(claim.id),
      "custos-delivery-attempt": String(attempt),
    };
    const t0 = performance.now();
    const result = await this.sender.post(endpoint.url, headers, body);
    const latency = Math.round(performance.now() - t0);
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const now = this.clock.now();
    let status: Attempted["status"] = "delivered";
    let nextAt = now.toISOString();
    if (!ok) {
      const windowEnd = new Date(claim.created_at).getTime() + this.options.retryWindowSeconds * 1000;
      const retryAt = now.getTime() + retryDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs);
      status = retryAt > windowEnd ? "failed" : "pending";
      nextAt = new Date(retryAt).toISOString();
    }
    return { claim, endpointId: endpoint.id, attempt, status, nextAt, started: started.toISOString(), at: now.toISOString(), latency, ...result };
  }

  /** Records attempts whose lease is still ours; then disables endpoints that gave up for good. */
  private async record(batch: Attempted[]): Promise<void> {
    if (batch.length === 0) return;
    const gaveUp = await this.storage.transaction(async (trx) => {
      const repo = new EventRepository(trx);
      const failed: { endpointId: number; firstAttemptAt: string }[] = [];
      const healthy = new Set<number>();
      const failing = new Map<number, string>();
      for (const a of batch) {
        const kept = await repo.finishAttempt(a.claim.id, this.owner, {
          status: a.status,
          attempts: a.attempt,
          next_attempt_at: a.nextAt,
          last_status_code: a.statusCode,
          last_error: a.error,
          completed_at: a.status === "pending" ? null : a.at,
        });
        if (!kept) continue;
        if (a.status === "delivered") healthy.add(a.endpointId);
        else if (!failing.has(a.endpointId)) failing.set(a.endpointId, a.started);
        if (a.status === "failed") failed.push({ endpointId: a.endpointId, firstAttemptAt: (await repo.firstAttemptAt(a.claim.id)) ?? a.started });
      }
      await repo.insertAttempts(batch.map((a) => ({ delivery_id: a.claim.id, attempt: a.attempt, at: a.started, status_code: a.statusCode, error: a.error, latency_ms: a.latency })));
      for (const id of healthy) await repo.markHealthy(id);
      for (const [id, since] of failing) if (!healthy.has(id)) await repo.markFailing(id, since);
      return failed;
    });
    this.delivered += batch.filter((a) => a.status === "delivered").length;
    for (const f of gaveUp) await this.maybeDisable(f.endpointId, f.firstAttemptAt);
  }

  /**
   * A delivery gave up after the whole retry window. If the endpoint has not succeeded once since
   * that delivery's first attempt, it is failing persistently: disable it and tell its owner.
   */
  private async maybeDisable(endpointId: number, firstAttemptAt: string): Promise<void> {
    const reason = `every delivery failed for ${span(this.options.retryWindowSeconds)}`;
    const disabled = await this.storage.transaction(async (trx) => {
      const repo = new EventRepository(trx);
      const [row] = await repo.endpointsByIds([endpointId]);
      if (row?.status !== "enabled" || row.failing_since === null || row.failing_since > firstAttemptAt) return null;
      const after = await repo.updateEndpoint(row.id, row.version, { status: "disabled", disabled_reason: reason, updated_at: this.clock.now().toISOString() });
      if (!after) return null;
      await this.audit.record(trx, systemContext("events"), {
        operation: WebhookEvents.disable,
        targetType: "webhook_endpoint",
        targetId: row.id,
        ...(row.owner_kind === "reseller" ? { tenantId: row.owner_id } : {}),
        before: { status: "enabled" },
        after: { status: "disabled" },
        details: { reason, endpoint: endpointRef(row) },
      });
      const owner = await new AccountRepository(trx).findById(row.owner_id);
      return { row, ownerEmail: owner?.email ?? null };
    });
    if (!disabled) return;
    this.options.log("warn", { endpoint: endpointId }, "webhook endpoint disabled after persistent failure");
    if (disabled.ownerEmail) {
      try {
        await this.mail.send({
          to: disabled.ownerEmail,
          subject: `Custos disabled your webhook endpoint ${disabled.row.id}`,
          text: `Deliveries to ${disabled.row.url} failed for ${span(this.options.retryWindowSeconds)}, so the endpoint was disabled and receives nothing until it is enabled again (PATCH /v1/webhook-endpoints/${disabled.row.id} {"status":"enabled"}). Failed deliveries can be sent again from its delivery log.`,
        });
      } catch (error) {
        this.options.log("error", { err: error, endpoint: endpointId }, "could not mail the owner of a disabled webhook endpoint");
      }
    }
  }
}
