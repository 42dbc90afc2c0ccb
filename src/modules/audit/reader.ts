import { z } from "zod";
import type { Context } from "../../core/context.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Storage } from "../../storage/db.js";
import { AuditOps } from "./operations.js";
import { type AuditFilter, AuditRepository, type AuditScope } from "./repository.js";
import type { AuditService, ChainVerification } from "./service.js";
import type { CheckpointVerifier } from "./checkpoints.js";
import type { CheckpointRow } from "./repository.js";

const cursor = z.string().regex(/^\d{1,15}$/, "must be a cursor from a previous page").transform(Number);

/** Audit list query, decoded from any protocol's parameters. */
export const auditQuerySchema = z
  .strictObject({
    operation: z.string().max(100).optional().describe("Operation name, e.g. customer.update"),
    target_type: z.string().max(50).optional().describe("customer, api_key, account, ..."),
    target_id: z.string().max(100).optional(),
    actor: z
      .string()
      .regex(/^(operator|reseller|customer):\d{1,15}$/, "must be kind:id, e.g. reseller:4")
      .optional()
      .describe("kind:id of the acting principal"),
    request_id: z.string().max(100).optional(),
    since: z.iso.datetime({ offset: true }).optional().describe("Entries at or after this time"),
    until: z.iso.datetime({ offset: true }).optional().describe("Entries before this time"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    starting_after: cursor.optional().describe("Cursor: the (older) page after this one"),
    ending_before: cursor.optional().describe("Cursor: the (newer) page before this one"),
  })
  .meta({ id: "AuditQuery" });

export const auditEntrySchema = z
  .object({
    object: z.literal("audit_entry"),
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ kind: z.string(), id: z.number().int(), key_id: z.number().int().nullable() }),
    client_ip: z.string().nullable(),
    request_id: z.string(),
    protocol: z.string(),
    operation: z.string(),
    target: z.object({ type: z.string(), id: z.string() }),
    changes: z.record(z.string(), z.unknown()),
    details: z.record(z.string(), z.unknown()).optional(),
    hash: z.string().nullable().describe("The entry's chain hash; null until the sealer has chained it (shortly after commit)"),
  })
  .meta({ id: "AuditEntry" });

export const chainVerificationSchema = z
  .object({
    object: z.literal("audit_verification"),
    ok: z.boolean(),
    entries: z.number().int().describe("Entries checked"),
    broken_at: z.number().int().nullable().describe("Id of the first entry that does not match"),
    reason: z.string().nullable(),
    unsealed: z.number().int().describe("Entries written but not chained yet (sealed shortly after commit; not a failure)"),
    oldest_unsealed_at: z.string().nullable(),
    checkpoints: z.number().int().describe("Checkpoints checked against the chain"),
    signed_checkpoints: z.number().int().describe("Checkpoints whose Ed25519 signature verified with the configured key"),
  })
  .meta({ id: "AuditVerification" });

export type AuditEntryView = z.output<typeof auditEntrySchema>;

/** Fields of audit diffs a customer never reads in its own trail (internal to its provider). */
const HIDDEN_FROM_CUSTOMERS = ["notes", "notes_visible"];

/**
 * A customer's view of an entry: no internal notes in the diffs, and the key id and client
 * address only of its own actions (an operator's or reseller's key and address are theirs).
 */
function forCustomer(entry: AuditEntryView, customerId: number): AuditEntryView {
  const own = entry.actor.kind === "customer" && entry.actor.id === customerId;
  const strip = (o: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
    if (!o) return o;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (HIDDEN_FROM_CUSTOMERS.includes(k)) continue;
      out[k] = v !== null && typeof v === "object" && !Array.isArray(v) ? strip(v as Record<string, unknown>) : v;
    }
    return out;
  };
  const view: AuditEntryView = { ...entry, actor: { ...entry.actor, key_id: own ? entry.actor.key_id : null }, client_ip: own ? entry.client_ip : null, changes: strip(entry.changes) ?? {} };
  const details = strip(entry.details);
  if (details) view.details = details;
  return view;
}

/** Reading and proving the audit log (REST, CLI). Writing stays with AuditService.record. */
export class AuditReader {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly checkpointKey: CheckpointVerifier | null = null,
  ) {}

  async list(ctx: Context, input: unknown): Promise<{ data: AuditEntryView[]; has_more: boolean; next_cursor: string | null; prev_cursor: string | null }> {
    authorize(ctx, AuditOps.list);
    const q = parseOrThrow(auditQuerySchema, input, "query");
    const filter: AuditFilter = {};
    if (q.operation) filter.operation = q.operation;
    if (q.target_type) filter.targetType = q.target_type;
    if (q.target_id) filter.targetId = q.target_id;
    if (q.request_id) filter.requestId = q.request_id;
    if (q.since) filter.since = new Date(q.since).toISOString();
    if (q.until) filter.until = new Date(q.until).toISOString();
    if (q.actor) {
      const [kind, id] = q.actor.split(":");
      filter.actorKind = kind ?? "";
      filter.actorId = Number(id);
    }
    const p = ctx.principal;
    const scope: AuditScope =
      p.kind === "operator" ? { kind: "all" } : p.kind === "reseller" ? { kind: "tenant", accountId: p.id, actorKind: "reseller" } : { kind: "customer", customerId: p.id };
    const rows = await new AuditRepository(this.storage.db).list(filter, scope, q.limit + 1, q.starting_after, q.ending_before);
    const backwards = q.ending_before !== undefined;
    // One extra row tells whether more exist in the walking direction.
    const more = rows.length > q.limit;
    const page = backwards ? rows.slice(rows.length - Math.min(rows.length, q.limit)) : rows.slice(0, q.limit);
    const first = page[0];
    const last = page[page.length - 1];
    const olderExist = backwards ? true : more;
    const newerExist = backwards ? more : q.starting_after !== undefined;
    return {
      data: (await this.audit.views(this.storage.db, page)).map((v) => (p.kind === "customer" ? forCustomer(v as AuditEntryView, p.id) : (v as AuditEntryView))),
      has_more: backwards ? more : olderExist,
      next_cursor: olderExist && last ? String(last.id) : null,
      prev_cursor: newerExist && first ? String(first.id) : null,
    };
  }

  async verify(ctx: Context): Promise<ChainVerification> {
    authorize(ctx, AuditOps.verify);
    return this.verifyChain();
  }

  /**
   * For the CLI and operations scripts: no principal, just the proof. Signatures are checked with
   * `publicKey` when given (an exported key kept elsewhere), else with the configured key.
   */
  async verifyChain(publicKey?: CheckpointVerifier): Promise<ChainVerification> {
    return this.audit.verify(this.storage.db, publicKey ?? this.checkpointKey);
  }

  /** Every checkpoint, oldest first, for an operator to keep outside the database. */
  async checkpoints(): Promise<CheckpointRow[]> {
    return new AuditRepository(this.storage.db).checkpoints();
  }

  /** The public key checkpoints are signed with now; null when none is configured. */
  get publicKey(): string | null {
    return this.checkpointKey?.publicKey ?? null;
  }
}
