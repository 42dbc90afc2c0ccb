import type { z } from "zod";
import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { type FieldIssue, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { fieldError, parseOrThrow, zodIssuesToFieldIssues } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerService } from "../customers/service.js";
import { ownsCustomer, parseJson, visibleCustomer, writableCustomer } from "../provisioning/scope.js";
import { ContactOps } from "./operations.js";
import { type CatalogueRow, type ContactMethodRow, ContactRepository, type ContactRow, type SubscriptionRow } from "./repository.js";
import {
  type CatalogueEntry,
  type ContactMethodView,
  type ContactView,
  contactCreateSchema,
  contactMethodCreateSchema,
  contactMethodNoticeCreateSchema,
  METHOD_OPTIONS,
  type MethodType,
  type SubscriptionView,
  subscriptionOptions,
} from "./schema.js";

function subscriptionView(s: SubscriptionRow): SubscriptionView {
  return { object: "contact_method_notice", id: s.id, contact_method_id: s.contact_method_id, notice_type: { id: s.notice_type_id, name: s.notice_type_name }, options: parseJson(s.options, {}), created_at: s.created_at };
}

function methodView(m: ContactMethodRow, subs: SubscriptionRow[]): ContactMethodView {
  return {
    object: "contact_method",
    id: m.id,
    contact_id: m.contact_id,
    method: { id: m.method_type_id, name: m.method_name },
    options: parseJson(m.options, {}),
    subscriptions: subs.filter((s) => s.contact_method_id === m.id).map(subscriptionView),
    created_at: m.created_at,
  };
}

function pickCatalogue(rows: CatalogueRow[], ref: number | string, field: string, what: string): CatalogueRow {
  const row = rows.find((r) => (typeof ref === "number" ? r.id === ref : r.name === ref));
  if (!row) throw fieldError(field, "invalid_value", `is not a ${what}; one of ${rows.map((r) => `${r.id} (${r.name})`).join(", ")}`);
  return row;
}

function checkOptions(schema: z.ZodType, options: Record<string, string>): Record<string, string> {
  const r = schema.safeParse(options);
  if (r.success) return r.data as Record<string, string>;
  const issues: FieldIssue[] = zodIssuesToFieldIssues(r.error, options).map((i) => ({ ...i, field: i.field.startsWith("(") ? "options" : `options.${i.field}` }));
  throw validationFailed(issues);
}

/**
 * Contacts of a customer, the ways to reach them and what each way is told about. Deleting a contact removes its methods and subscriptions.
 */
export class ContactService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
  ) {
    customers.onPurge((trx, id) => new ContactRepository(trx).deleteForCustomer(id));
  }

  private async contactsView(db: Executor, contacts: ContactRow[]): Promise<ContactView[]> {
    const repo = new ContactRepository(db);
    const methods = await repo.methodsOf(contacts.map((c) => c.id));
    const subs = await repo.subscriptionsOf(methods.map((m) => m.id));
    return contacts.map((c) => ({
      object: "contact",
      id: c.id,
      customer_id: c.customer_id,
      name: c.name,
      methods: methods.filter((m) => m.contact_id === c.id).map((m) => methodView(m, subs)),
      created_at: c.created_at,
    }));
  }

  private async ownContact(db: Executor, ctx: Context, id: number): Promise<ContactRow> {
    const c = await new ContactRepository(db).contact(id);
    if (!c || !(await ownsCustomer(db, ctx, c.customer_id))) throw notFound("Contact");
    return c;
  }

  /** A new contact of the customer, by name. */
  async createContact(ctx: Context, customerRef: string | number, input: unknown): Promise<ContactView> {
    authorize(ctx, ContactOps.create);
    const data = parseOrThrow(contactCreateSchema, input);
    return this.storage.transaction(async (trx) => {
      const customer = await writableCustomer(trx, ctx, customerRef);
      const row = await new ContactRepository(trx).insertContact({ customer_id: customer.id, name: data.name, created_at: this.clock.now().toISOString() });
      const [view] = await this.contactsView(trx, [row]);
      await this.audit.record(trx, ctx, { operation: ContactOps.create.name, targetType: "contact", targetId: row.id, customerId: customer.id, before: null, after: { name: row.name } });
      return view as ContactView;
    });
  }

  /** Deletes the contact, its methods and their subscriptions. */
  async destroyContact(ctx: Context, contactId: number): Promise<void> {
    authorize(ctx, ContactOps.delete);
    await this.storage.transaction(async (trx) => {
      const c = await this.ownContact(trx, ctx, contactId);
      const [before] = await this.contactsView(trx, [c]);
      await new ContactRepository(trx).deleteContact(c.id);
      await this.audit.record(trx, ctx, { operation: ContactOps.delete.name, targetType: "contact", targetId: c.id, customerId: c.customer_id, before: before ?? null, after: null });
    });
  }

  /** The customer's contacts with their methods and subscriptions. */
  async listContacts(ctx: Context, customerRef: string | number): Promise<ContactView[]> {
    authorize(ctx, ContactOps.list);
    const customer = await visibleCustomer(this.storage.db, ctx, customerRef);
    return this.contactsView(this.storage.db, await new ContactRepository(this.storage.db).contactsOf(customer.id));
  }

  /** A way to reach a contact; its options are checked per method type. */
  async createContactMethod(ctx: Context, contactId: number, input: unknown): Promise<ContactMethodView> {
    authorize(ctx, ContactOps.methodCreate);
    const data = parseOrThrow(contactMethodCreateSchema, input);
    return this.storage.transaction(async (trx) => {
      const c = await this.ownContact(trx, ctx, contactId);
      const repo = new ContactRepository(trx);
      const type = pickCatalogue(await repo.methodTypes(), data.method_id, "method_id", "contact method type");
      const schema = METHOD_OPTIONS[type.name as MethodType];
      const options = schema ? checkOptions(schema, data.options) : data.options;
      const id = await repo.insertMethod({ contact_id: c.id, method_type_id: type.id, options: JSON.stringify(options), created_at: this.clock.now().toISOString() });
      const row = await repo.method(id);
      if (!row) throw notFound("Contact method");
      const view = methodView(row, []);
      await this.audit.record(trx, ctx, { operation: ContactOps.methodCreate.name, targetType: "contact_method", targetId: id, customerId: c.customer_id, before: null, after: view });
      return view;
    });
  }

  private async ownMethod(db: Executor, ctx: Context, id: number) {
    const m = await new ContactRepository(db).method(id);
    if (!m || !(await ownsCustomer(db, ctx, m.customer_id))) throw notFound("Contact method");
    return m;
  }

  /** Deletes a contact method and its subscriptions. */
  async destroyContactMethod(ctx: Context, methodId: number): Promise<void> {
    authorize(ctx, ContactOps.methodDelete);
    await this.storage.transaction(async (trx) => {
      const m = await this.ownMethod(trx, ctx, methodId);
      await new ContactRepository(trx).deleteMethod(m.id);
      await this.audit.record(trx, ctx, { operation: ContactOps.methodDelete.name, targetType: "contact_method", targetId: m.id, customerId: m.customer_id, before: methodView(m, []), after: null });
    });
  }

  /** Subscribes a contact method to a notice type; returns the subscription's id. */
  async createContactMethodNotice(ctx: Context, methodId: number, input: unknown): Promise<SubscriptionView> {
    authorize(ctx, ContactOps.subscribe);
    const data = parseOrThrow(contactMethodNoticeCreateSchema, input);
    return withDbErrors(() =>
      this.storage.transaction(async (trx) => {
        const m = await this.ownMethod(trx, ctx, methodId);
        const repo = new ContactRepository(trx);
        const type = pickCatalogue(await repo.noticeTypes(), data.notice_type_id, "notice_type_id", "notice type");
        const options = checkOptions(subscriptionOptions, data.options);
        const id = await repo.insertSubscription({ contact_method_id: m.id, notice_type_id: type.id, options: JSON.stringify(options), created_at: this.clock.now().toISOString() });
        const row = await repo.subscription(id);
        if (!row) throw notFound("Subscription");
        const view = subscriptionView(row);
        await this.audit.record(trx, ctx, { operation: ContactOps.subscribe.name, targetType: "contact_method_notice", targetId: id, customerId: m.customer_id, before: null, after: view });
        return view;
      }),
    );
  }

  /** Ends a subscription. */
  async destroyContactMethodNotice(ctx: Context, subscriptionId: number): Promise<void> {
    authorize(ctx, ContactOps.unsubscribe);
    await this.storage.transaction(async (trx) => {
      const repo = new ContactRepository(trx);
      const s = await repo.subscription(subscriptionId);
      if (!s || !(await ownsCustomer(trx, ctx, s.customer_id))) throw notFound("Subscription");
      await repo.deleteSubscription(s.id);
      await this.audit.record(trx, ctx, { operation: ContactOps.unsubscribe.name, targetType: "contact_method_notice", targetId: s.id, customerId: s.customer_id, before: subscriptionView(s), after: null });
    });
  }

  /** The catalogue of notice types a method can subscribe to. */
  async listContactNoticeTypes(ctx: Context): Promise<CatalogueEntry[]> {
    authorize(ctx, ContactOps.noticeTypes);
    return new ContactRepository(this.storage.db).noticeTypes();
  }

  /** The kinds of contact method (the catalogue), not a contact's methods. */
  async listContactMethods(ctx: Context): Promise<CatalogueEntry[]> {
    authorize(ctx, ContactOps.methodTypes);
    return new ContactRepository(this.storage.db).methodTypes();
  }
}
