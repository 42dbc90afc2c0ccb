import type { Context, Principal } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import { randomToken } from "../../core/ids.js";
import { authorize } from "../../core/operations.js";
import type { Executor } from "../../storage/db.js";
import { CustomerRepository, type CustomerRow } from "../customers/repository.js";
import { type CustomerCredentialBase, customerPrincipal, invalidCredentials, LOGIN_STATUSES } from "./customer-base.js";
import { CredentialEvents, CredentialOps } from "./operations.js";
import type { SessionRow } from "./repository.js";
import type { sessionViewSchema } from "./schema.js";
import { burnVerify, sha256, verifySecret } from "./secrets.js";
import type { RequestMeta } from "./subject.js";
import type { z } from "zod";

/** A session as every protocol reads it (field names as the REST API writes them). */
export type SessionView = z.output<typeof sessionViewSchema>;

export type LoginResult =
  | { state: "ok"; token: string; session: SessionView }
  | { state: "second_factor_required"; pendingToken: string; method: "GOOGLE-AUTH" };

export interface LoginInput extends RequestMeta {
  identifier: string;
  password: string;
}

export interface SecondFactorInput extends RequestMeta {
  pendingToken: string;
  code: string;
  /**
   * Keep the pending token as the session token instead of issuing a new one. Only for
   * a second-factor unlock whose clients keep the cookie of the first login step and ignore a new one.
   * The session is then bound to the address that logged in.
   */
  keepToken?: boolean;
}

const SESSION_PREFIX = "cs_";
const PENDING_PREFIX = "cp_";
const PENDING_SECONDS = 300;
const PENDING_MAX_ATTEMPTS = 5;

const isCustomerToken = (token: string): boolean => token.startsWith(SESSION_PREFIX) || token.startsWith(PENDING_PREFIX);
const invalidSession = (): AppError => new AppError("unauthenticated", "The session is not valid");
const mayLogIn = (c: CustomerRow | undefined): c is CustomerRow => c !== undefined && LOGIN_STATUSES.has(c.status) && c.deleted_at === null;

/** Customer logins with lockout, the pending second-factor step, and the customer's sessions. */
export class CustomerSessions {
  constructor(private readonly base: CustomerCredentialBase) {}

  async login(input: LoginInput): Promise<LoginResult> {
    const { base } = this;
    const budget = base.rules.budget();
    // Each budget is checked and counted in one step before the (deliberately slow) hash is
    // computed: parallel guesses cannot all pass the check, and a refused address costs no argon2.
    await budget.admitAddress(input.clientIp);
    const customer = await this.findByIdentifier(input.identifier);
    const creds = customer ? await base.repo().get(customer.id) : undefined;
    if (!customer || !creds?.password_hash) {
      await burnVerify(input.password);
      await base.recordFailure(input, null);
      throw invalidCredentials();
    }
    // Past the account's budget logins are refused for the rest of the window, the right password
    // too; the customer's status, sessions and API keys stay as they are, so an anonymous caller
    // can delay a customer's logins but never lock its integrations out.
    if (!(await budget.spend({ kind: "customer", id: customer.id }))) throw invalidCredentials();
    if (!(await verifySecret(creds.password_hash, input.password))) {
      await base.recordFailure(input, customer);
      throw invalidCredentials();
    }
    if (!mayLogIn(customer)) throw invalidCredentials();
    if (base.refusesApiAccess(input.protocol, customer)) throw invalidCredentials();
    await budget.succeeded({ kind: "customer", id: customer.id }, input.clientIp);
    await base.repo().clearFailures("account", String(customer.id));
    await base.rules.rehashIfNeeded(customer.id, creds.password_hash, input.password);
    if (creds.totp_enabled === 1) {
      const pendingToken = `${PENDING_PREFIX}${randomToken(32)}`;
      const expiresAt = new Date(base.clock.now().getTime() + PENDING_SECONDS * 1000).toISOString();
      await base.repo().insertSession(base.rules.sessionRow(customer.id, `sep_${randomToken(12)}`, pendingToken, "pending", input, expiresAt));
      return { state: "second_factor_required", pendingToken, method: "GOOGLE-AUTH" };
    }
    return this.openSession(customer.id, input);
  }

  async completeSecondFactor(input: SecondFactorInput): Promise<{ state: "ok"; token: string; session: SessionView }> {
    const { base } = this;
    const repo = base.repo();
    const pending = input.pendingToken.startsWith(PENDING_PREFIX) ? await repo.findSessionByHash(sha256(input.pendingToken)) : undefined;
    if (pending?.state !== "pending" || pending.expires_at <= base.clock.now().toISOString()) throw invalidCredentials();
    const customer = await new CustomerRepository(base.storage.db).find({ kind: "id", value: pending.customer_id }, {});
    if (!mayLogIn(customer)) {
      await repo.deleteSession(pending.id);
      throw invalidCredentials();
    }
    if (input.keepToken && pending.client_ip !== input.clientIp) throw invalidCredentials();
    // The attempt is counted before the code is checked, in one conditional UPDATE.
    const attempt = await repo.spendAttempt(pending.id, PENDING_MAX_ATTEMPTS);
    if (attempt === null) {
      await repo.deleteSession(pending.id);
      throw invalidCredentials();
    }
    const accepted = await base.storage.transaction((trx) => base.rules.checkSecondFactor(base.repo(trx), customer.id, input.code));
    if (!accepted) {
      // A pending login may guess only a few times; then the password must be given again.
      if (attempt >= PENDING_MAX_ATTEMPTS) await repo.deleteSession(pending.id);
      await base.recordFailure(input, customer);
      throw invalidCredentials();
    }
    // The completed login gets a new token: the pending one was handed out before the second
    // factor was proven, so it must not become the session (session fixation).
    return this.openSession(customer.id, input, { replaces: pending.id, ...(input.keepToken ? { token: input.pendingToken } : {}) });
  }

  /** Ends the session the token belongs to; unknown tokens are ignored (logging out twice is fine). */
  async logout(token: string): Promise<void> {
    if (!isCustomerToken(token)) return;
    const { base } = this;
    await base.storage.transaction(async (trx) => {
      const repo = base.repo(trx);
      const row = await repo.findSessionByHash(sha256(token));
      if (!row) return;
      await repo.deleteSession(row.id);
      if (row.state === "active") {
        const ctx = base.customerContext(row.customer_id, row.id, { clientIp: row.client_ip, protocol: row.protocol, requestId: `logout_${row.id}` });
        await base.audit.record(trx, ctx, { operation: CredentialEvents.logout, targetType: "session", targetId: row.id, customerId: row.customer_id });
      }
    });
  }

  /** Throws AppError("unauthenticated") for unknown/expired sessions or customers that may not log in. */
  async authenticateSession(token: string): Promise<Principal> {
    // A completed second-factor login keeps its cp_ token; until completed its row stays "pending".
    if (!isCustomerToken(token)) throw invalidSession();
    const { base } = this;
    const row = await base.rules.activeSession(token, invalidSession);
    const customer = await new CustomerRepository(base.storage.db).find({ kind: "id", value: row.customer_id }, {});
    if (!mayLogIn(customer)) throw invalidSession();
    if (base.refusesApiAccess(row.protocol, customer)) throw new AppError("unauthenticated", "API access is switched off for this account");
    await base.rules.touch(row);
    return customerPrincipal(row.customer_id, row.id);
  }

  async listSessions(ctx: Context, ref: string): Promise<SessionView[]> {
    authorize(ctx, CredentialOps.sessionList);
    const { base } = this;
    const customer = await base.findVisible(base.storage.db, ctx, ref);
    const rows = await base.repo().listSessions(customer.id);
    const now = base.clock.now().toISOString();
    return rows.filter((r) => r.expires_at > now).map(sessionView);
  }

  async revokeAllSessions(ctx: Context, ref: string): Promise<{ revoked: number }> {
    authorize(ctx, CredentialOps.sessionRevokeAll);
    const { base } = this;
    return base.storage.transaction(async (trx) => {
      const customer = await base.findVisible(trx, ctx, ref);
      const revoked = await base.repo(trx).deleteSessionsOf(customer.id);
      await base.audit.record(trx, ctx, { operation: CredentialOps.sessionRevokeAll.name, targetType: "customer", targetId: customer.id, details: { revoked } });
      return { revoked };
    });
  }

  /** Ends every session of a customer (life-cycle changes that forbid logging in call this). */
  async endSessionsOf(trx: Executor, customerId: number): Promise<void> {
    await this.base.repo(trx).deleteSessionsOf(customerId);
  }

  private async openSession(customerId: number, meta: RequestMeta, reuse?: { replaces: string; token?: string }): Promise<{ state: "ok"; token: string; session: SessionView }> {
    const { base } = this;
    const token = reuse?.token ?? `${SESSION_PREFIX}${randomToken(32)}`;
    const row = base.rules.sessionRow(customerId, `ses_${randomToken(12)}`, token, "active", meta);
    await base.storage.transaction(async (trx) => {
      await base.rules.recordSession(base.repo(trx), customerId, row, reuse?.replaces);
      await base.audit.record(trx, base.customerContext(customerId, row.id, meta), { operation: CredentialEvents.login, targetType: "session", targetId: row.id, customerId });
    });
    return { state: "ok", token, session: sessionView(row) };
  }

  private async findByIdentifier(identifier: string): Promise<CustomerRow | undefined> {
    const id = identifier.trim().toLowerCase();
    if (id === "" || id.length > 320) return undefined;
    return new CustomerRepository(this.base.storage.db).find({ kind: id.includes("@") ? "email" : "login", value: id }, {});
  }
}

function sessionView(row: SessionRow): SessionView {
  return { id: row.id, customer_id: row.customer_id, created_at: row.created_at, expires_at: row.expires_at };
}
