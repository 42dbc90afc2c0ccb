import { createHash } from "node:crypto";
import type { Context } from "../../core/context.js";
import type { Clock } from "../../core/clock.js";
import type { Dialect } from "../../storage/schema.js";
import type { Executor } from "../../storage/db.js";
import { AuditRepository, type AuditRow, type NewAuditRow } from "./repository.js";
import { AuditSubjectKeys } from "./subject-keys.js";

/** Keys whose values never enter an audit entry, at any depth. */
const SECRET_KEYS = /pass(word)?|secret|hash|pin|token|tan|totp|backup_codes|api_key/i;
export const REDACTED = "[redacted]";

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? REDACTED : redact(v);
    return out;
  }
  return value;
}

/** Field-level before/after of two snapshots (top level; nested objects compared as wholes). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (k === "version" || k === "updated_at") continue;
    const b = before?.[k];
    const a = after?.[k];
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = { before: b ?? null, after: a ?? null };
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
}

function entryHash(prev: string, row: Omit<NewAuditRow, "hash" | "prev_hash">): string {
  const fields: unknown[] = [prev, row.at, row.actor_kind, row.actor_id, row.key_id, row.client_ip, row.request_id, row.protocol, row.operation, row.target_type, row.target_id, row.diff];
  // The tenancy tags are covered too, so moving an entry into another tenant's view is detected.
  if (row.customer_id !== null || row.tenant_id !== null) fields.push(row.customer_id, row.tenant_id);
  const canonical = JSON.stringify(fields);
  return createHash("sha256").update(canonical).digest("hex");
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  /** First entry whose hash or link does not match, when the chain is broken. */
  brokenAt: number | null;
  reason: string | null;
}

/**
 * The audit log: every mutation, written in the mutation's own transaction so an entry exists
 * exactly when the change does. Entries form a hash chain; `verify` recomputes it.
 */
export class AuditService {
  private readonly subjectKeys: AuditSubjectKeys;

  constructor(
    private readonly dialect: Dialect,
    private readonly clock: Clock,
    options: { secretKey?: string | undefined } = {},
  ) {
    this.subjectKeys = new AuditSubjectKeys(options.secretKey);
  }

  async record(trx: Executor, ctx: Context, event: AuditEvent): Promise<void> {
    const repo = new AuditRepository(trx);
    const head = await repo.lockHead(this.dialect);
    const changes = diff(event.before ?? null, event.after ?? null);
    const customerId = event.customerId ?? (event.targetType === "customer" ? Number(event.targetId) : null);
    const tenantId = event.tenantId ?? (customerId !== null ? ((await repo.ownerOf(customerId)) ?? null) : null);
    const body = event.details ? { changes, details: redact(event.details) } : { changes };
    const at = this.clock.now().toISOString();
    // Entries about a customer keep their content under the customer's own key; the chain hashes
    // the ciphertext, so erasing the key later leaves the chain verifiable.
    const stored = customerId !== null ? { sealed: AuditSubjectKeys.seal(await this.subjectKeys.keyFor(trx, customerId, at), JSON.stringify(body)) } : body;
    const row = {
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
    };
    const hash = entryHash(head.last_hash, row);
    await repo.append({ ...row, prev_hash: head.last_hash, hash }, head.count + 1);
  }

  async verify(db: Executor): Promise<ChainVerification> {
    const repo = new AuditRepository(db);
    let prev = "0".repeat(64);
    let n = 0;
    for await (const row of repo.scan()) {
      n++;
      const { id: _id, hash, prev_hash, ...rest } = row;
      if (prev_hash !== prev) return { ok: false, entries: n, brokenAt: row.id, reason: "link to the previous entry does not match" };
      if (entryHash(prev, rest) !== hash) return { ok: false, entries: n, brokenAt: row.id, reason: "entry content does not match its hash" };
      prev = hash;
    }
    const head = await repo.head();
    if (head.last_hash !== prev || head.count !== n) {
      return { ok: false, entries: n, brokenAt: null, reason: "entries were removed from the end of the chain" };
    }
    return { ok: true, entries: n, brokenAt: null, reason: null };
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
      hash: row.hash,
    };
  }
}
