import type { Generated, Insertable, Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface ContactsTable {
  id: Generated<number>;
  customer_id: number;
  name: string;
  created_at: string;
}
export interface ContactMethodTypesTable {
  id: Generated<number>;
  name: string;
  description: string;
}
export interface ContactMethodsTable {
  id: Generated<number>;
  contact_id: number;
  method_type_id: number;
  /** JSON map of the validated options. */
  options: string;
  created_at: string;
}
export interface ContactMethodNoticesTable {
  id: Generated<number>;
  contact_method_id: number;
  notice_type_id: number;
  options: string;
  created_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    contacts: ContactsTable;
    contact_method_types: ContactMethodTypesTable;
    contact_methods: ContactMethodsTable;
    contact_method_notices: ContactMethodNoticesTable;
  }
}

export type ContactRow = Selectable<ContactsTable>;
export type ContactMethodRow = Selectable<ContactMethodsTable> & { method_name: string };
export type SubscriptionRow = Selectable<ContactMethodNoticesTable> & { notice_type_name: string };
export type CatalogueRow = { id: number; name: string; description: string };

export class ContactRepository {
  constructor(private readonly db: Executor) {}

  async insertContact(row: Insertable<ContactsTable>): Promise<ContactRow> {
    return this.db.insertInto("contacts").values(row).returningAll().executeTakeFirstOrThrow();
  }

  async contact(id: number): Promise<ContactRow | undefined> {
    return this.db.selectFrom("contacts").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async contactsOf(customerId: number): Promise<ContactRow[]> {
    return this.db.selectFrom("contacts").selectAll().where("customer_id", "=", customerId).orderBy("id").execute();
  }

  async methodsOf(contactIds: number[]): Promise<ContactMethodRow[]> {
    if (contactIds.length === 0) return [];
    return this.db
      .selectFrom("contact_methods as m")
      .innerJoin("contact_method_types as t", "t.id", "m.method_type_id")
      .selectAll("m")
      .select("t.name as method_name")
      .where("m.contact_id", "in", contactIds)
      .orderBy("m.id")
      .execute();
  }

  async method(id: number): Promise<(ContactMethodRow & { customer_id: number }) | undefined> {
    return this.db
      .selectFrom("contact_methods as m")
      .innerJoin("contact_method_types as t", "t.id", "m.method_type_id")
      .innerJoin("contacts as c", "c.id", "m.contact_id")
      .selectAll("m")
      .select(["t.name as method_name", "c.customer_id"])
      .where("m.id", "=", id)
      .executeTakeFirst();
  }

  async subscriptionsOf(methodIds: number[]): Promise<SubscriptionRow[]> {
    if (methodIds.length === 0) return [];
    return this.db
      .selectFrom("contact_method_notices as s")
      .innerJoin("notice_types as t", "t.id", "s.notice_type_id")
      .selectAll("s")
      .select("t.name as notice_type_name")
      .where("s.contact_method_id", "in", methodIds)
      .orderBy("s.id")
      .execute();
  }

  async subscription(id: number): Promise<(SubscriptionRow & { customer_id: number }) | undefined> {
    return this.db
      .selectFrom("contact_method_notices as s")
      .innerJoin("notice_types as t", "t.id", "s.notice_type_id")
      .innerJoin("contact_methods as m", "m.id", "s.contact_method_id")
      .innerJoin("contacts as c", "c.id", "m.contact_id")
      .selectAll("s")
      .select(["t.name as notice_type_name", "c.customer_id"])
      .where("s.id", "=", id)
      .executeTakeFirst();
  }

  async insertMethod(row: Insertable<ContactMethodsTable>): Promise<number> {
    const r = await this.db.insertInto("contact_methods").values(row).returning("id").executeTakeFirstOrThrow();
    return r.id;
  }

  async insertSubscription(row: Insertable<ContactMethodNoticesTable>): Promise<number> {
    const r = await this.db.insertInto("contact_method_notices").values(row).returning("id").executeTakeFirstOrThrow();
    return r.id;
  }

  async deleteSubscription(id: number): Promise<void> {
    await this.db.deleteFrom("contact_method_notices").where("id", "=", id).execute();
  }

  async deleteMethod(id: number): Promise<void> {
    await this.db.deleteFrom("contact_method_notices").where("contact_method_id", "=", id).execute();
    await this.db.deleteFrom("contact_methods").where("id", "=", id).execute();
  }

  async deleteContact(id: number): Promise<void> {
    const methods = this.db.selectFrom("contact_methods").select("id").where("contact_id", "=", id);
    await this.db.deleteFrom("contact_method_notices").where("contact_method_id", "in", methods).execute();
    await this.db.deleteFrom("contact_methods").where("contact_id", "=", id).execute();
    await this.db.deleteFrom("contacts").where("id", "=", id).execute();
  }

  async deleteForCustomer(customerId: number): Promise<void> {
    for (const c of await this.contactsOf(customerId)) await this.deleteContact(c.id);
  }

  async methodTypes(): Promise<CatalogueRow[]> {
    return this.db.selectFrom("contact_method_types").selectAll().orderBy("id").execute();
  }

  async noticeTypes(): Promise<CatalogueRow[]> {
    return this.db.selectFrom("notice_types").selectAll().orderBy("id").execute();
  }
}
