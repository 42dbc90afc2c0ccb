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

export interface ApiKeyAclTable {
  id: Generated<number>;
  key_id: number;
  cidr: string;
  description: string;
  created_at: string;
  updated_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    api_keys: ApiKeysTable;
    api_key_acl: ApiKeyAclTable;
  }
}

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AclRow = Selectable<ApiKeyAclTable>;

/** Which keys a listing may show: all; a reseller's own and its customers'; one customer's. */
export interface KeyScope {
  resellerId?: number;
  customerId?: number;
}

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

  async findById(id: number): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async update(id: number, changes: Partial<Pick<ApiKeyRow, "name" | "roles" | "expires_at" | "revoked_at" | "type">>): Promise<ApiKeyRow> {
    return this.db.updateTable("api_keys").set(changes).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  }

  /** Newest first, keyset-paged on id. */
  async list(scope: KeyScope, filter: { principalKind?: string; principalId?: number; includeRevoked: boolean }, limit: number, afterId: number | undefined): Promise<ApiKeyRow[]> {
    let q = this.db.selectFrom("api_keys").selectAll();
    const { resellerId, customerId } = scope;
    if (resellerId !== undefined) {
      q = q.where((eb) =>
        eb.or([
          eb.and([eb("principal_kind", "=", "reseller"), eb("principal_id", "=", resellerId)]),
          eb.and([eb("principal_kind", "=", "customer"), eb("principal_id", "in", eb.selectFrom("customers").select("customers.id").where("customers.owner_id", "=", resellerId))]),
        ]),
      );
    }
    if (customerId !== undefined) q = q.where("principal_kind", "=", "customer").where("principal_id", "=", customerId);
    if (filter.principalKind) q = q.where("principal_kind", "=", filter.principalKind);
    if (filter.principalId !== undefined) q = q.where("principal_id", "=", filter.principalId);
    if (!filter.includeRevoked) q = q.where("revoked_at", "is", null);
    if (afterId !== undefined) q = q.where("id", "<", afterId);
    return q.orderBy("id", "desc").limit(limit).execute();
  }

  async aclOf(keyId: number): Promise<AclRow[]> {
    return this.db.selectFrom("api_key_acl").selectAll().where("key_id", "=", keyId).orderBy("id").execute();
  }

  async aclKeyOf(entryId: number): Promise<number | undefined> {
    const row = await this.db.selectFrom("api_key_acl").select("key_id").where("id", "=", entryId).executeTakeFirst();
    return row?.key_id;
  }

  /** The allow-list entries of every live key of a principal (what an account's password login must respect). */
  async aclOfPrincipal(kind: string, id: number, now: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("api_key_acl")
      .innerJoin("api_keys", "api_keys.id", "api_key_acl.key_id")
      .select("api_key_acl.cidr")
      .where("api_keys.principal_kind", "=", kind)
      .where("api_keys.principal_id", "=", id)
      .where("api_keys.revoked_at", "is", null)
      .where((eb) => eb.or([eb("api_keys.expires_at", "is", null), eb("api_keys.expires_at", ">", now)]))
      .execute();
    return rows.map((r) => r.cidr);
  }

  async aclEntry(keyId: number, id: number): Promise<AclRow | undefined> {
    return this.db.selectFrom("api_key_acl").selectAll().where("key_id", "=", keyId).where("id", "=", id).executeTakeFirst();
  }

  async insertAcl(row: Omit<AclRow, "id">): Promise<AclRow> {
    return this.db.insertInto("api_key_acl").values(row).returningAll().executeTakeFirstOrThrow();
  }

  async updateAcl(id: number, changes: Partial<Pick<AclRow, "cidr" | "description" | "updated_at">>): Promise<AclRow> {
    return this.db.updateTable("api_key_acl").set(changes).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  }

  async deleteAcl(id: number): Promise<void> {
    await this.db.deleteFrom("api_key_acl").where("id", "=", id).execute();
  }

  /** Keys of a customer that is being purged go with it. */
  async deleteForPrincipal(kind: string, id: number): Promise<void> {
    const ids = (await this.db.selectFrom("api_keys").select("id").where("principal_kind", "=", kind).where("principal_id", "=", id).execute()).map((r) => r.id);
    if (ids.length === 0) return;
    await this.db.deleteFrom("api_key_acl").where("key_id", "in", ids).execute();
    await this.db.deleteFrom("api_keys").where("id", "in", ids).execute();
  }

  /**
   * Whether the key's principal may use the API now: customers must be live, active (or awaiting
   * cancellation) and allowed API access; operator and reseller accounts must be active.
   */
  /**
   * The names a principal goes by in protocols that send a user name with the key (Basic auth):
   * an operator or reseller account by its id or contact e-mail, a customer by id, login or e-mail.
   */
  async principalNames(kind: string, id: number): Promise<string[]> {
    if (kind === "customer") {
      const c = await this.db.selectFrom("customers").select(["login", "email"]).where("id", "=", id).executeTakeFirst();
      return c ? [String(id), c.login, c.email] : [];
    }
    const a = await this.db.selectFrom("accounts").select(["email"]).where("id", "=", id).executeTakeFirst();
    return a ? [String(id), a.email].filter((n) => n !== "") : [];
  }

  async principalActive(kind: string, id: number): Promise<boolean> {
    if (kind === "customer") {
      const c = await this.db.selectFrom("customers").select(["status", "api_allowed", "deleted_at"]).where("id", "=", id).executeTakeFirst();
      return !!c && c.deleted_at === null && Number(c.api_allowed) === 1 && (c.status === "active" || c.status === "cancellation_requested");
    }
    const a = await this.db.selectFrom("accounts").select(["status", "kind"]).where("id", "=", id).executeTakeFirst();
    return !!a && a.kind === kind && a.status === "active";
  }
}
