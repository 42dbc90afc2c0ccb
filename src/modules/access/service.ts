import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { authorize } from "../../core/operations.js";
import { fieldError } from "../../core/validation.js";
import type { Storage } from "../../storage/db.js";
import { keyToView } from "../auth/apikeys.js";
import { ApiKeyRepository, type ApiKeyRow } from "../auth/repository.js";
import { ROLES } from "../auth/roles.js";
import type { ApiKeyView } from "../auth/schema.js";
import { visibleCustomer } from "../provisioning/scope.js";
import { AccessOps } from "./operations.js";
import { type CustomerRoleView, keyTypeFilter } from "./schema.js";

/** A customer has at most this many keys listed at once (keys are few; the seed's call has no paging). */
const MAX_KEYS = 1000;

/** Keys and roles from a customer's point of view. */
export class AccessService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  private async activeKeys(ctx: Context, customerRef: string | number): Promise<ApiKeyRow[]> {
    const customer = await visibleCustomer(this.storage.db, ctx, customerRef);
    // The customer is in the caller's scope, so its keys are too.
    const rows = await new ApiKeyRepository(this.storage.db).list({}, { principalKind: "customer", principalId: customer.id, includeRevoked: false }, MAX_KEYS, undefined);
    const now = this.clock.now().toISOString();
    return rows.filter((k) => k.expires_at === null || k.expires_at > now);
  }

  /** A customer's keys, optionally of one type: never a secret, only what GET /v1/api-keys shows. */
  async getKeys(ctx: Context, customerRef: string | number, type?: string): Promise<ApiKeyView[]> {
    authorize(ctx, AccessOps.keys);
    if (type !== undefined && !keyTypeFilter.safeParse(type).success) throw fieldError("type", "invalid_format", "must be a key type: 1-32 lowercase letters, digits, _ or -");
    const keys = await this.activeKeys(ctx, customerRef);
    return keys.filter((k) => type === undefined || k.type === type).map(keyToView);
  }

  /** Every role a key of this customer can carry, with how many do. */
  async listRoles(ctx: Context, customerRef: string | number): Promise<CustomerRoleView[]> {
    authorize(ctx, AccessOps.roles);
    const keys = await this.activeKeys(ctx, customerRef);
    return Object.entries(ROLES).map(([name, r]) => ({
      object: "role" as const,
      name,
      description: r.description,
      permissions: [...r.permissions],
      keys: keys.filter((k) => (JSON.parse(k.roles) as string[]).includes(name)).length,
    }));
  }
}
