import type { Generated, Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";

export interface ApiKeysTable {
  id: Generated<number>;
  prefix: string;
  secret_hash: string;
  principal_kind: string;
  principal_id: number;
  name: string;
  type: string;
  roles: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    api_keys: ApiKeysTable;
  }
}

export type ApiKeyRow = Selectable<ApiKeysTable>;

export class ApiKeyRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: Omit<ApiKeyRow, "id">): Promise<ApiKeyRow> {
    return withDbErrors(() => this.db.insertInto("api_keys").values(row).returningAll().executeTakeFirstOrThrow());
  }

  async findByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom("api_keys").selectAll().where("secret_hash", "=", hash).executeTakeFirst();
  }

  async touch(id: number, at: string): Promise<void> {
    await this.db.updateTable("api_keys").set({ last_used_at: at }).where("id", "=", id).execute();
  }

  async countAll(): Promise<number> {
    const r = await this.db.selectFrom("api_keys").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
