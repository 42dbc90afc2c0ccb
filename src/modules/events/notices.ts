import type { Generated, Selectable } from "kysely";
import { sql } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { AuditService } from "../audit/service.js";
import { findVisibleCustomer } from "../customers/lookup.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { Dialect } from "../../storage/schema.js";
import type { SecretBox } from "../credentials/secrets.js";
import type { MailService } from "../mail/service.js";
import type { z } from "zod";
import type { publishedNoticeSchema } from "./catalogue.js";
import { NoticeDeliveryOps } from "./operations.js";
import { rotateSecretSchema } from "./schema.js";
import { retryDelayMs } from "./retry.js";
import type { EventRow } from "./repository.js";
import type { WebhookSender } from "./sender.js";
import { newWebhookSecret, SIGNATURE_HEADER, signatureHeader } from "./signing.js";
import { eventToView, publicEventId } from "./views.js";

export const NOTICE_METHODS = ["email", "sms", "phone", "webhook"] as const;
export type NoticeMethod = (typeof NOTICE_METHODS)[number];
export type PublishedNotice = z.output<typeof publishedNoticeSchema>;

/** A contact method subscribed to a notice's type, with its options (address, number, url). */
export interface Subscriber {
  contactMethodId: number;
  customerId: number;
  method: string;
  options: Record<string, string>;
}

/**
 * Who should receive a notice: the contact methods subscribed to its type (of its customer, or
 * of every customer for a global notice). The contacts module answers it; until it is wired in,
 * nobody is subscribed.
 */
export interface SubscriberDirectory {
  subscribersOf(db: Executor, notice: PublishedNotice): Promise<Subscriber[]>;
}

export const NO_SUBSCRIBERS: SubscriberDirectory = { subscribersOf: async () => [] };

/**
 * Sends text messages. The default only logs that a message went out (number masked, never the
 * text); a real provider implements this one method and is passed to the composition root.
 */
export interface SmsSender {
  readonly name: string;
  send(to: string, text: string): Promise<void>;
}

export class LogSmsSender implements SmsSender {
  readonly name = "log";
  readonly sent: { to: string; length: number }[] = [];
  constructor(private readonly log: (line: Record<string, unknown>) => void) {}
  async send(to: string, text: string): Promise<void> {
    const masked = `${to.slice(0, 4)}***${to.slice(-2)}`;
    if (this.sent.length < 1000) this.sent.push({ to, length: text.length });
    this.log({ msg: "sms not sent to a provider (log sender)", to: masked, length: text.length });
  }
}

export interface NoticeDeliveriesTable {
  id: Generated<number>;
  notice_id: number;
  event_id: number;
  customer_id: number | null;
  contact_method_id: number;
  method: string;
  /** JSON of the method's options at the time of publication (address, number or url). */
  target: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface NoticeSigningSecretsTable {
  customer_id: number;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    notice_deliveries: NoticeDeliveriesTable;
    notice_signing_secrets: NoticeSigningSecretsTable;
  }
}

export type NoticeDeliveryRow = Selectable<NoticeDeliveriesTable>;

export interface NoticeDeliveryView {
  object: "notice_delivery";
  id: number;
  notice_id: number;
  contact_method_id: number;
  method: string;
  status: "pending" | "delivered" | "failed" | "skipped";
  attempts: number;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface NoticeSigningSecretView {
  object: "notice_signing_secret";
  customer_id: number;
  secret: string;
  previous_secret_expires_at: string | null;
}

export function noticeDeliveryToView(r: NoticeDeliveryRow): NoticeDeliveryView {
  return {
    object: "notice_delivery",
    id: r.id,
    notice_id: r.notice_id,
    contact_method_id: r.contact_method_id,
    method: r.method,
    status: r.status as NoticeDeliveryView["status"],
    attempts: r.attempts,
    last_error: r.last_error,
    created_at: r.created_at,
    completed_at: r.completed_at,
  };
}

class NoticeDeliveryRepository {
  constructor(private readonly db: Executor) {}

  async insert(rows: Omit<NoticeDeliveryRow, "id">[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto("notice_deliveries").values(rows.slice(i, i + 500)).execute();
  }

  async hasDue(now: string): Promise<boolean> {
    const r = await this.db.selectFrom("notice_deliveries").select("id").where("status", "=", "pending").where("next_attempt_at", "<=", now).limit(1).executeTakeFirst();
    return r !== undefined;
  }

  /** Same lease as webhook deliveries: SKIP LOCKED on PostgreSQL, one atomic UPDATE on SQLite. */
  async claimDue(dialect: Dialect, owner: string, now: string, leaseUntil: string, limit: number): Promise<NoticeDeliveryRow[]> {
    const lock = dialect === "postgres" ? sql` for update skip locked` : sql``;
    const r = await sql<NoticeDeliveryRow>`update notice_deliveries set lease_owner = ${owner}, lease_until = ${leaseUntil}
      where id in (select id from notice_deliveries where status = 'pending' and next_attempt_at <= ${now} and (lease_until is null or lease_until < ${now})
        order by next_attempt_at, id limit ${limit}${lock})
      returning *`.execute(this.db);
    return r.rows;
  }

  async finish(id: number, owner: string, set: { status: string; attempts: number; next_attempt_at: string; last_error: string | null; completed_at: string | null }): Promise<void> {
    await this.db
      .updateTable("notice_deliveries")
      .set({ ...set, lease_owner: null, lease_until: null })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .execute();
  }

  async ofNotice(noticeId: number, scope: { kind: "all" } | { kind: "tenant"; accountId: number } | { kind: "customer"; customerId: number } = { kind: "all" }): Promise<NoticeDeliveryRow[]> {
    let q = this.db.selectFrom("notice_deliveries as d").selectAll("d").where("d.notice_id", "=", noticeId);
    if (scope.kind === "customer") q = q.where("d.customer_id", "=", scope.customerId);
    else if (scope.kind === "tenant") q = q.where("d.customer_id", "in", (eb) => eb.selectFrom("customers").select("id").where("owner_id", "=", scope.accountId));
    return q.orderBy("d.id").limit(1000).execute();
  }

  async secretOf(customerId: number): Promise<Selectable<NoticeSigningSecretsTable> | undefined> {
    return this.db.selectFrom("notice_signing_secrets").selectAll().where("customer_id", "=", customerId).executeTakeFirst();
  }

  async putSecret(row: Selectable<NoticeSigningSecretsTable>): Promise<void> {
    await this.db.deleteFrom("notice_signing_secrets").where("customer_id", "=", row.customer_id).execute();
    await this.db.insertInto("notice_signing_secrets").values(row).execute();
  }
}

export interface NoticeDeliveryOptions {
  leaseSeconds: number;
  retryBaseMs: number;
  retryMaxMs: number;
  retryWindowSeconds: number;
  concurrency: number;
}

type Outcome = { status: "delivered" | "skipped" } | { status: "retry"; error: string };

/**
 * Delivers published notices to the contact methods subscribed to their type: e-mail over the
 * mail transport, SMS through the pluggable sender, webhooks signed like endpoint deliveries
 * (with the method's own secret). The dispatcher calls `fanOut` inside its fan-out transaction
 * and `deliverDue` on each pass; state per method is kept in notice_deliveries.
 */
export class NoticeDelivery {
  directory: SubscriberDirectory = NO_SUBSCRIBERS;

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly mail: MailService,
    private readonly sms: SmsSender,
    private readonly sender: WebhookSender,
    private readonly options: NoticeDeliveryOptions,
    private readonly log: (level: "info" | "warn" | "error", line: Record<string, unknown>, msg: string) => void = () => {},
  ) {}

  /** Runs inside the dispatcher's fan-out transaction (`trx`); lookups nest in savepoints. */
  async fanOut(trx: Executor, events: EventRow[], now: string): Promise<void> {
    const rows: Omit<NoticeDeliveryRow, "id">[] = [];
    for (const event of events) {
      if (event.type !== "notice.published") continue;
      const notice = (JSON.parse(event.payload) as { notice: PublishedNotice }).notice;
      let subscribers: Subscriber[];
      try {
        // In a savepoint: a failing lookup must not abort the fan-out of every other event.
        subscribers = await this.storage.transaction((inner) => this.directory.subscribersOf(inner, notice));
      } catch (error) {
        this.log("error", { err: error, notice: notice.id }, "looking up a notice's subscribers failed; it is not delivered to contact methods");
        continue;
      }
      for (const s of subscribers) {
        rows.push({
          notice_id: notice.id,
          event_id: event.id,
          customer_id: s.customerId,
          contact_method_id: s.contactMethodId,
          method: s.method,
          target: JSON.stringify(s.options),
          status: "pending",
          attempts: 0,
          next_attempt_at: now,
          lease_owner: null,
          lease_until: null,
          last_error: null,
          created_at: now,
          completed_at: null,
        });
      }
    }
    await new NoticeDeliveryRepository(trx).insert(rows);
  }

  async deliverDue(owner: string): Promise<number> {
    const repo = new NoticeDeliveryRepository(this.storage.db);
    const now = this.clock.now();
    if (!(await repo.hasDue(now.toISOString()))) return 0;
    const leaseUntil = new Date(now.getTime() + this.options.leaseSeconds * 1000).toISOString();
    const claimed = await repo.claimDue(this.storage.dialect, owner, now.toISOString(), leaseUntil, this.options.concurrency * 2);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let c = claimed[next++]; c; c = claimed[next++]) await this.deliverOne(owner, c);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, claimed.length) }, worker));
    return claimed.length;
  }

  private async deliverOne(owner: string, d: NoticeDeliveryRow): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.send(d);
    } catch (error) {
      outcome = { status: "retry", error: (error as Error).message.slice(0, 300) };
    }
    const now = this.clock.now();
    const attempt = d.attempts + 1;
    if (outcome.status !== "retry") {
      await new NoticeDeliveryRepository(this.storage.db).finish(d.id, owner, { status: outcome.status, attempts: attempt, next_attempt_at: now.toISOString(), last_error: null, completed_at: now.toISOString() });
      return;
    }
    const retryAt = now.getTime() + retryDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs);
    const giveUp = retryAt > new Date(d.created_at).getTime() + this.options.retryWindowSeconds * 1000;
    await new NoticeDeliveryRepository(this.storage.db).finish(d.id, owner, {
      status: giveUp ? "failed" : "pending",
      attempts: attempt,
      next_attempt_at: new Date(retryAt).toISOString(),
      last_error: outcome.error,
      completed_at: giveUp ? now.toISOString() : null,
    });
  }

  private async send(d: NoticeDeliveryRow): Promise<Outcome> {
    const target = JSON.parse(d.target) as Record<string, string>;
    const event = await this.storage.db.selectFrom("events").selectAll().where("id", "=", d.event_id).executeTakeFirst();
    if (!event) return { status: "skipped" };
    const notice = (JSON.parse(event.payload) as { notice: PublishedNotice }).notice;
    const method = d.method as NoticeMethod;
    switch (method) {
      case "email": {
        if (!target.address) return { status: "skipped" };
        await this.mail.send({ to: target.address, subject: `[${notice.severity}] ${notice.title}`, text: notice.body || notice.title });
        return { status: "delivered" };
      }
      case "sms": {
        if (!target.number) return { status: "skipped" };
        await this.sms.send(target.number, `${notice.title}${notice.body ? `: ${notice.body}` : ""}`.slice(0, 480));
        return { status: "delivered" };
      }
      case "phone":
        // No voice provider: the state says so instead of pretending.
        return { status: "skipped" };
      case "webhook": {
        if (!target.url) return { status: "skipped" };
        const body = JSON.stringify(eventToView(event));
        const t = Math.floor(this.clock.now().getTime() / 1000);
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "user-agent": "Custos-Webhooks/1",
          "custos-event-id": publicEventId(event.id),
          "custos-event-type": event.type,
          "custos-delivery-attempt": String(d.attempts + 1),
        };
        // Signed with the customer's notice signing secret (and the previous one during an overlap).
        const secret = d.customer_id === null ? undefined : await new NoticeDeliveryRepository(this.storage.db).secretOf(d.customer_id);
        if (secret) {
          const secrets = [this.box.open(secret.secret_sealed)];
          if (secret.previous_secret_sealed && secret.previous_secret_expires_at && secret.previous_secret_expires_at > this.clock.now().toISOString()) secrets.push(this.box.open(secret.previous_secret_sealed));
          headers[SIGNATURE_HEADER] = signatureHeader(secrets, t, body);
        }
        const r = await this.sender.post(target.url, headers, body);
        if (r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300) return { status: "delivered" };
        return { status: "retry", error: r.error ?? `HTTP ${r.statusCode}` };
      }
      default:
        return { status: "skipped" };
    }
  }

  /** Delivery state per contact method of one notice (all of them; for tests and operators' tools). */
  async deliveriesOf(noticeId: number): Promise<NoticeDeliveryView[]> {
    return (await new NoticeDeliveryRepository(this.storage.db).ofNotice(noticeId)).map(noticeDeliveryToView);
  }

  /**
   * A notice's delivery state per contact method, as far as the caller may see: operators all,
   * a reseller those to its customers' methods, a customer those to its own.
   */
  async list(ctx: Context, noticeId: number): Promise<NoticeDeliveryView[]> {
    authorize(ctx, NoticeDeliveryOps.list);
    const p = ctx.principal;
    const scope = p.kind === "operator" ? ({ kind: "all" } as const) : p.kind === "reseller" ? ({ kind: "tenant", accountId: p.id } as const) : ({ kind: "customer", customerId: p.id } as const);
    return (await new NoticeDeliveryRepository(this.storage.db).ofNotice(noticeId, scope)).map(noticeDeliveryToView);
  }

  /**
   * Issues (or replaces) the secret that signs notices sent to the customer's webhook contact
   * methods; shown once. The previous secret keeps signing alongside for `overlap_seconds`.
   */
  async issueSigningSecret(ctx: Context, ref: string, input: unknown): Promise<NoticeSigningSecretView> {
    authorize(ctx, NoticeDeliveryOps.signingSecret);
    const data = parseOrThrow(rotateSecretSchema, input ?? {});
    const secret = newWebhookSecret();
    return this.storage.transaction(async (trx) => {
      const customer = await findVisibleCustomer(trx, ctx, ref);
      const repo = new NoticeDeliveryRepository(trx);
      const previous = await repo.secretOf(customer.id);
      const now = this.clock.now();
      const overlap = previous !== undefined && data.overlap_seconds > 0;
      const expires = overlap ? new Date(now.getTime() + data.overlap_seconds * 1000).toISOString() : null;
      await repo.putSecret({
        customer_id: customer.id,
        secret_sealed: this.box.seal(secret),
        previous_secret_sealed: overlap ? previous.secret_sealed : null,
        previous_secret_expires_at: expires,
        created_at: now.toISOString(),
      });
      await this.audit.record(trx, ctx, { operation: NoticeDeliveryOps.signingSecret.name, targetType: "customer", targetId: customer.id, details: { replaced: previous !== undefined, overlap_seconds: overlap ? data.overlap_seconds : 0 } });
      return { object: "notice_signing_secret", customer_id: customer.id, secret, previous_secret_expires_at: expires };
    });
  }
}
