import type { Compilable } from "kysely";
import { createHash } from "node:crypto";
import type { Context } from "../../core/context.js";
import type { Clock } from "../../core/clock.js";
import type { Dialect } from "../../storage/schema.js";
import type { Executor } from "../../storage/db.js";
import { insertAll } from "../../storage/row-insert.js";
import { AuditRepository, type AuditRow, type NewAuditRow } from "./repository.js";
import type { CheckpointVerifier } from "./checkpoints.js";
import { AuditSubjectKeys } from "./subject-keys.js";

/** Keys whose values never enter an audit entry, at any depth. */
const SECRET_KEYS = /pass(word)?|secret|hash|pin|token|tan|totp|backup_codes|api_key/i;
export const REDACTED = "[redacted]";

// The same few hundred field names come by again and again; remember the verdict for each.
const secretVerdicts = new Map<string, boolean>();
function isSecretKey(k: string): boolean {
  let v = secretVerdicts.get(k);
  if (v === undefined) {
    v = SECRET_KEYS.test(k);
    if (secretVerdicts.size < 10_000) secretVerdicts.set(k, v);
  }
  return v;
}

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k in value) {
      if (Object.hasOwn(value, k)) out[k] = isSecretKey(k) ? REDACTED : redact((value as Record<string, unknown>)[k]);
    }
    return out;
  }
  return value;
}

/** `diff(null, after)` for a new object, without comparing each field with nothing. */
function createdDiff(after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in after) {
    if (!Object.hasOwn(after, k) || k === "version" || k === "updated_at") continue;
    const a = after[k];
    if (a === undefined) continue;
    out[k] = isSecretKey(k) ? REDACTED : { before: null, after: redact(a) };
  }
  return out;
}

/** Whether two field values are the same as JSON (primitives directly; objects and arrays by their JSON text). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || typeof a !== "object") && (b === null || typeof b !== "object")) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Field-level before/after of two snapshots (top level; nested objects compared as wholes). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (k === "version" || k === "updated_at") continue;
    const b = before?.[k];
    const a = after?.[k];
    if (!sameValue(b, a)) out[k] = { before: b ?? null, after: a ?? null };
  }
  return redact(out) as Record<string, { before: unknown; after: unknown }>;
}

export interface AuditEvent {
  operation: string;
  targetType: string;
  targetId: string | number;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Extra facts that are not a field diff (e.g. a reason); redacted like the diff. */
  details?: Record<string, unknown>;
  /** The customer concerned, when the target is not the customer itself (a key, a session). */
  customerId?: number;
  /** The owning account, when the customer row is already gone (purge). */
  tenantId?: number;
  /**
   * The entry records the customer's creation in this transaction: it has no audit key yet, and
   * its new key is written with the entry in one statement. Ids are never reused, so a key for
   * it cannot exist; if one did, the write would fail rather than seal content under a lost key.
   */
  createsSubject?: boolean;
}

/** An entry's hash over its link and content; the sealer and `verify` compute it alike. */
export function entryHash(prev: string, row: Omit<NewAuditRow, "hash" | "prev_hash">): string {
  const fields: unknown[] = [prev, row.at, row.actor_kind, row.actor_id, row.key_id, row.client_ip, row.request_id, row.protocol, row.operation, row.target_type, row.target_id, row.diff];
  // The tenancy tags are covered too, so moving an entry into another tenant's view is detected.
  if (row.customer_id !== null || row.tenant_id !== null) fields.push(row.customer_id, row.tenant_id);
  const canonical = JSON.stringify(fields);
  return createHash("sha256").update(canonical).digest("hex");
}

/** Where an entry's tenancy tags resolved to, for taps that tag their own rows alike. */
export interface AuditTags {
  at: string;
  customerId: number | null;
  tenantId: number | null;
}

/**
 * Runs inside the mutation's transaction beside its entry (the events outbox): it may write
 * what must happen first, and returns the INSERTs to send together with the entry's own.
 */
export type AuditTap = (trx: Executor, ctx: Context, event: AuditEvent, tags: AuditTags) => Promise<readonly Compilable[]>;

export interface ChainVerification {
  ok: boolean;
  /** Sealed entries checked. */
  entries: number;
  /** First entry whose hash or link does not match, when the chain is broken. */
  brokenAt: number | null;
  reason: string | null;
  /** Entries written but not chained yet (the sealer runs shortly after commit); not a failure. */
  unsealed: number;
  oldestUnsealedAt: string | null;
  /** Checkpoints checked, and how many of them carry a signature verified with the configured key. */
  checkpoints: number;
  signedCheckpoints: number;
}

/** The owning account a customer snapshot names, so tagging needs no extra read. */
function ownerIn(snapshot: Record<string, unknown> | null | undefined): number | undefined {
  const v = snapshot?.owner_id;
  return typeof v === "number" ? v : undefined;
}

/**
 * The audit log: every mutation, written in the mutation's own transaction so an entry exists
 * exactly when the change does. Entries are appended unsealed, without touching any shared row,
 * so concurrent writers never wait for each other; the sealer (./sealer.ts) chains them shortly
 * after commit and `verify` recomputes the chain and its signed checkpoints.
 */
export class AuditService {
  private readonly taps: AuditTap[] = [];
  private readonly subjectKeys: AuditSubjectKeys;
  /** Told after the commit of every transaction that appended entries (wakes the sealer). */
  onAppended: () => void = () => {};
  private readonly afterCommit: (fn: () => void) => void;
  private readonly notify = () => this.onAppended();

  constructor(
    readonly dialect: Dialect,
    private readonly clock: Clock,
    options: { secretKey?: string | undefined; afterCommit?: (fn: () => void) => void } = {},
  ) {
    this.subjectKeys = new AuditSubjectKeys(options.secretKey);
    this.afterCommit = options.afterCommit ?? ((fn) => fn());
  }

  async record(trx: Executor, ctx: Context, event: AuditEvent): Promise<void> {
    const repo = new AuditRepository(trx);
    const changes = diff(event.before ?? null, event.after ?? null);
    const customerId = event.customerId ?? (event.targetType === "customer" ? Number(event.targetId) : null);
    // A customer's own snapshot names its owner; other targets look it up.
    const snapshotOwner = event.targetType === "customer" ? (ownerIn(event.after) ?? ownerIn(event.before)) : undefined;
    const tenantId = event.tenantId ?? snapshotOwner ?? (customerId !== null ? ((await repo.ownerOf(customerId)) ?? null) : null);
    const body = event.details ? { changes, details: redact(event.details) } : { changes };
    const at = this.clock.now().toISOString();
    // Entries about a customer keep their content under the customer's own key; the chain hashes
    // the ciphertext, so erasing the key later leaves the chain verifiable.
    const inserts: Compilable[] = [];
    let key: Buffer | undefined;
    if (customerId !== null && event.createsSubject) {
      const created = this.subjectKeys.newKey(trx, customerId, at);
      key = created.key;
      inserts.push(created.insert);
    } else if (customerId !== null) {
      key = await this.subjectKeys.keyFor(trx, customerId, at, event.targetType === "customer" && !event.before);
    }
    const stored = key ? { sealed: AuditSubjectKeys.seal(key, JSON.stringify(body)) } : body;
    inserts.push(repo.appendQuery({
      at,
      actor_kind: ctx.principal.kind,
      actor_id: ctx.principal.id,
      key_id: ctx.principal.keyId,
      client_ip: ctx.clientIp,
      request_id: ctx.requestId,
      protocol: ctx.protocol,
      operation: event.operation,
      target_type: event.targetType,
      target_id: String(event.targetId),
      diff: JSON.stringify(stored),
      customer_id: customerId,
      tenant_id: tenantId,
      prev_hash: "",
      hash: "",
    }));
    for (const tap of this.taps) inserts.push(...(await tap(trx, ctx, event, { at, customerId, tenantId })));
    await insertAll(trx, inserts);
    this.afterCommit(this.notify);
  }

  /** Adds a tap; it runs in the mutation's transaction right after its entry is appended. */
  tap(fn: AuditTap): void {
    this.taps.push(fn);
  }

  /**
   * Records many events in one go (bulk import): the entries are appended unsealed in multi-row
   * statements, so each entry costs a share of one INSERT. Every entry holds what `record` would
   * have written for the same event; the sealer chains them after commit.
   */
  async recordMany(trx: Executor, ctx: Context, events: (AuditEvent & { tenantId: number })[]): Promise<void> {
    if (events.length === 0) return;
    const at = this.clock.now().toISOString();
    const customerOf = (event: AuditEvent): number | null => event.customerId ?? (event.targetType === "customer" ? Number(event.targetId) : null);
    // Content about a customer is sealed under its own key, as `record` does, so erasure reaches it.
    const keys = await this.subjectKeys.keysFor(
      trx,
      events.map(customerOf).filter((id): id is number => id !== null),
      at,
    );
    const rows: NewAuditRow[] = [];
    for (const event of events) {
      const changes = !event.before && event.after ? createdDiff(event.after) : diff(event.before ?? null, event.after ?? null);
      const body = event.details ? { changes, details: redact(event.details) } : { changes };
      const customerId = customerOf(event);
      const key = customerId !== null ? keys.get(customerId) : undefined;
      const stored = key ? { sealed: AuditSubjectKeys.seal(key, JSON.stringify(body)) } : body;
      rows.push({
        at,
        actor_kind: ctx.principal.kind,
        actor_id: ctx.principal.id,
        key_id: ctx.principal.keyId,
        client_ip: ctx.clientIp,
        request_id: ctx.requestId,
        protocol: ctx.protocol,
        operation: event.operation,
        target_type: event.targetType,
        target_id: String(event.targetId),
        diff: JSON.stringify(stored),
        customer_id: customerId,
        tenant_id: event.tenantId,
        prev_hash: "",
        hash: "",
      });
    }
    await new AuditRepository(trx).appendMany(rows);
    this.afterCommit(this.notify);
  }

  /**
   * Recomputes the chain in seq order (links and hashes), checks that it reaches the head and
   * every checkpoint (a checkpoint past the end means entries were removed from the tail), and
   * each checkpoint's signature with `checkpointKey` (the configured public key). Unsealed
   * entries are counted, not judged: they carry no hash yet.
   */
  async verify(db: Executor, checkpointKey: CheckpointVerifier | null = null): Promise<ChainVerification> {
    const repo = new AuditRepository(db);
    const backlog = await repo.backlog();
    const checkpoints = await repo.checkpoints();
    const bySeq = new Map<number, (typeof checkpoints)[number][]>();
    for (const c of checkpoints) bySeq.set(Number(c.seq), [...(bySeq.get(Number(c.seq)) ?? []), c]);
    const base = { unsealed: backlog.unsealed, oldestUnsealedAt: backlog.oldestAt, checkpoints: checkpoints.length, signedCheckpoints: 0 };
    const fail = (entries: number, brokenAt: number | null, reason: string): ChainVerification => ({ ok: false, entries, brokenAt, reason, ...base });
    let signed = 0;
    for (const c of checkpoints) {
      if (checkpointKey === null) continue;
      // Checkpoints written before a key was configured stay unsigned; once one is signed, all later ones must be.
      if (c.signature === null) {
        if (signed > 0) return fail(0, null, `checkpoint ${c.id} is not signed although earlier ones are`);
        continue;
      }
      if (!checkpointKey.verify(c)) return fail(0, null, `checkpoint ${c.id} has a bad signature`);
      signed++;
    }
    // The head is read before the entries, and only entries up to it are walked: a sealer in
    // another process may chain more meanwhile, and those must not read as a removed tail.
    // Checkpoints were read before the head, so each names an entry at or below it.
    const head = await repo.head();
    let prev = "0".repeat(64);
    let n = 0;
    let lastSeq = 0;
    for await (const row of repo.scan(1000, Number(head.last_seq))) {
      n++;
      const { hash, prev_hash } = row;
      if (prev_hash !== prev) return fail(n, row.id, "link to the previous entry does not match");
      if (entryHash(prev, row) !== hash) return fail(n, row.id, "entry content does not match its hash");
      prev = hash;
      lastSeq = Number(row.seq);
      for (const c of bySeq.get(lastSeq) ?? []) {
        if (c.hash !== hash || Number(c.entry_count) !== n) return fail(n, row.id, `checkpoint ${c.id} does not match the chain`);
      }
      bySeq.delete(lastSeq);
    }
    if (bySeq.size > 0) return fail(n, null, "entries were removed from the end of the chain (a checkpoint names an entry that is gone)");
    if (head.last_hash !== prev || head.count !== n || Number(head.last_seq) !== lastSeq) {
      return fail(n, null, "entries were removed from the end of the chain");
    }
    return { ok: true, entries: n, brokenAt: null, reason: null, ...base, signedCheckpoints: signed };
  }

  /** Erasure of a customer's personal data from the log: its content key is destroyed. */
  async forgetSubject(trx: Executor, customerId: number): Promise<void> {
    await this.subjectKeys.destroy(trx, customerId);
  }

  /** Entries as the API shows them, with sealed content opened (or marked erased). */
  async views(db: Executor, rows: readonly AuditRow[]): Promise<ReturnType<AuditService["toView"]>[]> {
    const sealed = rows.filter((r) => r.customer_id !== null && r.diff.startsWith('{"sealed":'));
    const keys = await this.subjectKeys.load(
      db,
      sealed.map((r) => Number(r.customer_id)),
    );
    return rows.map((r) => this.toView(r, keys));
  }

  toView(row: AuditRow, keys: ReadonlyMap<number, Buffer> = new Map()) {
    let content = JSON.parse(row.diff) as { changes: Record<string, unknown>; details?: Record<string, unknown>; sealed?: string };
    if (content.sealed !== undefined) {
      const key = row.customer_id !== null ? keys.get(Number(row.customer_id)) : undefined;
      try {
        content = key ? (JSON.parse(AuditSubjectKeys.open(key, content.sealed)) as typeof content) : { changes: {}, details: { erased: true } };
      } catch {
        content = { changes: {}, details: { erased: true } };
      }
    }
    return {
      object: "audit_entry" as const,
      id: row.id,
      at: row.at,
      actor: { kind: row.actor_kind, id: row.actor_id, key_id: row.key_id },
      client_ip: row.client_ip,
      request_id: row.request_id,
      protocol: row.protocol,
      operation: row.operation,
      target: { type: row.target_type, id: row.target_id },
      changes: content.changes,
      ...(content.details !== undefined ? { details: content.details } : {}),
      /** Null until the sealer has chained the entry. */
      hash: row.seq === null ? null : row.hash,
    };
  }
}
