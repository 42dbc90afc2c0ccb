import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { AccountRepository } from "../accounts/repository.js";
import type { AuditService } from "../audit/service.js";
import type { SecretBox } from "../credentials/secrets.js";
import { WebhookOps } from "./operations.js";
import type { Outbox } from "./outbox.js";
import { type EndpointRow, EventRepository, type EndpointScope } from "./repository.js";
import {
  type DeliveryView,
  type EndpointCreate,
  type EndpointUpdate,
  type EndpointView,
  type EndpointWithSecret,
  deliveryQuerySchema,
  endpointListQuerySchema,
  rotateSecretSchema,
} from "./schema.js";
import { newWebhookSecret } from "./signing.js";
import type { TargetPolicy } from "./targets.js";
import { deliveryToView, endpointRef, endpointToView } from "./views.js";

const MAX_ENDPOINTS_PER_OWNER = 50;

const checked: unique symbol = Symbol("checked webhook target");
/** A webhook target URL that passed the target policy (scheme, and an address that is not internal). */
export interface CheckedTarget {
  readonly url: string;
  readonly [checked]: true;
}

/**
 * Webhook endpoints of operators and resellers: registration (secret shown once, sealed at rest),
 * changes, secret rotation with an overlap, test pings, the delivery log and redelivery. Another
 * owner's endpoint answers exactly like a missing one.
 */
export class WebhookService {
  /** Called after something was queued, so the dispatcher need not wait for its next poll. */
  onQueued: () => void = () => {};

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly targets: TargetPolicy,
  ) {}

  private scopeOf(ctx: Context): EndpointScope {
    const p = ctx.principal;
    if (p.kind === "operator") return { kind: "all" };
    return { kind: "owner", ownerKind: p.kind, ownerId: p.id };
  }

  private async find(db: Executor, ctx: Context, id: number): Promise<EndpointRow> {
    const row = await new EventRepository(db).findEndpoint(id, this.scopeOf(ctx));
    if (!row) throw notFound("Webhook endpoint");
    return row;
  }

  private tenantOf(row: Pick<EndpointRow, "owner_kind" | "owner_id">): { tenantId?: number } {
    return row.owner_kind === "reseller" ? { tenantId: row.owner_id } : {};
  }

  /**
   * The checks of a registration that come before any write: who may name another owner, then
   * the target's address (DNS, so outside any transaction: the `prepare` step of its command).
   */
  async checkCreate(ctx: Context, data: EndpointCreate): Promise<CheckedTarget> {
    this.assertMayChooseOwner(ctx, data);
    return this.checkTarget(data.url);
  }

  private assertMayChooseOwner(ctx: Context, data: EndpointCreate): void {
    if (data.owner_id !== undefined && ctx.principal.kind !== "operator") throw new AppError("forbidden", "Only operators register endpoints for another account");
  }

  /** The target of a URL change, checked before the change's transaction opens (nothing to check when the URL stays). */
  async checkUpdate(patch: EndpointUpdate): Promise<CheckedTarget | undefined> {
    return patch.url === undefined ? undefined : this.checkTarget(patch.url);
  }

  /** Resolves the target and refuses an internal one; the proof `create` and `update` require. */
  private async checkTarget(url: string): Promise<CheckedTarget> {
    const refusal = await this.targets.check(url);
    if (refusal) throw validationFailed([refusal], `url: ${refusal.message}`);
    return { url, [checked]: true };
  }

  /** Registers an endpoint at a target `checkCreate` accepted; the secret is in this answer only. */
  async create(ctx: Context, data: EndpointCreate, target: CheckedTarget): Promise<EndpointWithSecret> {
    authorize(ctx, WebhookOps.create);
    this.assertMayChooseOwner(ctx, data);
    if (target.url !== data.url) throw new Error("webhook create: the target checked is not the URL registered");
    const p = ctx.principal;
    const secret = newWebhookSecret();
    const row = await this.storage.transaction(async (trx) => {
      let owner: { kind: string; id: number } = { kind: p.kind, id: p.id };
      if (data.owner_id !== undefined) {
        const account = await new AccountRepository(trx).findById(data.owner_id);
        if (!account) throw validationFailed([{ field: "owner_id", code: "invalid_value", message: "must be the id of a reseller or operator account" }]);
        owner = { kind: account.kind, id: account.id };
      }
      const repo = new EventRepository(trx);
      const existing = await repo.listEndpoints({ kind: "owner", ownerKind: owner.kind, ownerId: owner.id }, MAX_ENDPOINTS_PER_OWNER, undefined);
      if (existing.length >= MAX_ENDPOINTS_PER_OWNER) throw new AppError("conflict", `An account may have at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints`);
      const now = this.clock.now().toISOString();
      const inserted = await repo.insertEndpoint({
        owner_kind: owner.kind,
        owner_id: owner.id,
        url: target.url,
        description: data.description,
        event_types: JSON.stringify([...new Set(data.event_types)]),
        status: "enabled",
        disabled_reason: null,
        secret_sealed: this.box.seal(secret),
        previous_secret_sealed: null,
        previous_secret_expires_at: null,
        failing_since: null,
        created_at: now,
        updated_at: now,
        version: 1,
      });
      await this.audit.record(trx, ctx, { operation: WebhookOps.create.name, targetType: "webhook_endpoint", targetId: inserted.id, ...this.tenantOf(inserted), before: null, after: endpointToView(inserted) });
      return inserted;
    });
    return { ...endpointToView(row), secret };
  }

  async list(ctx: Context, input: unknown): Promise<{ data: EndpointView[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, WebhookOps.list);
    const q = parseOrThrow(endpointListQuerySchema, input ?? {}, "query");
    const rows = await new EventRepository(this.storage.db).listEndpoints(this.scopeOf(ctx), q.limit + 1, q.starting_after);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const more = rows.length > q.limit;
    return { data: page.map(endpointToView), has_more: more, next_cursor: more && last ? String(last.id) : null };
  }

  async get(ctx: Context, id: number): Promise<EndpointView> {
    authorize(ctx, WebhookOps.get);
    return endpointToView(await this.find(this.storage.db, ctx, id));
  }

  /** Changes an endpoint; a new URL must be the one `checkUpdate` accepted. */
  async update(ctx: Context, id: number, patch: EndpointUpdate, target: CheckedTarget | undefined): Promise<EndpointView> {
    authorize(ctx, WebhookOps.update);
    if ((patch.url === undefined) !== (target === undefined) || (target !== undefined && target.url !== patch.url)) throw new Error("webhook update: the new URL was not checked");
    const row = await this.storage.transaction(async (trx) => {
      const before = await this.find(trx, ctx, id);
      const set: Partial<EndpointRow> = { updated_at: this.clock.now().toISOString() };
      if (target !== undefined) set.url = target.url;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.event_types !== undefined) set.event_types = JSON.stringify([...new Set(patch.event_types)]);
      if (patch.status !== undefined && patch.status !== before.status) {
        set.status = patch.status;
        set.disabled_reason = patch.status === "disabled" ? "disabled by its owner" : null;
        if (patch.status === "enabled") set.failing_since = null;
      }
      const after = await new EventRepository(trx).updateEndpoint(before.id, before.version, set);
      if (!after) throw new AppError("precondition_failed", "The endpoint was changed concurrently; read it again and retry");
      await this.audit.record(trx, ctx, { operation: WebhookOps.update.name, targetType: "webhook_endpoint", targetId: id, ...this.tenantOf(before), before: endpointToView(before), after: endpointToView(after) });
      return after;
    });
    if (row.status === "enabled") this.storage.afterCommit(() => this.onQueued());
    return endpointToView(row);
  }

  async delete(ctx: Context, id: number): Promise<void> {
    authorize(ctx, WebhookOps.delete);
    await this.storage.transaction(async (trx) => {
      const row = await this.find(trx, ctx, id);
      await new EventRepository(trx).deleteEndpoint(row.id);
      await this.audit.record(trx, ctx, { operation: WebhookOps.delete.name, targetType: "webhook_endpoint", targetId: id, ...this.tenantOf(row), before: endpointToView(row), after: null });
    });
  }

  /** A new secret, shown once; the old one keeps signing (a second v1) until the overlap ends. */
  async rotateSecret(ctx: Context, id: number, input: unknown): Promise<EndpointWithSecret> {
    authorize(ctx, WebhookOps.rotateSecret);
    const data = parseOrThrow(rotateSecretSchema, input ?? {});
    const secret = newWebhookSecret();
    const row = await this.storage.transaction(async (trx) => {
      const before = await this.find(trx, ctx, id);
      const now = this.clock.now();
      const after = await new EventRepository(trx).updateEndpoint(before.id, before.version, {
        secret_sealed: this.box.seal(secret),
        previous_secret_sealed: data.overlap_seconds > 0 ? before.secret_sealed : null,
        previous_secret_expires_at: data.overlap_seconds > 0 ? new Date(now.getTime() + data.overlap_seconds * 1000).toISOString() : null,
        updated_at: now.toISOString(),
      });
      if (!after) throw new AppError("precondition_failed", "The endpoint was changed concurrently; try again");
      await this.audit.record(trx, ctx, { operation: WebhookOps.rotateSecret.name, targetType: "webhook_endpoint", targetId: id, ...this.tenantOf(before), details: { overlap_seconds: data.overlap_seconds } });
      return after;
    });
    return { ...endpointToView(row), secret };
  }

  /** Queues a webhook.ping event for this endpoint only; the dispatcher sends it at once. */
  async ping(ctx: Context, id: number): Promise<DeliveryView> {
    authorize(ctx, WebhookOps.ping);
    const view = await this.storage.transaction(async (trx) => {
      const endpoint = await this.find(trx, ctx, id);
      if (endpoint.status !== "enabled") throw new AppError("invalid_state_transition", "A disabled endpoint receives nothing; enable it first");
      await this.audit.record(trx, ctx, { operation: WebhookOps.ping.name, targetType: "webhook_endpoint", targetId: id, ...this.tenantOf(endpoint) });
      const now = this.clock.now().toISOString();
      // Already dispatched: the ping goes to this endpoint, not to every subscriber.
      const eventId = await this.outbox.write(
        trx,
        ctx,
        {
          type: "webhook.ping",
          objectType: "webhook_endpoint",
          objectId: String(id),
          customerId: null,
          tenantId: endpoint.owner_kind === "reseller" ? endpoint.owner_id : null,
          data: { endpoint: endpointRef(endpoint), message: "Test delivery from Custos" },
        },
        now,
        now,
      );
      const [delivery] = await new EventRepository(trx).insertDeliveries([newDelivery(id, eventId, now, null)]);
      if (!delivery) throw new Error("delivery not inserted");
      return deliveryToView(delivery, "webhook.ping", []);
    });
    this.storage.afterCommit(() => this.onQueued());
    return view;
  }

  async deliveries(ctx: Context, id: number, input: unknown): Promise<{ data: DeliveryView[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, WebhookOps.deliveries);
    const q = parseOrThrow(deliveryQuerySchema, input ?? {}, "query");
    const db = this.storage.db;
    const endpoint = await this.find(db, ctx, id);
    const repo = new EventRepository(db);
    const rows = await repo.listDeliveries(endpoint.id, q.status, q.limit + 1, q.starting_after);
    const page = rows.slice(0, q.limit);
    const types = new Map((await repo.eventsByIds([...new Set(page.map((r) => r.event_id))])).map((e) => [e.id, e.type]));
    const attempts = await repo.attemptsOf(page.map((r) => r.id));
    const last = page[page.length - 1];
    const more = rows.length > q.limit;
    return {
      data: page.map((r) => deliveryToView(r, types.get(r.event_id) ?? "", attempts.filter((a) => a.delivery_id === r.id))),
      has_more: more,
      next_cursor: more && last ? String(last.id) : null,
    };
  }

  /** Sends a delivery's event again as a new delivery (same event id, so receivers can deduplicate). */
  async redeliver(ctx: Context, id: number, deliveryId: number): Promise<DeliveryView> {
    authorize(ctx, WebhookOps.redeliver);
    const view = await this.storage.transaction(async (trx) => {
      const endpoint = await this.find(trx, ctx, id);
      const repo = new EventRepository(trx);
      const original = await repo.findDelivery(endpoint.id, deliveryId);
      if (!original) throw notFound("Webhook delivery");
      const now = this.clock.now().toISOString();
      const [delivery] = await repo.insertDeliveries([newDelivery(endpoint.id, original.event_id, now, original.id)]);
      if (!delivery) throw new Error("delivery not inserted");
      await this.audit.record(trx, ctx, { operation: WebhookOps.redeliver.name, targetType: "webhook_endpoint", targetId: id, ...this.tenantOf(endpoint), details: { delivery_id: delivery.id, redelivery_of: original.id } });
      const event = await repo.findEvent(original.event_id);
      return deliveryToView(delivery, event?.type ?? "", []);
    });
    this.storage.afterCommit(() => this.onQueued());
    return view;
  }
}

export function newDelivery(endpointId: number, eventId: number, now: string, redeliveryOf: number | null) {
  return {
    endpoint_id: endpointId,
    event_id: eventId,
    status: "pending",
    attempts: 0,
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
    last_status_code: null,
    last_error: null,
    redelivery_of: redeliveryOf,
    created_at: now,
    completed_at: null,
  };
}
