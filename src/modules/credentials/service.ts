import { randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify as verifyTotp } from "otplib";
import type { Clock } from "../../core/clock.js";
import type { Context, Principal } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import { randomToken } from "../../core/ids.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import { permissionsOf } from "../auth/roles.js";
import { CustomerRepository, type CustomerRow } from "../customers/repository.js";
import { AttemptCounters } from "../ratelimit/attempts.js";
import { findVisibleCustomer, type CustomerService } from "../customers/service.js";
import type { MailService } from "../mail/service.js";
import { CredentialEvents, CredentialOps } from "./operations.js";
import { CredentialRepository, type SessionRow } from "./repository.js";
import {
  type CredentialStatus,
  changePasswordSchema,
  emailChangeSchema,
  emailConfirmSchema,
  passwordIssues,
  setPinSchema,
  setPasswordSchema,
  totpCodeSchema,
  totpDisableSchema,
  type sessionViewSchema,
  verifyPinSchema,
} from "./schema.js";
import { SecretBox, burnVerify, hashSecret, needsRehash, sha256, verifySecret } from "./secrets.js";
import type { z } from "zod";

/** A session as every protocol reads it (field names as the REST API writes them). */
export type SessionView = z.output<typeof sessionViewSchema>;

export type LoginResult =
  | { state: "ok"; token: string; session: SessionView }
  | { state: "second_factor_required"; pendingToken: string; method: "GOOGLE-AUTH" };

export interface LoginInput {
  identifier: string;
  password: string;
  clientIp: string | null;
  protocol: string;
  requestId: string;
}

export interface SecondFactorInput {
  pendingToken: string;
  code: string;
  /**
   * Keep the pending token as the session token instead of issuing a new one. Only for INWX
   * account.unlock: the DomRobot clients keep the cookie of account.login and ignore a new one.
   * The session is then bound to the address that logged in.
   */
  keepToken?: boolean;
  clientIp: string | null;
  protocol: string;
  requestId: string;
}

export interface CredentialOptions {
  /** A session unused this long ends. */
  sessionIdleSeconds: number;
  /** A session ends this long after login, used or not. */
  sessionAbsoluteSeconds: number;
  /** Failed logins per account within the window that lock it. */
  lockoutThreshold: number;
  lockoutWindowSeconds: number;
  /**
   * Login attempts per client address within `ipWindowSeconds` (successes are given back); past
   * it the address is refused before any password is hashed. Short, so a shared address that
   * an attacker burns recovers quickly.
   */
  ipThreshold: number;
  ipWindowSeconds: number;
  /** How long an e-mail confirmation token stays valid. */
  emailTokenSeconds: number;
  /** CUSTOS_SECRET_KEY: encrypts TOTP secrets at rest when set. */
  secretKey: string | undefined;
  totpIssuer: string;
}

export const DEFAULT_CREDENTIAL_OPTIONS: CredentialOptions = {
  sessionIdleSeconds: 3600,
  sessionAbsoluteSeconds: 12 * 3600,
  lockoutThreshold: 5,
  lockoutWindowSeconds: 900,
  ipThreshold: 30,
  ipWindowSeconds: 60,
  emailTokenSeconds: 24 * 3600,
  secretKey: undefined,
  totpIssuer: "Custos",
};

/**
 * Protocols whose login sessions are API access (a program drives them: INWX DomRobot), so
 * api_allowed=false refuses them like API keys. REST login sessions are the customer's own
 * interactive sign-in and stay allowed, so it can still manage its account.
 */
const API_SESSION_PROTOCOLS: ReadonlySet<string> = new Set(["inwx"]);

/** Statuses whose customers may log in; every other status refuses logins and sessions. */
export const LOGIN_STATUSES: ReadonlySet<string> = new Set(["active", "cancellation_requested"]);

const SESSION_PREFIX = "cs_";
const PENDING_PREFIX = "cp_";
const EMAIL_TOKEN_PREFIX = "ce_";
const PENDING_SECONDS = 300;
const PENDING_MAX_ATTEMPTS = 5;
const PIN_MAX_FAILURES = 5;
const BACKUP_CODE_COUNT = 10;
const TOUCH_EVERY_MS = 60_000;

/** Every failed login says the same, whatever the reason, so nothing leaks about accounts. */
const invalidCredentials = (): AppError => new AppError("unauthenticated", "Invalid credentials");

const normaliseBackupCode = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, "");
const BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

function newBackupCode(): string {
  const bytes = randomBytes(10);
  let out = "";
  for (let i = 0; i < 10; i++) out += BACKUP_ALPHABET[(bytes[i] ?? 0) % BACKUP_ALPHABET.length];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

function customerPrincipal(customerId: number, sessionId: string | null): Principal {
  const roles = ["owner"];
  return { kind: "customer", id: customerId, keyId: null, sessionId, roles, permissions: permissionsOf(roles) };
}

/**
 * Customer credentials: passwords and the service PIN (argon2id), login sessions with lockout,
 * TOTP second factor with backup codes, and confirmed e-mail changes. Protocol adapters (REST,
 * INWX account.login/unlock, Stackable, Froxlor) call these methods and never see a secret.
 */
export class CredentialService {
  private readonly box: SecretBox;

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly mail: MailService,
    customers: CustomerService,
    private readonly options: CredentialOptions = DEFAULT_CREDENTIAL_OPTIONS,
  ) {
    this.box = new SecretBox(options.secretKey);
    customers.onPurge((trx, customerId) => new CredentialRepository(trx).deleteAllOf(customerId));
  }

  // ---- login, sessions -------------------------------------------------------------------

  async login(input: LoginInput): Promise<LoginResult> {
    const now = this.clock.now();
    const repo = new CredentialRepository(this.storage.db);
    const counters = new AttemptCounters(this.storage.db);
    const ip = input.clientIp ?? "";
    // Each budget is checked and counted in one step before the (deliberately slow) hash is
    // computed: parallel guesses cannot all pass the check, and a refused address costs no argon2.
    if (ip !== "") {
      const r = await counters.reserve("login-ip", ip, this.options.ipThreshold, this.options.ipWindowSeconds, now);
      if (!r.ok) throw new AppError("rate_limited", "Too many login attempts from this address; try again later", { retryAfter: r.retryAfter });
    }
    const customer = await this.findByIdentifier(input.identifier);
    const creds = customer ? await repo.get(customer.id) : undefined;
    if (!customer || !creds?.password_hash) {
      await burnVerify(input.password);
      await this.recordFailure(input, null);
      throw invalidCredentials();
    }
    // Past the account's budget logins are refused for the rest of the window, the right password
    // too; the customer's status, sessions and API keys stay as they are, so an anonymous caller
    // can delay a customer's logins but never lock its integrations out.
    if (!(await this.spendPasswordAttempt(customer.id, now))) throw invalidCredentials();
    const ok = await verifySecret(creds.password_hash, input.password);
    if (!ok) {
      await this.recordFailure(input, customer);
      throw invalidCredentials();
    }
    if (!LOGIN_STATUSES.has(customer.status) || customer.deleted_at !== null) throw invalidCredentials();
    if (API_SESSION_PROTOCOLS.has(input.protocol) && Number(customer.api_allowed) !== 1) throw invalidCredentials();
    await counters.reset("login-account", String(customer.id));
    if (ip !== "") await counters.refund("login-ip", ip);
    await repo.clearFailures("account", String(customer.id));
    if (needsRehash(creds.password_hash)) {
      await repo.upsert(customer.id, { password_hash: await hashSecret(input.password) }, now.toISOString());
    }
    if (creds.totp_enabled === 1) {
      const pendingToken = `${PENDING_PREFIX}${randomToken(32)}`;
      const at = now.toISOString();
      await repo.insertSession({
        id: `sep_${randomToken(12)}`,
        token_hash: sha256(pendingToken),
        customer_id: customer.id,
        state: "pending",
        created_at: at,
        last_seen_at: at,
        expires_at: new Date(now.getTime() + PENDING_SECONDS * 1000).toISOString(),
        client_ip: input.clientIp,
        protocol: input.protocol,
        attempts: 0,
      });
      return { state: "second_factor_required", pendingToken, method: "GOOGLE-AUTH" };
    }
    return this.openSession(customer.id, input);
  }

  async completeSecondFactor(input: SecondFactorInput): Promise<{ state: "ok"; token: string; session: SessionView }> {
    const now = this.clock.now();
    const repo = new CredentialRepository(this.storage.db);
    const pending = input.pendingToken.startsWith(PENDING_PREFIX) ? await repo.findSessionByHash(sha256(input.pendingToken)) : undefined;
    if (!pending || pending.state !== "pending" || pending.expires_at <= now.toISOString()) throw invalidCredentials();
    const customer = await new CustomerRepository(this.storage.db).find({ kind: "id", value: pending.customer_id }, {});
    if (!customer || !LOGIN_STATUSES.has(customer.status) || customer.deleted_at !== null) {
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
    const accepted = await this.storage.transaction(async (trx) => this.checkSecondFactor(new CredentialRepository(trx), customer.id, input.code));
    if (!accepted) {
      // A pending login may guess only a few times; then the password must be given again.
      if (attempt >= PENDING_MAX_ATTEMPTS) await repo.deleteSession(pending.id);
      await this.recordFailure(input, customer);
      throw invalidCredentials();
    }
    // The completed login gets a new token: the pending one was handed out before the second
    // factor was proven, so it must not become the session (session fixation).
    return this.openSession(customer.id, input, { replaces: pending.id, ...(input.keepToken ? { token: input.pendingToken } : {}) });
  }

  /** Ends the session the token belongs to; unknown tokens are ignored (logging out twice is fine). */
  async logout(token: string): Promise<void> {
    if (!token.startsWith(SESSION_PREFIX) && !token.startsWith(PENDING_PREFIX)) return;
    await this.storage.transaction(async (trx) => {
      const repo = new CredentialRepository(trx);
      const row = await repo.findSessionByHash(sha256(token));
      if (!row) return;
      await repo.deleteSession(row.id);
      if (row.state === "active") {
        const ctx = this.customerContext(row.customer_id, row.id, { clientIp: row.client_ip, protocol: row.protocol, requestId: `logout_${row.id}` });
        await this.audit.record(trx, ctx, { operation: CredentialEvents.logout, targetType: "session", targetId: row.id, customerId: row.customer_id });
      }
    });
  }

  /** Throws AppError("unauthenticated") for unknown/expired sessions or customers that may not log in. */
  async authenticateSession(token: string): Promise<Principal> {
    // A completed second-factor login keeps its cp_ token; until completed its row stays "pending".
    if (!token.startsWith(SESSION_PREFIX) && !token.startsWith(PENDING_PREFIX)) throw new AppError("unauthenticated", "The session is not valid");
    const repo = new CredentialRepository(this.storage.db);
    const row = await repo.findSessionByHash(sha256(token));
    const now = this.clock.now();
    if (!row || row.state !== "active") throw new AppError("unauthenticated", "The session is not valid");
    if (row.expires_at <= now.toISOString()) {
      await repo.deleteSession(row.id);
      throw new AppError("unauthenticated", "The session has expired; log in again");
    }
    const customer = await new CustomerRepository(this.storage.db).find({ kind: "id", value: row.customer_id }, {});
    if (!customer || !LOGIN_STATUSES.has(customer.status) || customer.deleted_at !== null) {
      throw new AppError("unauthenticated", "The session is not valid");
    }
    if (API_SESSION_PROTOCOLS.has(row.protocol) && Number(customer.api_allowed) !== 1) throw new AppError("unauthenticated", "API access is switched off for this account");
    if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
      await repo.touchSession(row.id, now.toISOString(), this.expiryOf(row.created_at, now));
    }
    return customerPrincipal(row.customer_id, row.id);
  }

  async tfaMethod(customerId: number): Promise<"0" | "GOOGLE-AUTH"> {
    const creds = await new CredentialRepository(this.storage.db).get(customerId);
    return creds?.totp_enabled === 1 ? "GOOGLE-AUTH" : "0";
  }

  /** Last login, login count and last address (INWX customer.info lastLogin/loginCount/lastIP). */
  async loginInfo(customerId: number): Promise<{ lastLoginAt: string | null; loginCount: number; lastIp: string | null }> {
    const creds = await new CredentialRepository(this.storage.db).get(customerId);
    return { lastLoginAt: creds?.last_login_at ?? null, loginCount: creds?.login_count ?? 0, lastIp: creds?.last_ip ?? null };
  }

  async listSessions(ctx: Context, ref: string): Promise<SessionView[]> {
    authorize(ctx, CredentialOps.sessionList);
    const customer = await this.findVisible(this.storage.db, ctx, ref);
    const rows = await new CredentialRepository(this.storage.db).listSessions(customer.id);
    const now = this.clock.now().toISOString();
    return rows.filter((r) => r.expires_at > now).map(sessionView);
  }

  async revokeAllSessions(ctx: Context, ref: string): Promise<{ revoked: number }> {
    authorize(ctx, CredentialOps.sessionRevokeAll);
    return this.storage.transaction(async (trx) => {
      const customer = await this.findVisible(trx, ctx, ref);
      const revoked = await new CredentialRepository(trx).deleteSessionsOf(customer.id);
      await this.audit.record(trx, ctx, { operation: CredentialOps.sessionRevokeAll.name, targetType: "customer", targetId: customer.id, details: { revoked } });
      return { revoked };
    });
  }

  /** Ends every session of a customer (life-cycle changes that forbid logging in call this). */
  async endSessionsOf(trx: Executor, customerId: number): Promise<void> {
    await new CredentialRepository(trx).deleteSessionsOf(customerId);
  }

  private expiryOf(createdAt: string, now: Date): string {
    const absolute = Date.parse(createdAt) + this.options.sessionAbsoluteSeconds * 1000;
    const idle = now.getTime() + this.options.sessionIdleSeconds * 1000;
    return new Date(Math.min(absolute, idle)).toISOString();
  }

  private async openSession(
    customerId: number,
    meta: { clientIp: string | null; protocol: string; requestId: string },
    reuse?: { replaces: string; token?: string },
  ): Promise<{ state: "ok"; token: string; session: SessionView }> {
    const now = this.clock.now();
    const at = now.toISOString();
    const token = reuse?.token ?? `${SESSION_PREFIX}${randomToken(32)}`;
    const row: SessionRow = {
      id: `ses_${randomToken(12)}`,
      token_hash: sha256(token),
      customer_id: customerId,
      state: "active",
      created_at: at,
      last_seen_at: at,
      expires_at: this.expiryOf(at, now),
      client_ip: meta.clientIp,
      protocol: meta.protocol,
      attempts: 0,
    };
    await this.storage.transaction(async (trx) => {
      const repo = new CredentialRepository(trx);
      if (reuse) await repo.deleteSession(reuse.replaces);
      await repo.insertSession(row);
      await repo.recordLogin(customerId, at, meta.clientIp);
      await this.audit.record(trx, this.customerContext(customerId, row.id, meta), { operation: CredentialEvents.login, targetType: "session", targetId: row.id, customerId });
    });
    return { state: "ok", token, session: sessionView(row) };
  }

  private async findByIdentifier(identifier: string): Promise<CustomerRow | undefined> {
    const id = identifier.trim().toLowerCase();
    if (id === "" || id.length > 320) return undefined;
    const row = await new CustomerRepository(this.storage.db).find({ kind: id.includes("@") ? "email" : "login", value: id }, {});
    return row;
  }

  /**
   * Records a password or code that was checked and found wrong (per address and account), for
   * the audit of failures. The budgets themselves are kept by AttemptCounters.
   */
  private async recordFailure(meta: { clientIp: string | null; protocol: string; requestId: string }, customer: CustomerRow | null): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.storage.transaction(async (trx) => {
      const repo = new CredentialRepository(trx);
      if (meta.clientIp) await repo.addFailure("ip", meta.clientIp, at);
      if (customer) await repo.addFailure("account", String(customer.id), at);
    });
  }

  /** Spends one of the account's password attempts (logins, password proofs); false when none is left. */
  private async spendPasswordAttempt(customerId: number, now: Date): Promise<boolean> {
    const r = await new AttemptCounters(this.storage.db).reserve("login-account", String(customerId), this.options.lockoutThreshold, this.options.lockoutWindowSeconds, now);
    return r.ok;
  }

  /**
   * Checks the password of a signed-in customer (password change, TOTP off) against the same
   * budget as logins, so these endpoints are no way around it.
   */
  private async proveCurrentPassword(ctx: Context, customerId: number, hash: string | null | undefined, candidate: string): Promise<boolean> {
    const now = this.clock.now();
    if (!(await this.spendPasswordAttempt(customerId, now))) {
      throw new AppError("rate_limited", "Too many wrong passwords; try again later", { retryAfter: this.options.lockoutWindowSeconds });
    }
    let ok = false;
    if (hash) ok = await verifySecret(hash, candidate);
    else await burnVerify(candidate);
    if (ok) await new AttemptCounters(this.storage.db).reset("login-account", String(customerId));
    else await this.recordFailure(ctx, null);
    return ok;
  }

  private customerContext(customerId: number, sessionId: string | null, meta: { clientIp: string | null; protocol: string; requestId: string }): Context {
    return { principal: customerPrincipal(customerId, sessionId), requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  private findVisible(db: Executor, ctx: Context, ref: string): Promise<CustomerRow> {
    return findVisibleCustomer(db, ctx, ref);
  }

  private async findLive(db: Executor, ctx: Context, ref: string): Promise<CustomerRow> {
    const row = await this.findVisible(db, ctx, ref);
    if (row.deleted_at !== null) throw new AppError("invalid_state_transition", "A deleted customer has no credentials to change");
    return row;
  }

  // ---- passwords ---------------------------------------------------------------------------

  /** An operator or the owning reseller sets a password (Froxlor new_customer_password). Ends all sessions. */
  async setPassword(ctx: Context, ref: string, input: unknown): Promise<void> {
    const { customer, password } = await this.preparePassword(ctx, ref, input);
    const hashed = await hashSecret(password);
    await this.storage.transaction(async (trx) => {
      const repo = new CredentialRepository(trx);
      const at = this.clock.now().toISOString();
      await repo.upsert(customer.id, { password_hash: hashed, password_changed_at: at }, at);
      await repo.deleteSessionsOf(customer.id);
      await this.audit.record(trx, ctx, { operation: CredentialOps.setPassword.name, targetType: "customer", targetId: customer.id, details: { password: "set" } });
    });
  }

  /** Every check of setPassword, without writing. */
  private async preparePassword(ctx: Context, ref: string, input: unknown): Promise<{ customer: CustomerRow; password: string }> {
    authorize(ctx, CredentialOps.setPassword);
    // A customer sets its own password without the current one only inside an interactive session,
    // which it opened with that password (INWX customer.update); an API key must use changePassword.
    if (ctx.principal.kind === "customer" && ctx.principal.sessionId === null) {
      throw new AppError("forbidden", "A customer changes its password with the current one (changePassword), or from a login session");
    }
    const { password } = parseOrThrow(setPasswordSchema, input);
    const customer = await this.findLive(this.storage.db, ctx, ref);
    const issues = passwordIssues(password, "password", { login: customer.login, email: customer.email });
    if (issues.length > 0) throw validationFailed(issues);
    return { customer, password };
  }

  /** A customer changes its own password, proving the current one (Stackable changePassword). */
  async changePassword(ctx: Context, input: unknown): Promise<void> {
    authorize(ctx, CredentialOps.changePassword);
    const data = parseOrThrow(changePasswordSchema, input);
    const customer = await this.findLive(this.storage.db, ctx, `id:${ctx.principal.id}`);
    const repo = new CredentialRepository(this.storage.db);
    const creds = await repo.get(customer.id);
    if (!(await this.proveCurrentPassword(ctx, customer.id, creds?.password_hash, data.current_password))) {
      throw validationFailed([{ field: "current_password", code: "invalid_value", message: "is not the current password" }]);
    }
    const issues = passwordIssues(data.new_password, "new_password", { login: customer.login, email: customer.email });
    if (data.new_password === data.current_password) issues.push({ field: "new_password", code: "invalid_value", message: "must differ from the current password" });
    if (issues.length > 0) throw validationFailed(issues);
    const hashed = await hashSecret(data.new_password);
    await this.storage.transaction(async (trx) => {
      const r = new CredentialRepository(trx);
      const at = this.clock.now().toISOString();
      await r.upsert(customer.id, { password_hash: hashed, password_changed_at: at }, at);
      // Other sessions may belong to whoever knew the old password: only this one survives.
      await r.deleteSessionsOf(customer.id, ctx.principal.sessionId ?? undefined);
      await this.audit.record(trx, ctx, { operation: CredentialOps.changePassword.name, targetType: "customer", targetId: customer.id, details: { password: "changed" } });
    });
  }

  // ---- service PIN -------------------------------------------------------------------------

  /**
   * Sets or changes the service PIN (INWX servicePin, Stackable changePIN). A customer replacing
   * an existing PIN must give the current one; an operator or reseller need not.
   */
  async setPin(ctx: Context, ref: string, input: unknown): Promise<void> {
    const { customer, pin, replaced } = await this.preparePin(ctx, ref, input);
    const hashed = await hashSecret(pin);
    await this.storage.transaction(async (trx) => {
      const at = this.clock.now().toISOString();
      await new CredentialRepository(trx).upsert(customer.id, { pin_hash: hashed }, at);
      await this.audit.record(trx, ctx, { operation: CredentialOps.setPin.name, targetType: "customer", targetId: customer.id, details: { pin: replaced ? "changed" : "set" } });
    });
  }

  /** Every check of setPin, without writing. */
  private async preparePin(ctx: Context, ref: string, input: unknown): Promise<{ customer: CustomerRow; pin: string; replaced: boolean }> {
    authorize(ctx, CredentialOps.setPin);
    const data = parseOrThrow(setPinSchema, input);
    const customer = await this.findLive(this.storage.db, ctx, ref);
    const creds = await new CredentialRepository(this.storage.db).get(customer.id);
    // Inside a login session the customer has just proved its password, which is enough to replace
    // the PIN (INWX customer.update servicePin); with an API key the current PIN is required. A
    // current PIN that is given is always checked.
    if (ctx.principal.kind === "customer" && creds?.pin_hash) {
      if (data.current_pin === undefined && ctx.principal.sessionId === null) {
        throw validationFailed([{ field: "current_pin", code: "required", message: "is required to replace an existing PIN" }]);
      }
      if (data.current_pin !== undefined && !(await this.proveCurrentPin(customer.id, creds.pin_hash, data.current_pin))) {
        throw validationFailed([{ field: "current_pin", code: "invalid_value", message: "is not the current PIN" }]);
      }
    }
    return { customer, pin: data.pin, replaced: Boolean(creds?.pin_hash) };
  }

  /** A current PIN given to replace it spends the same budget as PIN checks. */
  private async proveCurrentPin(customerId: number, hash: string, candidate: string): Promise<boolean> {
    const counters = new AttemptCounters(this.storage.db);
    const budget = await counters.reserve("pin", String(customerId), PIN_MAX_FAILURES, this.options.lockoutWindowSeconds, this.clock.now());
    if (!budget.ok) throw new AppError("rate_limited", "Too many wrong PINs; try again later", { retryAfter: budget.retryAfter });
    const ok = await verifySecret(hash, candidate);
    if (ok) await counters.reset("pin", String(customerId));
    return ok;
  }

  /** Checks a PIN; after a few wrong guesses in the lockout window further checks are refused. */
  async verifyPin(ctx: Context, ref: string, input: unknown): Promise<{ valid: boolean }> {
    authorize(ctx, CredentialOps.verifyPin);
    const { pin } = parseOrThrow(verifyPinSchema, input);
    const customer = await this.findVisible(this.storage.db, ctx, ref);
    const repo = new CredentialRepository(this.storage.db);
    const now = this.clock.now();
    // Checked and counted in one step, before the PIN is hashed.
    const budget = await new AttemptCounters(this.storage.db).reserve("pin", String(customer.id), PIN_MAX_FAILURES, this.options.lockoutWindowSeconds, now);
    if (!budget.ok) throw new AppError("rate_limited", "Too many wrong PINs; try again later", { retryAfter: budget.retryAfter });
    const creds = await repo.get(customer.id);
    let valid = false;
    if (creds?.pin_hash) valid = await verifySecret(creds.pin_hash, pin);
    else await burnVerify(pin);
    if (valid) {
      await new AttemptCounters(this.storage.db).reset("pin", String(customer.id));
      await repo.clearFailures("pin", String(customer.id));
    } else await repo.addFailure("pin", String(customer.id), now.toISOString());
    return { valid };
  }

  async status(ctx: Context, ref: string): Promise<CredentialStatus> {
    authorize(ctx, CredentialOps.status);
    const customer = await this.findVisible(this.storage.db, ctx, ref);
    const repo = new CredentialRepository(this.storage.db);
    const c = await repo.get(customer.id);
    return {
      object: "credentials",
      customer_id: customer.id,
      password_set: Boolean(c?.password_hash),
      password_changed_at: c?.password_changed_at ?? null,
      pin_set: Boolean(c?.pin_hash),
      totp_enabled: c?.totp_enabled === 1,
      backup_codes_left: c?.totp_enabled === 1 ? await repo.countUnusedBackupCodes(customer.id) : 0,
      last_login_at: c?.last_login_at ?? null,
      login_count: c?.login_count ?? 0,
      last_ip: c?.last_ip ?? null,
    };
  }

  // ---- e-mail change -------------------------------------------------------------------------

  /** Starts an e-mail change: the address changes only when the token mailed to it comes back. */
  async requestEmailChange(ctx: Context, ref: string, input: unknown): Promise<{ object: "email_change"; new_email: string; expires_at: string }> {
    authorize(ctx, CredentialOps.requestEmailChange);
    const { email } = parseOrThrow(emailChangeSchema, input);
    const token = `${EMAIL_TOKEN_PREFIX}${randomToken(24)}`;
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.options.emailTokenSeconds * 1000).toISOString();
    const customer = await this.storage.transaction(async (trx) => {
      const c = await this.findLive(trx, ctx, ref);
      if (c.email === email) throw validationFailed([{ field: "email", code: "invalid_value", message: "is already the customer's address" }]);
      const other = await new CustomerRepository(trx).find({ kind: "email", value: email }, {});
      if (other && other.deleted_at === null && other.id !== c.id) throw new AppError("conflict", "Another customer uses this e-mail address", { issues: [{ field: "email", code: "already_exists", message: "is used by another customer" }] });
      await new CredentialRepository(trx).insertEmailChange({ customer_id: c.id, new_email: email, token_hash: sha256(token), created_at: now.toISOString(), expires_at: expiresAt, used_at: null });
      await this.audit.record(trx, ctx, { operation: CredentialOps.requestEmailChange.name, targetType: "customer", targetId: c.id, details: { new_email: email } });
      return c;
    });
    await this.mail.send({
      to: email,
      subject: "Confirm your new e-mail address",
      text: `Someone asked to change the e-mail address of account ${customer.login} to this address.\n\nConfirmation code: ${token}\n\nThe code is valid until ${expiresAt}. If this was not you, ignore this message.\n`,
    });
    return { object: "email_change", new_email: email, expires_at: expiresAt };
  }

  /** Completes an e-mail change with the mailed token (anonymous: the token is the proof). */
  async confirmEmailChange(input: unknown, meta: { clientIp: string | null; protocol: string; requestId: string }): Promise<{ object: "email_change"; customer_id: number; email: string }> {
    const { token } = parseOrThrow(emailConfirmSchema, input);
    const invalid = () => validationFailed([{ field: "token", code: "invalid_value", message: "is unknown, used or expired" }]);
    return this.storage.transaction(async (trx) => {
      const repo = new CredentialRepository(trx);
      const row = await repo.findEmailChange(sha256(token));
      const now = this.clock.now().toISOString();
      if (!row || row.used_at !== null || row.expires_at <= now) throw invalid();
      const customers = new CustomerRepository(trx);
      const c = await customers.find({ kind: "id", value: row.customer_id }, {});
      if (!c || c.deleted_at !== null) throw invalid();
      const changed = await customers.update(c.id, c.version, { email: row.new_email, updated_at: now });
      if (!changed) throw new AppError("precondition_failed", "The customer was changed concurrently; try again");
      await repo.markEmailChangeUsed(row.id, now);
      await this.audit.record(trx, this.customerContext(c.id, null, meta), {
        operation: CredentialEvents.emailConfirm,
        targetType: "customer",
        targetId: c.id,
        before: { email: c.email },
        after: { email: row.new_email },
      });
      return { object: "email_change" as const, customer_id: c.id, email: row.new_email };
    });
  }

  // ---- TOTP --------------------------------------------------------------------------------

  /** Starts enrolment: the secret and otpauth URI are shown this once and never again. */
  async enrolTotp(ctx: Context, ref: string): Promise<{ secret: string; otpauth_uri: string }> {
    authorize(ctx, CredentialOps.totpEnrol);
    return this.storage.transaction(async (trx) => {
      const customer = await this.findLive(trx, ctx, ref);
      const repo = new CredentialRepository(trx);
      const creds = await repo.get(customer.id);
      if (creds?.totp_enabled === 1) throw new AppError("invalid_state_transition", "TOTP is already enabled; disable it before enrolling again");
      const secret = generateSecret();
      const at = this.clock.now().toISOString();
      await repo.upsert(customer.id, { totp_secret: this.box.seal(secret), totp_enabled: 0, totp_last_step: 0 }, at);
      await this.audit.record(trx, ctx, { operation: CredentialOps.totpEnrol.name, targetType: "customer", targetId: customer.id, details: { totp: "enrolment started" } });
      return { secret, otpauth_uri: generateURI({ issuer: this.options.totpIssuer, label: customer.login, secret }) };
    });
  }

  /** Turns TOTP on with a first valid code; returns the one-time backup codes (shown once). */
  async confirmTotp(ctx: Context, ref: string, input: unknown): Promise<{ backup_codes: string[] }> {
    authorize(ctx, CredentialOps.totpConfirm);
    const { code } = parseOrThrow(totpCodeSchema, input);
    return this.storage.transaction(async (trx) => {
      const customer = await this.findLive(trx, ctx, ref);
      const repo = new CredentialRepository(trx);
      const creds = await repo.get(customer.id);
      if (!creds?.totp_secret) throw new AppError("invalid_state_transition", "Start TOTP enrolment first");
      if (creds.totp_enabled === 1) throw new AppError("invalid_state_transition", "TOTP is already enabled");
      const step = await this.verifyTotpCode(creds.totp_secret, code, creds.totp_last_step);
      if (step === null) throw validationFailed([{ field: "code", code: "invalid_value", message: "is not the current code of the enrolled secret" }]);
      const at = this.clock.now().toISOString();
      await repo.upsert(customer.id, { totp_enabled: 1, totp_last_step: step }, at);
      const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
      await repo.replaceBackupCodes(customer.id, codes.map((c) => sha256(normaliseBackupCode(c))));
      await this.audit.record(trx, ctx, { operation: CredentialOps.totpConfirm.name, targetType: "customer", targetId: customer.id, details: { totp: "enabled" } });
      return { backup_codes: codes };
    });
  }

  /** Replaces the backup codes; a customer proves itself with a current code. */
  async regenerateBackupCodes(ctx: Context, ref: string, input: unknown): Promise<{ backup_codes: string[] }> {
    authorize(ctx, CredentialOps.backupCodes);
    return this.storage.transaction(async (trx) => {
      // Find first: a customer out of scope answers "not found" whatever the body holds.
      const customer = await this.findLive(trx, ctx, ref);
      const data = ctx.principal.kind === "customer" ? parseOrThrow(totpCodeSchema, input) : undefined;
      const repo = new CredentialRepository(trx);
      const creds = await repo.get(customer.id);
      if (creds?.totp_enabled !== 1) throw new AppError("invalid_state_transition", "TOTP is not enabled");
      if (data && !(await this.checkSecondFactor(repo, customer.id, data.code))) {
        throw validationFailed([{ field: "code", code: "invalid_value", message: "is not a valid code" }]);
      }
      const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
      await repo.replaceBackupCodes(customer.id, codes.map((c) => sha256(normaliseBackupCode(c))));
      await this.audit.record(trx, ctx, { operation: CredentialOps.backupCodes.name, targetType: "customer", targetId: customer.id, details: { backup_codes: "replaced" } });
      return { backup_codes: codes };
    });
  }

  /** Turns TOTP off. A customer proves itself with a code or its password; admins need not. */
  async disableTotp(ctx: Context, ref: string, input: unknown): Promise<void> {
    authorize(ctx, CredentialOps.totpDisable);
    const data = parseOrThrow(totpDisableSchema, input ?? {});
    const customer = await this.findLive(this.storage.db, ctx, ref);
    const creds = await new CredentialRepository(this.storage.db).get(customer.id);
    if (!creds?.totp_secret) throw new AppError("invalid_state_transition", "TOTP is not enabled");
    if (ctx.principal.kind === "customer") {
      let proven = false;
      if (data.password !== undefined) proven = await this.proveCurrentPassword(ctx, customer.id, creds.password_hash, data.password);
      if (!proven && data.code !== undefined) proven = await this.storage.transaction((trx) => this.checkSecondFactor(new CredentialRepository(trx), customer.id, data.code ?? ""));
      if (!proven) throw validationFailed([{ field: data.code !== undefined ? "code" : "password", code: "invalid_value", message: "give a valid current code or the password to turn TOTP off" }]);
    }
    await this.storage.transaction(async (trx) => {
      const repo = new CredentialRepository(trx);
      const at = this.clock.now().toISOString();
      await repo.upsert(customer.id, { totp_secret: null, totp_enabled: 0, totp_last_step: 0 }, at);
      await repo.replaceBackupCodes(customer.id, []);
      await this.audit.record(trx, ctx, { operation: CredentialOps.totpDisable.name, targetType: "customer", targetId: customer.id, details: { totp: "disabled" } });
    });
  }

  /** A TOTP code (not replayed) or an unused backup code; the accepted one is consumed. */
  private async checkSecondFactor(repo: CredentialRepository, customerId: number, code: string): Promise<boolean> {
    const creds = await repo.get(customerId);
    if (creds?.totp_enabled !== 1 || !creds.totp_secret) return false;
    const trimmed = code.replace(/\s/g, "");
    if (/^\d{6}$/.test(trimmed)) {
      const step = await this.verifyTotpCode(creds.totp_secret, trimmed, creds.totp_last_step);
      if (step === null) return false;
      await repo.upsert(customerId, { totp_last_step: step }, this.clock.now().toISOString());
      return true;
    }
    return repo.useBackupCode(customerId, sha256(normaliseBackupCode(trimmed)), this.clock.now().toISOString());
  }

  /** The accepted time step, or null. One step of clock drift either way is tolerated. */
  private async verifyTotpCode(sealed: string, code: string, lastStep: number): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    try {
      const r = await verifyTotp({ secret: this.box.open(sealed), token: code, epoch: Math.floor(this.clock.now().getTime() / 1000), epochTolerance: 30, afterTimeStep: lastStep });
      return r.valid && "timeStep" in r ? r.timeStep : null;
    } catch {
      return null;
    }
  }
}

function sessionView(row: SessionRow): SessionView {
  return { id: row.id, customer_id: row.customer_id, created_at: row.created_at, expires_at: row.expires_at };
}
