import type { Clock } from "../../core/clock.js";
import type { Context, PrincipalKind } from "../../core/context.js";
import { AppError, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { AccountRepository } from "../accounts/repository.js";
import type { AuditService } from "../audit/service.js";
import { CustomerRepository } from "../customers/repository.js";
import { normaliseCidr } from "./acl.js";
import { ApiKeyOps, RoleOps } from "./operations.js";
import { type AclRow, ApiKeyRepository, type ApiKeyRow, type KeyScope } from "./repository.js";
import { ROLES, permissionsBeyond } from "./roles.js";
import {
  type AclEntryView,
  type ApiKeyView,
  type IssuedApiKey,
  type RoleView,
  aclInputSchema,
  aclPatchSchema,
  apiKeyCreateSchema,
  apiKeyUpdateSchema,
} from "./schema.js";
import { type ApiKeyAuthenticator, hashKey, newKeySecret } from "./service.js";
import type { RequestSigning } from "./signing.js";

const MAX_ACL_ENTRIES = 100;

export interface KeyListQuery {
  limit: number;
  startingAfter?: number;
  principalKind?: PrincipalKind;
  principalId?: number;
  includeRevoked: boolean;
}

export function keyToView(row: ApiKeyRow): ApiKeyView {
  return {
    object: "api_key",
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    type: row.type,
    principal: { kind: row.principal_kind as PrincipalKind, id: row.principal_id },
    roles: JSON.parse(row.roles) as string[],
    expires_at: row.expires_at,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
    created_at: row.created_at,
  };
}

function aclToView(row: AclRow): AclEntryView {
  return { object: "api_key_acl_entry", id: row.id, key_id: row.key_id, address: row.cidr, description: row.description, created_at: row.created_at, updated_at: row.updated_at };
}

const toUtc = (iso: string): string => new Date(iso).toISOString();

/**
 * API keys: create, list, revoke, and their address allow lists (ACL entries).
 * A key acts as one principal; who may manage it follows tenancy: an operator any key, a
 * reseller its own and its customers' keys, a customer its own. Keys outside that answer as missing.
 */
export class ApiKeyService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly signing?: RequestSigning,
  ) {}

  async create(ctx: Context, input: unknown): Promise<IssuedApiKey> {
    authorize(ctx, ApiKeyOps.create);
    const data = parseOrThrow(apiKeyCreateSchema, input);
    const beyond = permissionsBeyond(ctx.principal.permissions, data.roles);
    if (beyond.length > 0) {
      throw new AppError("forbidden", "A key cannot be given permissions its creator does not hold", {
        issues: [{ field: "roles", code: "not_allowed", message: `would grant ${beyond.join(", ")}` }],
      });
    }
    const now = this.clock.now().toISOString();
    let expiresAt: string | null = null;
    if (data.expires_at) {
      expiresAt = toUtc(data.expires_at);
      if (expiresAt <= now) throw validationFailed([{ field: "expires_at", code: "out_of_range", message: "must be in the future" }]);
    }
    const target = data.principal ?? { kind: ctx.principal.kind, id: ctx.principal.id };
    const issued = await this.storage.transaction(async (trx) => {
      await this.checkPrincipalInScope(trx, ctx, target.kind, target.id, "principal");
      const reach = await this.reachOf(trx, ctx);
      expiresAt = withinExpiry(reach, expiresAt);
      const { prefix, secret } = newKeySecret();
      const row = await new ApiKeyRepository(trx).insert({
        prefix,
        secret_hash: hashKey(secret),
        principal_kind: target.kind,
        principal_id: target.id,
        name: data.name,
        type: data.type,
        roles: JSON.stringify(data.roles),
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
        created_at: now,
      });
      // A key restricted to some addresses mints keys restricted to the same addresses.
      for (const entry of reach.acl) {
        await new ApiKeyRepository(trx).insertAcl({ key_id: row.id, cidr: entry.cidr, description: `inherited from key ${reach.keyId}: ${entry.description}`.slice(0, 200), created_at: now, updated_at: now });
      }
      const view = keyToView(row);
      await this.audit.record(trx, ctx, { operation: ApiKeyOps.create.name, targetType: "api_key", targetId: row.id, ...customerOf(row), before: null, after: view });
      if (!data.signing) return { ...view, secret };
      if (!this.signing) throw new AppError("internal", "Request signing is not configured");
      return { ...view, secret, signing_secret: await this.signing.issue(row.id) };
    });
    return issued;
  }

  async list(ctx: Context, query: KeyListQuery): Promise<{ data: ApiKeyView[]; has_more: boolean; next_cursor: string | null }> {
    authorize(ctx, ApiKeyOps.list);
    const db = this.storage.db;
    const filter: { principalKind?: string; principalId?: number; includeRevoked: boolean } = { includeRevoked: query.includeRevoked };
    if (query.principalKind !== undefined) filter.principalKind = query.principalKind;
    if (query.principalId !== undefined) filter.principalId = query.principalId;
    const rows = await new ApiKeyRepository(db).list(this.scopeOf(ctx), filter, query.limit + 1, query.startingAfter);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const hasMore = rows.length > query.limit;
    return { data: page.map(keyToView), has_more: hasMore, next_cursor: hasMore && last ? String(last.id) : null };
  }

  async get(ctx: Context, id: number): Promise<ApiKeyView> {
    authorize(ctx, ApiKeyOps.get);
    return keyToView(await this.findVisible(this.storage.db, ctx, id));
  }

  /** Renames a key, replaces its roles or changes its expiry. */
  async update(ctx: Context, id: number, input: unknown): Promise<ApiKeyView> {
    authorize(ctx, ApiKeyOps.update);
    const patch = parseOrThrow(apiKeyUpdateSchema, input);
    if (patch.roles) {
      const beyond = permissionsBeyond(ctx.principal.permissions, patch.roles);
      if (beyond.length > 0) {
        throw new AppError("forbidden", "A key cannot be given permissions its creator does not hold", {
          issues: [{ field: "roles", code: "not_allowed", message: `would grant ${beyond.join(", ")}` }],
        });
      }
    }
    const result = await this.storage.transaction(async (trx) => {
      const row = await this.findVisible(trx, ctx, id);
      if (row.revoked_at !== null) throw new AppError("invalid_state_transition", "A revoked key cannot be changed");
      if (patch.roles !== undefined) requireOwner(ctx, "change a key's roles");
      const reach = await this.reachOf(trx, ctx);
      const changes: Partial<Pick<ApiKeyRow, "name" | "roles" | "expires_at">> = {};
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.roles !== undefined) changes.roles = JSON.stringify(patch.roles);
      if (patch.expires_at !== undefined) {
        const at = patch.expires_at === null ? null : toUtc(patch.expires_at);
        if (at !== null && at <= this.clock.now().toISOString()) throw validationFailed([{ field: "expires_at", code: "out_of_range", message: "must be in the future" }]);
        changes.expires_at = withinExpiry(reach, at);
      }
      const updated = Object.keys(changes).length > 0 ? await new ApiKeyRepository(trx).update(row.id, changes) : row;
      const view = keyToView(updated);
      await this.audit.record(trx, ctx, { operation: ApiKeyOps.update.name, targetType: "api_key", targetId: row.id, ...customerOf(row), before: keyToView(row), after: view });
      return view;
    });
    this.authenticator.invalidate();
    return result;
  }

  /** Revoking is final; revoking a revoked key is refused so the first revocation time stays. */
  async revoke(ctx: Context, id: number): Promise<ApiKeyView> {
    authorize(ctx, ApiKeyOps.revoke);
    const result = await this.storage.transaction(async (trx) => {
      const row = await this.findVisible(trx, ctx, id);
      if (row.revoked_at !== null) throw new AppError("invalid_state_transition", "The key is already revoked");
      const updated = await new ApiKeyRepository(trx).update(row.id, { revoked_at: this.clock.now().toISOString() });
      const view = keyToView(updated);
      await this.audit.record(trx, ctx, { operation: ApiKeyOps.revoke.name, targetType: "api_key", targetId: row.id, ...customerOf(row), before: keyToView(row), after: view });
      return view;
    });
    this.authenticator.invalidate();
    return result;
  }

  async listAcl(ctx: Context, keyId: number): Promise<AclEntryView[]> {
    authorize(ctx, ApiKeyOps.aclList);
    const db = this.storage.db;
    const key = await this.findVisible(db, ctx, keyId);
    return (await new ApiKeyRepository(db).aclOf(key.id)).map(aclToView);
  }

  async createAcl(ctx: Context, keyId: number, input: unknown): Promise<AclEntryView> {
    authorize(ctx, ApiKeyOps.aclCreate);
    await this.checkAclManager(ctx);
    const data = parseOrThrow(aclInputSchema, input);
    const cidr = normaliseCidr(data.address);
    const result = await this.storage.transaction(async (trx) => {
      const key = await this.findVisible(trx, ctx, keyId);
      const repo = new ApiKeyRepository(trx);
      const existing = await repo.aclOf(key.id);
      if (existing.length >= MAX_ACL_ENTRIES) throw validationFailed([{ field: "address", code: "out_of_range", message: `a key holds at most ${MAX_ACL_ENTRIES} entries` }]);
      if (existing.some((e) => e.cidr === cidr)) throw new AppError("conflict", `${cidr} is already on the list`, { issues: [{ field: "address", code: "already_exists", message: "is already on the list" }] });
      const now = this.clock.now().toISOString();
      const row = await repo.insertAcl({ key_id: key.id, cidr, description: data.description, created_at: now, updated_at: now });
      const view = aclToView(row);
      await this.audit.record(trx, ctx, { operation: ApiKeyOps.aclCreate.name, targetType: "api_key", targetId: key.id, ...customerOf(key), before: null, after: view, details: { acl_entry_id: row.id } });
      return view;
    });
    this.authenticator.invalidate();
    return result;
  }

  async updateAcl(ctx: Context, keyId: number, entryId: number, input: unknown): Promise<AclEntryView> {
    authorize(ctx, ApiKeyOps.aclUpdate);
    await this.checkAclManager(ctx);
    const patch = parseOrThrow(aclPatchSchema, input);
    const cidr = patch.address === undefined ? undefined : normaliseCidr(patch.address);
    const result = await this.storage.transaction(async (trx) => {
      const key = await this.findVisible(trx, ctx, keyId);
      const repo = new ApiKeyRepository(trx);
      const entry = await repo.aclEntry(key.id, entryId);
      if (!entry) throw notFound("ACL entry");
      const changes: Partial<Pick<AclRow, "cidr" | "description" | "updated_at">> = { updated_at: this.clock.now().toISOString() };
      if (cidr !== undefined) changes.cidr = cidr;
      if (patch.description !== undefined) changes.description = patch.description;
      const updated = await repo.updateAcl(entry.id, changes);
      const view = aclToView(updated);
      await this.audit.record(trx, ctx, { operation: ApiKeyOps.aclUpdate.name, targetType: "api_key", targetId: key.id, ...customerOf(key), before: aclToView(entry), after: view, details: { acl_entry_id: entry.id } });
      return view;
    });
    this.authenticator.invalidate();
    return result;
  }

  async deleteAcl(ctx: Context, keyId: number, entryId: number): Promise<void> {
    authorize(ctx, ApiKeyOps.aclDelete);
    await this.checkAclManager(ctx);
    await this.storage.transaction(async (trx) => {
      const key = await this.findVisible(trx, ctx, keyId);
      const repo = new ApiKeyRepository(trx);
      const entry = await repo.aclEntry(key.id, entryId);
      if (!entry) throw notFound("ACL entry");
      await repo.deleteAcl(entry.id);
      await this.audit.record(trx, ctx, { operation: ApiKeyOps.aclDelete.name, targetType: "api_key", targetId: key.id, ...customerOf(key), before: aclToView(entry), after: null, details: { acl_entry_id: entry.id } });
    });
    this.authenticator.invalidate();
  }

  /**
   * The key an ACL entry belongs to, for callers that name the entry only; 0 (no key) when there
   * is none, so the entry operation itself answers, with its own checks in its own order.
   */
  async keyOfAclEntry(entryId: number): Promise<number> {
    return (await new ApiKeyRepository(this.storage.db).aclKeyOf(entryId)) ?? 0;
  }

  /**
   * Who may change allow lists: an owner-role credential that is not itself restricted to some
   * addresses (it could otherwise lift its own restriction or another key's).
   */
  private async checkAclManager(ctx: Context): Promise<void> {
    requireOwner(ctx, "change a key's IP allow list");
    if ((await this.reachOf(this.storage.db, ctx)).acl.length > 0) {
      throw new AppError("forbidden", "A key restricted by an IP allow list cannot change allow lists");
    }
  }

  /** The calling key's own limits (none for sessions and internal callers). */
  private async reachOf(db: Executor, ctx: Context): Promise<Reach> {
    const keyId = ctx.principal.keyId;
    if (keyId === null) return { keyId: null, expiresAt: null, acl: [] };
    const repo = new ApiKeyRepository(db);
    const row = await repo.findById(keyId);
    return { keyId, expiresAt: row?.expires_at ?? null, acl: await repo.aclOf(keyId) };
  }

  listRoles(ctx: Context): RoleView[] {
    authorize(ctx, RoleOps.list);
    return Object.entries(ROLES).map(([name, r]) => ({ object: "role" as const, name, description: r.description, permissions: [...r.permissions] }));
  }

  /** Removes a purged customer's keys in the purge's transaction (register with CustomerService.onPurge). */
  async purgeCustomerKeys(trx: Executor, customerId: number): Promise<void> {
    await new ApiKeyRepository(trx).deleteForPrincipal("customer", customerId);
    this.authenticator.invalidate();
  }

  private async findVisible(db: Executor, ctx: Context, id: number): Promise<ApiKeyRow> {
    const row = await new ApiKeyRepository(db).findById(id);
    if (!row || !(await this.visible(db, ctx, row.principal_kind, row.principal_id))) throw notFound("API key");
    return row;
  }

  private async visible(db: Executor, ctx: Context, kind: string, id: number): Promise<boolean> {
    const p = ctx.principal;
    if (p.kind === "operator") return true;
    if (kind === p.kind && id === p.id) return true;
    if (p.kind === "reseller" && kind === "customer") {
      const c = await new CustomerRepository(db).find({ kind: "id", value: id }, { ownerId: p.id });
      return !!c;
    }
    return false;
  }

  /** A key may be created only for a principal the caller can see, and that exists. */
  private async checkPrincipalInScope(db: Executor, ctx: Context, kind: PrincipalKind, id: number, field: string): Promise<void> {
    const missing = () => validationFailed([{ field, code: "invalid_value", message: `no ${kind} ${id} you can manage` }]);
    if (!(await this.visible(db, ctx, kind, id))) throw missing();
    if (kind === "customer") {
      const c = await new CustomerRepository(db).find({ kind: "id", value: id }, {});
      if (!c || c.deleted_at !== null) throw missing();
    } else {
      const a = await new AccountRepository(db).findById(id);
      if (!a || a.kind !== kind) throw missing();
    }
  }

  private scopeOf(ctx: Context): KeyScope {
    const p = ctx.principal;
    if (p.kind === "operator") return {};
    if (p.kind === "customer") return { customerId: p.id };
    return { resellerId: p.id };
  }
}

/** What the calling key itself may reach: keys it creates or changes get no more. */
interface Reach {
  keyId: number | null;
  expiresAt: string | null;
  acl: AclRow[];
}

/** An expiry no later than the caller's own; an expiring key cannot make a longer-lived one. */
function withinExpiry(reach: Reach, wanted: string | null): string | null {
  if (reach.expiresAt === null) return wanted;
  if (wanted === null || wanted > reach.expiresAt) {
    throw validationFailed([{ field: "expires_at", code: "out_of_range", message: `must be given and no later than your own key's expiry (${reach.expiresAt})` }]);
  }
  return wanted;
}

function requireOwner(ctx: Context, what: string): void {
  if (!ctx.principal.roles.includes("owner") && !ctx.principal.permissions.has("*")) {
    throw new AppError("forbidden", `Only a credential with the owner role may ${what}`);
  }
}

/** Entries about a customer's key are part of that customer's audit trail. */
function customerOf(key: { principal_kind: string; principal_id: number }): { customerId?: number } {
  return key.principal_kind === "customer" ? { customerId: key.principal_id } : {};
}
