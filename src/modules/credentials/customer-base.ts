import type { Clock } from "../../core/clock.js";
import type { Context, Principal } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import { permissionsOf } from "../auth/roles.js";
import type { CustomerRow } from "../customers/repository.js";
import { findVisibleCustomer } from "../customers/lookup.js";
import type { CredentialOptions } from "./options.js";
import { CredentialRepository } from "./repository.js";
import { burnVerify, verifySecret } from "./secrets.js";
import { type RequestMeta, SubjectCredentials } from "./subject.js";

/** Statuses whose customers may log in; every other status refuses logins and sessions. */
export const LOGIN_STATUSES: ReadonlySet<string> = new Set(["active", "cancellation_requested"]);

/** Every failed login says the same, whatever the reason, so nothing leaks about accounts. */
export const invalidCredentials = (): AppError => new AppError("unauthenticated", "Invalid credentials");

export function customerPrincipal(customerId: number, sessionId: string | null): Principal {
  const roles = ["owner"];
  return { kind: "customer", id: customerId, keyId: null, sessionId, roles, permissions: permissionsOf(roles) };
}

const checked: unique symbol = Symbol("checked credential step");
/**
 * What the check of a credential step hands to its write: made only by the check (`proof`), so a
 * write cannot run on a secret nobody checked. The check runs before the command's transaction
 * (its `prepare`), so the attempt it spends stays spent when it refuses.
 */
export type Proof<T> = Readonly<T> & { readonly [checked]: true };
export const proof = <T extends object>(value: T): Proof<T> => ({ ...value, [checked]: true }) as Proof<T>;

/** Opens the customer credential repository on a connection or transaction (a fake in unit tests). */
export type CredentialRepositoryFactory = (db: Executor) => CredentialRepository;

/**
 * What every part of the customer credential service shares: its dependencies, the subject
 * credential rules on the customer tables, the customer lookups, and the password proof that
 * password changes and turning TOTP off both ask for.
 */
export class CustomerCredentialBase {
  readonly rules: SubjectCredentials<"customer", CredentialRepository>;

  constructor(
    readonly storage: Storage,
    readonly audit: AuditService,
    readonly clock: Clock,
    readonly options: CredentialOptions,
    repository: CredentialRepositoryFactory = (db) => new CredentialRepository(db),
  ) {
    this.rules = new SubjectCredentials({ storage, clock, options, repository }, "customer");
  }

  repo(db: Executor = this.storage.db): CredentialRepository {
    return this.rules.repo(db);
  }

  findVisible(db: Executor, ctx: Context, ref: string): Promise<CustomerRow> {
    return findVisibleCustomer(db, ctx, ref);
  }

  async findLive(db: Executor, ctx: Context, ref: string): Promise<CustomerRow> {
    const row = await this.findVisible(db, ctx, ref);
    if (row.deleted_at !== null) throw new AppError("invalid_state_transition", "A deleted customer has no credentials to change");
    return row;
  }

  /** A session opened on this protocol is API access, which the customer's api_allowed switch governs (CredentialOptions). */
  refusesApiAccess(protocol: string, customer: Pick<CustomerRow, "api_allowed">): boolean {
    return this.options.apiSessionProtocols.has(protocol) && Number(customer.api_allowed) !== 1;
  }

  customerContext(customerId: number, sessionId: string | null, meta: RequestMeta): Context {
    return { principal: customerPrincipal(customerId, sessionId), requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  /**
   * Records a password or code that was checked and found wrong (per address and account), for
   * the audit of failures. The budgets themselves are kept by AttemptCounters.
   */
  async recordFailure(meta: RequestMeta, customer: CustomerRow | null): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.storage.transaction(async (trx) => {
      const repo = this.repo(trx);
      if (meta.clientIp) await repo.addFailure("ip", meta.clientIp, at);
      if (customer) await repo.addFailure("account", String(customer.id), at);
    });
  }

  /**
   * Checks the password of a signed-in customer (password change, TOTP off) against the same
   * budget as logins, so these endpoints are no way around it.
   */
  async proveCurrentPassword(ctx: Context, customerId: number, hash: string | null | undefined, candidate: string): Promise<boolean> {
    const budget = this.rules.budget();
    if (!(await budget.spend({ kind: "customer", id: customerId }))) {
      throw new AppError("rate_limited", "Too many wrong passwords; try again later", { retryAfter: this.options.lockoutWindowSeconds });
    }
    let ok = false;
    if (hash) ok = await verifySecret(hash, candidate);
    else await burnVerify(candidate);
    if (ok) await budget.reset({ kind: "customer", id: customerId });
    else await this.recordFailure(ctx, null);
    return ok;
  }
}
