import type { Context } from "../../core/context.js";
import type { Executor } from "../../storage/db.js";
import { type AuditEvent, type AuditTags, type AuditTap, sameValue } from "../audit/service.js";
import { compileSerializer } from "../../core/json-schema.js";
import { EVENT_CATALOGUE, type EventType } from "./catalogue.js";
import { EventRepository, type NewEventRow } from "./repository.js";

/** An event about to enter the outbox. */
export interface OutboxEvent {
  type: EventType;
  objectType: string;
  objectId: string;
  customerId: number | null;
  tenantId: number | null;
  data: Record<string, unknown>;
}

type Snapshot = Record<string, unknown> | null | undefined;

const STATUS_EVENTS: Record<string, EventType> = {
  "customer.suspend": "customer.suspended",
  "customer.unsuspend": "customer.unsuspended",
  "customer.deactivate": "customer.deactivated",
  "customer.reactivate": "customer.reactivated",
  "customer.lock": "customer.locked",
  "customer.unlock": "customer.unlocked",
  "customer.request_cancellation": "customer.cancellation_requested",
  "customer.withdraw_cancellation": "customer.cancellation_withdrawn",
  "customer.close": "customer.closed",
};

const CREDENTIAL_EVENTS: Record<string, { credential: string; change: (d: Snapshot) => string }> = {
  "credential.password.set": { credential: "password", change: () => "set" },
  "credential.password.change": { credential: "password", change: () => "changed" },
  "credential.pin.set": { credential: "pin", change: (d) => String(d?.pin ?? "set") },
  "credential.totp.confirm": { credential: "totp", change: () => "enabled" },
  "credential.totp.disable": { credential: "totp", change: () => "disabled" },
  "credential.totp.backup_codes": { credential: "backup_codes", change: () => "replaced" },
  "session.revoke_all": { credential: "sessions", change: () => "revoked" },
};

const API_KEY_EVENTS: Record<string, EventType> = { "apikey.create": "api_key.created", "apikey.update": "api_key.updated", "apikey.revoke": "api_key.revoked" };

function changedFields(before: Snapshot, after: Snapshot): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => k !== "version" && k !== "updated_at" && !sameValue(before?.[k], after?.[k])).sort();
}

/**
 * What events an audited mutation means. Operations not named here (reads, logins, exports)
 * emit none. Pure: the outbox writes what this returns in the mutation's transaction.
 */
export function eventsFromAudit(event: AuditEvent, tags: Pick<AuditTags, "customerId" | "tenantId">): OutboxEvent[] {
  const { operation, before, after, details } = event;
  const id = String(event.targetId);
  const base = { objectType: event.targetType, objectId: id, customerId: tags.customerId, tenantId: tags.tenantId };
  const customerId = tags.customerId ?? Number(event.targetId);
  switch (operation) {
    case "customer.create":
      return [{ ...base, type: "customer.created", data: { customer: after } }];
    case "customer.update":
      return [{ ...base, type: "customer.updated", data: { customer: after, changed_fields: changedFields(before, after) } }];
    case "customer.delete":
      return [{ ...base, type: "customer.deleted", data: { customer: after } }];
    case "customer.purge":
      return [{ ...base, type: "customer.purged", data: { customer_id: customerId } }];
    case "customer.move": {
      const from = Number(before?.owner_id);
      const to = Number(after?.owner_id);
      const data = { customer_id: customerId, from_owner_id: from, to_owner_id: to };
      // Both owners hear of it: the old one loses the customer, the new one gains it.
      return [
        { ...base, tenantId: from, type: "customer.moved", data },
        { ...base, tenantId: to, type: "customer.moved", data },
      ];
    }
    case "credential.email.confirm":
      return [{ ...base, type: "customer.email_changed", data: { customer_id: customerId, email: after?.email } }];
    case "notice.create":
      return [{ ...base, type: "notice.published", data: { notice: { ...after, global: after?.customer_id === null } } }];
    case "webhook.disable":
      return [{ ...base, type: "webhook_endpoint.disabled", data: { endpoint: details?.endpoint, reason: details?.reason } }];
    case "reseller.create":
      return [{ ...base, tenantId: null, type: "reseller.created", data: { reseller: after } }];
    default:
      break;
  }
  const statusType = STATUS_EVENTS[operation];
  if (statusType) {
    const reason = typeof details?.reason === "string" ? details.reason : null;
    return [{ ...base, type: statusType, data: { customer_id: customerId, from: before?.status ?? null, to: after?.status ?? null, reason } }];
  }
  const credential = CREDENTIAL_EVENTS[operation];
  if (credential) return [{ ...base, type: "customer.credentials_changed", data: { customer_id: customerId, credential: credential.credential, change: credential.change(details) } }];
  const keyType = API_KEY_EVENTS[operation];
  if (keyType && after) {
    // A reseller's own key belongs to the reseller's stream; a customer's key to its owner's.
    const principal = after.principal as { kind?: string; id?: number } | undefined;
    const tenantId = principal?.kind === "reseller" && typeof principal.id === "number" ? principal.id : tags.tenantId;
    return [{ ...base, tenantId, type: keyType, data: { api_key: after } }];
  }
  return [];
}

/**
 * The transactional outbox. `write` runs in the caller's transaction, so an event exists exactly
 * when the change it describes does. The data is written through the type's catalogue schema, which
 * drops every field the catalogue does not declare.
 */
export class Outbox {
  /** Called once a transaction that wrote events commits (wakes this process's dispatcher). */
  onCommitted: () => void = () => {};

  /** `afterCommit` defers a callback to the end of the current transaction (Storage.afterCommit). */
  constructor(private readonly afterCommit: (fn: () => void) => void = (fn) => fn()) {}

  async write(trx: Executor, ctx: Context, event: OutboxEvent, at: string, dispatchedAt: string | null = null): Promise<number> {
    return new EventRepository(trx).insertEvent(eventRow(ctx, event, at, dispatchedAt));
  }

  /**
   * Many events of one transaction in multi-row inserts (bulk import), each parsed like `write`.
   * Wakes the dispatcher after commit, as the audit tap does.
   */
  async writeMany(trx: Executor, ctx: Context, events: OutboxEvent[], at: string): Promise<void> {
    if (events.length === 0) return;
    await new EventRepository(trx).insertEvents(events.map((event) => eventRow(ctx, event, at, null)));
    this.afterCommit(() => this.onCommitted());
  }

  /** The audit tap: every audited mutation that means an event writes it beside its entry. */
  readonly fromAudit: AuditTap = async (trx, ctx, event, tags) => {
    const repo = new EventRepository(trx);
    // Erasure reaches the outbox too: earlier events carry the customer's personal data.
    if ((event.operation === "customer.purge" || event.operation === "customer.anonymise") && tags.customerId !== null) {
      await repo.forgetCustomer(tags.customerId);
    }
    const events = eventsFromAudit(event, tags);
    if (events.length > 0) this.afterCommit(() => this.onCommitted());
    return events.map((e) => repo.insertEventQuery(eventRow(ctx, e, tags.at, null)));
  };
}

const payloadWriters = new Map<EventType, (data: unknown) => string>();

/**
 * An event's data as stored: written by a serializer compiled from its type's catalogue schema,
 * which writes only the fields the catalogue declares (several times cheaper than parsing the
 * whole customer with zod on every write).
 */
function payloadOf(type: EventType, data: unknown): string {
  let write = payloadWriters.get(type);
  if (!write) {
    write = compileSerializer(EVENT_CATALOGUE[type].data);
    payloadWriters.set(type, write);
  }
  return write(data);
}

/** The stored form of an event. */
function eventRow(ctx: Context, event: OutboxEvent, at: string, dispatchedAt: string | null): NewEventRow {
  return {
    type: event.type,
    object_type: event.objectType,
    object_id: event.objectId,
    customer_id: event.customerId,
    tenant_id: event.tenantId,
    payload: payloadOf(event.type, event.data),
    request_id: ctx.requestId,
    created_at: at,
    dispatched_at: dispatchedAt,
  };
}
