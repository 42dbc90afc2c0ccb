import { sql } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Storage } from "../../storage/db.js";
import type { CheckpointSigner } from "./checkpoints.js";
import { AuditRepository, type ChainHead, type SealedLink } from "./repository.js";
import { entryHash } from "./service.js";

export interface SealerOptions {
  /** Pause after a commit before sealing, so entries of concurrent requests are chained together (ms). */
  delayMs: number;
  /** How often to look for entries other processes appended (ms). */
  intervalMs: number;
  /** How often at most to write a checkpoint while the chain grows (ms). */
  checkpointIntervalMs: number;
  /** Entries and events handled per sealing transaction. */
  batch: number;
}

export const DEFAULT_SEALER_OPTIONS: SealerOptions = { delayMs: 20, intervalMs: 1000, checkpointIntervalMs: 60_000, batch: 1000 };

/** One sealing transaction's outcome. */
export interface SealRound {
  /** Another process held the sealer lock; nothing was done here. */
  busy: boolean;
  sealed: number;
  positioned: number;
  /** A full batch was taken: more may be waiting. */
  more: boolean;
}

// The PostgreSQL advisory lock key the sealer of every process competes for ("custos" + 1).
const SEALER_LOCK = 0x637573746f7301n;

/**
 * Chains unsealed audit entries and numbers new events, in commit order, one sealer at a time:
 * on PostgreSQL the transaction holding `pg_try_advisory_xact_lock` (a process that does not get
 * it leaves the work to the one that did); on SQLite the single writer. Runs shortly after each
 * commit that appended entries (`nudge`) and on a timer, so entries of other processes are sealed
 * too. Every `checkpointIntervalMs` while the chain grows it writes a checkpoint, signed with
 * Ed25519 when a key is configured.
 */
export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private pendingNudge: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private lastCheckpoint: { at: number; count: number } | null = null;
  private stopped = false;
  private again = false;
  /** Reports a failed round (the next round retries); default: silent. */
  onError: (error: unknown) => void = () => {};

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly signer: CheckpointSigner | null,
    private readonly options: SealerOptions = DEFAULT_SEALER_OPTIONS,
  ) {}

  /** Starts the periodic look for other processes' entries. */
  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Entries were committed: seal them shortly (coalescing the commits of that moment). */
  nudge(): void {
    if (this.stopped || this.pendingNudge) return;
    this.pendingNudge = setTimeout(() => {
      this.pendingNudge = undefined;
      this.kick(true);
    }, this.options.delayMs);
    this.pendingNudge.unref();
  }

  private kick(knownWork = false): void {
    if (this.running) {
      // A round is under way; it may have read before this commit: look once more after it.
      if (knownWork) this.again = true;
      return;
    }
    this.running = this.storage
      .detached(() => this.sealAll(knownWork))
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Seals until nothing is waiting, or another process holds the sealer lock. */
  private async sealAll(knownWork: boolean): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      const r = await this.sealOnce(knownWork && i === 0);
      if (r.busy || !r.more) return;
    }
  }

  /**
   * Seals everything committed so far and waits for it (tests, the event feed, shutdown). When
   * another process holds the lock, waits for it to finish, up to `timeoutMs`.
   */
  async drain(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.running) await this.running;
      const r = await this.storage.detached(() => this.sealOnce());
      if (!r.busy && !r.more) return;
      // A long backlog (a bulk import) is left to the next rounds, here or in another process.
      if (Date.now() > deadline) return;
      if (r.busy) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops the timers and seals what this process wrote, with a final checkpoint. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.pendingNudge);
    this.timer = undefined;
    this.pendingNudge = undefined;
    if (this.running) await this.running;
    try {
      await this.drain(2000);
      await this.storage.detached(() => this.checkpoint());
    } catch (error) {
      this.onError(error);
    }
  }

  /** One sealing transaction: at most `batch` entries chained and `batch` events numbered. */
  async sealOnce(knownWork = false): Promise<SealRound> {
    const idle = { busy: false, sealed: 0, positioned: 0, more: false };
    // Woken by a commit there is work; the timer first looks (one cheap read) before it writes.
    const waiting = knownWork ? { entry: 0, event: 0 } : await new AuditRepository(this.storage.db).pending();
    if (waiting.entry === null && waiting.event === null) return idle;
    const { batch } = this.options;
    return this.storage.transaction(async (trx) => {
      if (this.storage.dialect === "postgres") {
        const lock = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SEALER_LOCK.toString()}::bigint) as ok`.execute(trx);
        if (!lock.rows[0]?.ok) return { ...idle, busy: true };
      }
      const repo = new AuditRepository(trx);
      // A write that returns the head: it takes the write lock first (SQLite) and reads the head in one statement.
      const head = (await sql<ChainHead>`update audit_chain set count = count where id = 1 returning last_hash, count, last_seq, events_position`.execute(trx)).rows[0];
      if (!head) throw new Error("audit chain head missing");
      let { last_hash: prev, count, last_seq: seq, events_position: position } = head;
      count = Number(count);
      seq = Number(seq);
      position = Number(position);
      const rows = waiting.entry === null ? [] : await repo.unsealed(batch);
      const links: SealedLink[] = [];
      for (const row of rows) {
        const hash = entryHash(prev, row);
        links.push({ id: row.id, seq: ++seq, prev_hash: prev, hash });
        prev = hash;
      }
      count += links.length;
      await repo.seal(links);
      const positioned = waiting.event === null ? 0 : await repo.positionEvents(position, batch);
      position += positioned;
      const next = { last_hash: prev, count, last_seq: seq, events_position: position };
      await repo.setHead(next);
      if (links.length > 0) await this.checkpointIfDue(repo, next);
      return { busy: false, sealed: links.length, positioned, more: rows.length === batch || positioned === batch };
    });
  }

  private async checkpointIfDue(repo: AuditRepository, head: ChainHead): Promise<void> {
    if (this.lastCheckpoint === null) {
      const last = await repo.lastCheckpoint();
      this.lastCheckpoint = last ? { at: Date.parse(last.at), count: Number(last.entry_count) } : { at: 0, count: 0 };
    }
    const now = this.clock.now();
    if (head.count > this.lastCheckpoint.count && now.getTime() - this.lastCheckpoint.at >= this.options.checkpointIntervalMs) await this.writeCheckpoint(repo, head, now);
  }

  private async writeCheckpoint(repo: AuditRepository, head: ChainHead, now: Date): Promise<void> {
    const c = { seq: Number(head.last_seq), entry_count: Number(head.count), hash: head.last_hash, at: now.toISOString() };
    await repo.insertCheckpoint({ ...c, public_key: this.signer?.publicKey ?? null, signature: this.signer?.sign(c) ?? null });
    this.lastCheckpoint = { at: now.getTime(), count: c.entry_count };
  }

  /** Writes a checkpoint of the current head now, unless one already names it. */
  async checkpoint(): Promise<void> {
    await this.storage.transaction(async (trx) => {
      const repo = new AuditRepository(trx);
      const head = await repo.head();
      if (Number(head.count) === 0) return;
      const last = await repo.lastCheckpoint();
      if (last && Number(last.entry_count) === Number(head.count) && last.hash === head.last_hash) return;
      await this.writeCheckpoint(repo, head, this.clock.now());
    });
  }

  /** Entries waiting for the sealer and the age of the oldest, for metrics. */
  async backlog(): Promise<{ unsealed: number; lagSeconds: number }> {
    const b = await new AuditRepository(this.storage.db).backlog();
    const lag = b.oldestAt ? Math.max(0, (this.clock.now().getTime() - Date.parse(b.oldestAt)) / 1000) : 0;
    return { unsealed: b.unsealed, lagSeconds: lag };
  }
}
