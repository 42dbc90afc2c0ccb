import { sql } from "kysely";
import type { Executor } from "../../storage/db.js";
import type { PublishedNotice, Subscriber, SubscriberDirectory } from "./notices.js";

const SEVERITY_RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

interface Row {
  contact_method_id: number;
  customer_id: number;
  method: string;
  options: string;
  subscription_options: string;
}

/**
 * Subscribers from the contacts module's tables (contacts, contact_methods, contact_method_types,
 * contact_method_notices, notice_types): every method of the notice's customer (every customer's,
 * for a global notice) subscribed to its type whose min_severity the notice reaches.
 * Written in SQL against those tables so this module does not depend on the contacts module.
 */
export const contactDirectory: SubscriberDirectory = {
  async subscribersOf(db: Executor, notice: PublishedNotice): Promise<Subscriber[]> {
    const forCustomer = notice.customer_id === null ? sql`` : sql` and c.customer_id = ${notice.customer_id}`;
    const r = await sql<Row>`select m.id as contact_method_id, c.customer_id, t.name as method, m.options, s.options as subscription_options
      from contact_method_notices s
      join notice_types nt on nt.id = s.notice_type_id
      join contact_methods m on m.id = s.contact_method_id
      join contact_method_types t on t.id = m.method_type_id
      join contacts c on c.id = m.contact_id
      where nt.name = ${notice.type}${forCustomer}
      order by m.id`.execute(db);
    const rank = SEVERITY_RANK[notice.severity] ?? 0;
    const out: Subscriber[] = [];
    for (const row of r.rows) {
      const sub = JSON.parse(row.subscription_options) as { min_severity?: string };
      if (sub.min_severity !== undefined && rank < (SEVERITY_RANK[sub.min_severity] ?? 0)) continue;
      out.push({ contactMethodId: Number(row.contact_method_id), customerId: Number(row.customer_id), method: row.method, options: JSON.parse(row.options) as Record<string, string> });
    }
    return out;
  },
};
