import type { Generated, Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";

/** Operators and resellers: the accounts that own customers. */
export interface AccountsTable {
  id: Generated<number>;
  kind: string;
  name: string;
  email: string;
  parent_id: number | null;
  status: string;
  created_at: string;
  updated_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    accounts: AccountsTable;
  }
}

export type AccountRow = Selectable<AccountsTable>;

export class AccountRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: Omit<AccountRow, "id">): Promise<AccountRow> {
    return this.db.insertInto("accounts").values(row).returningAll().executeTakeFirstOrThrow();
  }

  async findById(id: number): Promise<AccountRow | undefined> {
    return this.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** Names of the given accounts (ids not found are left out). */
  async namesOf(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom("accounts").select(["id", "name"]).where("id", "in", ids).execute();
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }

  async firstOperator(): Promise<AccountRow | undefined> {
    return this.db.selectFrom("accounts").selectAll().where("kind", "=", "operator").orderBy("id").limit(1).executeTakeFirst();
  }

  /** Newest first, keyset-paged on id. */
  async list(kind: string, limit: number, afterId: number | undefined): Promise<AccountRow[]> {
    let q = this.db.selectFrom("accounts").selectAll().where("kind", "=", kind);
    if (afterId !== undefined) q = q.where("id", "<", afterId);
    return q.orderBy("id", "desc").limit(limit).execute();
  }
}
