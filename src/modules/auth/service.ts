import * as crypto from "node:crypto";
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import type { Principal, PrincipalKind } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { Storage } from "../../storage/db.js";
import { AccountRepository } from "../accounts/repository.js";
import { ApiKeyRepository, type ApiKeyRow } from "./repository.js";
import { ipAllowed, type ParsedRange, parseRange } from "./acl.js";
import { permissionsOf } from "./roles.js";

/** API keys are long random strings, so one SHA-256 is the right hash (argon2 is for passwords). */
export const hashKey: (secret: string) => string =
  // One-shot hashing where Node has it (20.12+): no Hash object per request.
  typeof crypto.hash === "function" ? (secret) => crypto.hash("sha256", secret, "hex") : (secret) => createHash("sha256").update(secret).digest("hex");

export interface IssuedKey {
  id: number;
  prefix: string;
  /** The whole key. Shown once, never stored. */
  secret: string;
}

interface CacheEntry {
  principal: Principal;
  row: ApiKeyRow;
  /** The key's allow list; null when it has none (any address). */
  acl: ParsedRange[] | null;
  /** The principal's own state (customer status, api_allowed) at the time of caching. */
  active: boolean;
  until: number;
  /** row.last_used_at in ms, for the fast path's "touch due?" check. */
  lastUsed: number;
}

const CACHE_TTL_MS = 10_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Authenticates API keys. Verified keys are cached for a few seconds so the hot path is one map
 * lookup; revoking a key drops it from this process's cache at once (others within the TTL).
 * The cache holds the key's ACL and its principal's state too, so those checks stay cheap and
 * apply to cached keys exactly as to fresh ones.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {
    // Another process revoked a key or changed someone's access: drop what this one verified.
    storage.subscribe("auth", () => this.cache.clear());
  }

  /** `clientIp` is checked against the key's ACL; null (unknown address) passes only keys without one. */
  async authenticate(token: string, clientIp: string | null = null): Promise<Principal> {
    return this.authenticateHash(hashKey(token), clientIp);
  }

  /**
   * The principal of a key this process verified within the cache's lifetime, when every check
   * passes without the database: not revoked, not expired, principal active, address allowed by
   * the ACL, no last-used update due. Otherwise undefined, and the caller goes through
   * `authenticate`, which checks again (from the database if needed) and names the refusal.
   */
  cachedPrincipal(token: string, clientIp: string | null): Principal | undefined {
    const entry = this.cache.get(hashKey(token));
    if (entry === undefined) return undefined;
    const now = this.clock.now().getTime();
    const { row } = entry;
    if (entry.until < now || row.revoked_at !== null || !entry.active) return undefined;
    if (row.expires_at !== null && Date.parse(row.expires_at) <= now) return undefined;
    if (entry.acl !== null && !ipAllowed(clientIp, entry.acl)) return undefined;
    if (row.last_used_at === null || now - entry.lastUsed > TOUCH_EVERY_MS) return undefined;
    return entry.principal;
  }

  /**
   * A key named by its id, for signed requests: the signature (checked by RequestSigning) proves
   * possession, and every other check (revoked, expired, principal's state, ACL) is the same.
   */
  async authenticateKeyId(keyId: number, clientIp: string | null = null): Promise<Principal> {
    const row = await new ApiKeyRepository(this.storage.db).findById(keyId);
    if (!row) throw new AppError("unauthenticated", "The API key is not valid");
    return this.authenticateHash(row.secret_hash, clientIp);
  }

  private async authenticateHash(hash: string, clientIp: string | null): Promise<Principal> {
    const now = this.clock.now();
    let entry = this.cache.get(hash);
    if (!entry || entry.until < now.getTime()) {
      const repo = new ApiKeyRepository(this.storage.db);
      const row = await repo.findByHash(hash);
      if (!row) {
        this.cache.delete(hash);
        throw new AppError("unauthenticated", "The API key is not valid");
      }
      const acl = (await repo.aclOf(row.id)).map((a) => parseRange(a.cidr));
      const active = await repo.principalActive(row.principal_kind, row.principal_id);
      entry = { row, principal: principalOf(row), acl: acl.length > 0 ? acl : null, active, until: now.getTime() + CACHE_TTL_MS, lastUsed: row.last_used_at === null ? 0 : Date.parse(row.last_used_at) };
      this.cache.set(hash, entry);
      if (this.cache.size > 10_000) this.cache.clear();
    }
    const { row } = entry;
    if (row.revoked_at !== null) throw new AppError("unauthenticated", "The API key has been revoked");
    if (row.expires_at !== null && row.expires_at <= now.toISOString()) throw new AppError("unauthenticated", "The API key has expired");
    // Same answer as an unknown key: a suspended customer learns nothing more from its key.
    if (!entry.active) throw new AppError("unauthenticated", "The API key is not valid");
    if (entry.acl !== null && !ipAllowed(clientIp, entry.acl)) throw new AppError("forbidden", "Access denied");
    if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
      row.last_used_at = now.toISOString();
      entry.lastUsed = now.getTime();
      await new ApiKeyRepository(this.storage.db).touch(row.id, row.last_used_at);
    }
    return entry.principal;
  }

  /**
   * Basic auth: the user name must name the key's own principal, so a key leaked
   * without its owner's name is not enough, and a mismatch reads exactly like an unknown key.
   */
  async authenticateNamed(username: string, token: string, clientIp: string | null = null): Promise<Principal> {
    const principal = await this.authenticate(token, clientIp);
    const names = await new ApiKeyRepository(this.storage.db).principalNames(principal.kind, principal.id);
    const wanted = username.trim().toLowerCase();
    if (wanted === "" || !names.some((n) => n.toLowerCase() === wanted)) throw new AppError("unauthenticated", "The API key is not valid");
    return principal;
  }

  /**
   * Forget cached verifications (after a revoke, an ACL or role change, a customer's access
   * change): here at once, and in every other process on the database through a broadcast.
   */
  invalidate(): void {
    this.cache.clear();
    // A lost broadcast only means the other processes wait out their cache expiry.
    this.storage.broadcast("auth").catch(() => {});
  }
}

function principalOf(row: ApiKeyRow): Principal {
  const roles = JSON.parse(row.roles) as string[];
  return {
    kind: row.principal_kind as PrincipalKind,
    id: row.principal_id,
    keyId: row.id,
    sessionId: null,
    roles,
    permissions: permissionsOf(roles),
  };
}

export function newKeySecret(): { prefix: string; secret: string } {
  const prefix = `ck_${randomBytes(6).toString("hex")}`;
  return { prefix, secret: `${prefix}_${randomBytes(24).toString("base64url")}` };
}

/**
 * First start: create the operator account and one operator key. With CUSTOS_BOOTSTRAP_KEY the
 * key is the given string (for automation and tests) and is ensured on every start.
 */
export async function bootstrapOperator(storage: Storage, clock: Clock, bootstrapKey: string | undefined): Promise<{ created: IssuedKey | null }> {
  return storage.transaction(async (trx) => {
    const accounts = new AccountRepository(trx);
    const keys = new ApiKeyRepository(trx);
    const now = clock.now().toISOString();
    let operator = await accounts.firstOperator();
    if (!operator) {
      operator = await accounts.insert({ kind: "operator", name: "Platform operator", email: "", parent_id: null, status: "active", created_at: now, updated_at: now });
    }
    const insertKey = async (secret: string, prefix: string) =>
      keys.insert({
        prefix,
        secret_hash: hashKey(secret),
        principal_kind: "operator",
        principal_id: operator.id,
        name: "bootstrap operator key",
        type: "standard",
        roles: JSON.stringify(["owner"]),
        expires_at: null,
        revoked_at: null,
        last_used_at: null,
        created_at: now,
      });
    if (bootstrapKey !== undefined) {
      if (await keys.findByHash(hashKey(bootstrapKey))) return { created: null };
      const row = await insertKey(bootstrapKey, `ck_boot${hashKey(bootstrapKey).slice(0, 6)}`);
      return { created: { id: row.id, prefix: row.prefix, secret: bootstrapKey } };
    }
    if ((await keys.countAll()) > 0) return { created: null };
    const { prefix, secret } = newKeySecret();
    const row = await insertKey(secret, prefix);
    return { created: { id: row.id, prefix, secret } };
  });
}
