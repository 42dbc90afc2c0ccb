import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface NoticesTable {
  id: Generated<number>;
  /** null: a global notice, shown to every customer. */
  customer_id: number | null;
  type: string;
  title: string;
  body: string;
  severity: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface NoticeAcknowledgementsTable {
  notice_id: number;
  customer_id: number;
  acknowledged_at: string;
}

export interface NoticeTypesTable {
  id: Generated<number>;
  name: string;
  description: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    notices: NoticesTable;
    notice_acknowledgements: NoticeAcknowledgementsTable;
    notice_types: NoticeTypesTable;
  }
}

export type NoticeRow = Selectable<NoticesTable>;
export type NoticeTypeRow = Selectable<NoticeTypesTable>;
export type NoticeWithAck = NoticeRow & { acknowledged_at: string | null };

export class NoticeRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: Insertable<NoticesTable>): Promise<NoticeRow> {
    return this.db.insertInto("notices").values(row).returningAll().executeTakeFirstOrThrow();
  }

  async find(id: number): Promise<NoticeRow | undefined> {
    return this.db.selectFrom("notices").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async update(id: number, patch: Updateable<NoticesTable>): Promise<NoticeRow> {
    return this.db.updateTable("notices").set(patch).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom("notice_acknowledgements").where("notice_id", "=", id).execute();
    await this.db.deleteFrom("notices").where("id", "=", id).execute();
  }

  /** The customer's own and the global notices, with the customer's acknowledgement. */
  async forCustomer(customerId: number, since: string | undefined, limit: number, startingAfter: number | undefined): Promise<NoticeWithAck[]> {
    let q = this.db
      .selectFrom("notices as n")
      .leftJoin("notice_acknowledgements as a", (j) => j.onRef("a.notice_id", "=", "n.id").on("a.customer_id", "=", customerId))
      .selectAll("n")
      .select("a.acknowledged_at")
      .where((eb) => eb.or([eb("n.customer_id", "=", customerId), eb("n.customer_id", "is", null)]));
    if (since !== undefined) q = q.where("n.updated_at", ">=", since);
    if (startingAfter !== undefined) q = q.where("n.id", ">", startingAfter);
    return q.orderBy("n.id").limit(limit).execute();
  }

  async acknowledgement(noticeId: number, customerId: number): Promise<string | null> {
    const r = await this.db.selectFrom("notice_acknowledgements").select("acknowledged_at").where("notice_id", "=", noticeId).where("customer_id", "=", customerId).executeTakeFirst();
    return r?.acknowledged_at ?? null;
  }

  /** Idempotent: acknowledging twice keeps the first time. */
  async acknowledge(noticeId: number, customerId: number, at: string): Promise<void> {
    await this.db
      .insertInto("notice_acknowledgements")
      .values({ notice_id: noticeId, customer_id: customerId, acknowledged_at: at })
      .onConflict((oc) => oc.columns(["notice_id", "customer_id"]).doNothing())
      .execute();
  }

  async types(): Promise<NoticeTypeRow[]> {
    return this.db.selectFrom("notice_types").selectAll().orderBy("id").execute();
  }

  async typeByName(name: string): Promise<NoticeTypeRow | undefined> {
    return this.db.selectFrom("notice_types").selectAll().where("name", "=", name).executeTakeFirst();
  }

  async deleteForCustomer(customerId: number): Promise<void> {
    await this.db.deleteFrom("notice_acknowledgements").where("customer_id", "=", customerId).execute();
    const own = this.db.selectFrom("notices").select("id").where("customer_id", "=", customerId);
    await this.db.deleteFrom("notice_acknowledgements").where("notice_id", "in", own).execute();
    await this.db.deleteFrom("notices").where("customer_id", "=", customerId).execute();
  }
}
