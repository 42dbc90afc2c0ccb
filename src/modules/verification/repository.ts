import type { Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

export interface ContactVerificationSettingsTable {
  customer_id: number;
  support_email: string;
  support_name: string;
  signature: string;
  updated_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    contact_verification_settings: ContactVerificationSettingsTable;
  }
}

export type VerificationRow = Selectable<ContactVerificationSettingsTable>;

export class VerificationRepository {
  constructor(private readonly db: Executor) {}

  async find(customerId: number): Promise<VerificationRow | undefined> {
    return this.db.selectFrom("contact_verification_settings").selectAll().where("customer_id", "=", customerId).executeTakeFirst();
  }

  async upsert(row: VerificationRow): Promise<VerificationRow> {
    const { customer_id: _id, ...rest } = row;
    return this.db
      .insertInto("contact_verification_settings")
      .values(row)
      .onConflict((oc) => oc.column("customer_id").doUpdateSet(rest))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async deleteFor(customerId: number): Promise<void> {
    await this.db.deleteFrom("contact_verification_settings").where("customer_id", "=", customerId).execute();
  }
}
