import { randomBytes } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import type { Context, Principal, PrincipalKind } from "../../core/context.js";
import { AppError, notFound, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import { AccountRepository, type AccountRow } from "../accounts/repository.js";
import type { AuditService } from "../audit/service.js";
import { ipAllowed, parseRange } from "../auth/acl.js";
import { ApiKeyRepository } from "../auth/repository.js";
import { permissionsOf } from "../auth/roles.js";
import { AccountCredentialEvents, AccountCredentialOps } from "./account-operations.js";
import { type AccountLoginInput, type AccountLoginStatus, accountLogin, accountLoginSetSchema, accountTotpDisableSchema } from "./account-schema.js";
import { AccountCredentialRepository } from "./repository.js";
import { passwordIssues, totpCodeSchema } from "./schema.js";
import { burnVerify, hashSecret, sha256, verifySecret } from "./secrets.js";
import type { CredentialOptions } from "./options.js";
import { type RequestMeta, SubjectCredentials } from "./subject.js";

/** Account session tokens: 128 random bits as 32 lower-case hex digits (the token shape account-login clients expect). */
const ACCOUNT_TOKEN = /^[0-9a-f]{32}$/;

const invalidCredentials = (): AppError => new AppError("unauthenticated", "Invalid credentials");
const invalidSession = (): AppError => new AppError("unauthenticated", "The session is not valid");

export interface AccountSession {
  token: string;
  accountId: number;
  kind: "operator" | "reseller";
  expiresAt: string;
}

/**
 * Password logins for operator and reseller accounts: the credential rules customers follow
 * (SubjectCredentials: argon2id, attempt budgets, TOTP and backup codes, session expiry) on the
 * account's own tables. What is the account's own: who may manage it (operators, or a reseller
 * itself), that only active operator and reseller accounts log in, and that the account's API-key
 * allow lists bind its logins too: a login, and every use of its session, must come from an
 * address one of the account's live keys allows (when any key has a list).
 */
export class AccountCredentialService {
  private readonly rules: SubjectCredentials<"account", AccountCredentialRepository>;

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    readonly options: CredentialOptions,
    repository: (db: Executor) => AccountCredentialRepository = (db) => new AccountCredentialRepository(db),
  ) {
    this.rules = new SubjectCredentials({ storage, clock, options, repository }, "account");
  }

  static isSessionToken(token: string): boolean {
    return ACCOUNT_TOKEN.test(token);
  }

  private repo(db: Executor = this.storage.db): AccountCredentialRepository {
    return this.rules.repo(db);
  }

  // ---- managing an account's login ---------------------------------------------------------

  async setLogin(ctx: Context, accountId: number, input: unknown): Promise<AccountLoginStatus> {
    authorize(ctx, AccountCredentialOps.set);
    const data = parseOrThrow(accountLoginSetSchema, input);
    const account = await this.findVisible(this.storage.db, ctx, accountId);
    const current = await this.repo().get(account.id);
    const login = data.login ?? current?.login ?? "";
    if (login === "") throw validationFailed([{ field: "login", code: "required", message: "is required until the account has a login name" }]);
    let hashed: string | undefined;
    if (data.password !== undefined) {
      const issues = passwordIssues(data.password, "password", { login, email: account.email });
      if (issues.length > 0) throw validationFailed(issues);
      hashed = await hashSecret(data.password);
    }
    await this.storage.transaction(async (trx) => {
      const repo = this.repo(trx);
      await repo.upsert(account.id, { login }, this.clock.now().toISOString());
      if (hashed !== undefined) await this.rules.writePassword(repo, account.id, hashed);
      await this.audit.record(trx, ctx, {
        operation: AccountCredentialOps.set.name,
        targetType: "account",
        targetId: account.id,
        details: { login, ...(hashed !== undefined ? { password: "set" } : {}) },
      });
    });
    return this.statusOf(account.id);
  }

  async status(ctx: Context, accountId: number): Promise<AccountLoginStatus> {
    authorize(ctx, AccountCredentialOps.status);
    const account = await this.findVisible(this.storage.db, ctx, accountId);
    return this.statusOf(account.id);
  }

  private async statusOf(accountId: number): Promise<AccountLoginStatus> {
    const c = await this.repo().get(accountId);
    return {
      object: "account_credentials",
      account_id: accountId,
      login: c?.login || null,
      password_set: Boolean(c?.password_hash),
      password_changed_at: c?.password_changed_at ?? null,
      totp_enabled: c?.totp_enabled === 1,
      last_login_at: c?.last_login_at ?? null,
      login_count: c?.login_count ?? 0,
      last_ip: c?.last_ip ?? null,
    };
  }

  /** Gives an account whose login budget is spent its attempts back at once (operators). */
  async unlock(ctx: Context, accountId: number): Promise<AccountLoginStatus> {
    authorize(ctx, AccountCredentialOps.unlock);
    await this.storage.transaction(async (trx) => {
      const account = await this.findVisible(trx, ctx, accountId);
      await this.rules.budget().reset({ kind: "account", id: account.id });
      await this.audit.record(trx, ctx, { operation: AccountCredentialOps.unlock.name, targetType: "account", targetId: account.id, details: { login_budget: "reset" } });
    });
    return this.statusOf(accountId);
  }

  // ---- TOTP --------------------------------------------------------------------------------

  async enrolTotp(ctx: Context, accountId: number): Promise<{ secret: string; otpauth_uri: string }> {
    authorize(ctx, AccountCredentialOps.totpEnrol);
    return this.storage.transaction(async (trx) => {
      const account = await this.findVisible(trx, ctx, accountId);
      const enrolled = await this.rules.enrolTotp(this.repo(trx), account.id, (c) => {
        if (!c?.login) throw new AppError("invalid_state_transition", "Give the account a login name first");
        return c.login;
      });
      await this.audit.record(trx, ctx, { operation: AccountCredentialOps.totpEnrol.name, targetType: "account", targetId: account.id, details: { totp: "enrolment started" } });
      return enrolled;
    });
  }

  async confirmTotp(ctx: Context, accountId: number, input: unknown): Promise<{ backup_codes: string[] }> {
    authorize(ctx, AccountCredentialOps.totpConfirm);
    const { code } = parseOrThrow(totpCodeSchema, input);
    return this.storage.transaction(async (trx) => {
      const account = await this.findVisible(trx, ctx, accountId);
      const codes = await this.rules.confirmTotp(this.repo(trx), account.id, code);
      await this.audit.record(trx, ctx, { operation: AccountCredentialOps.totpConfirm.name, targetType: "account", targetId: account.id, details: { totp: "enabled" } });
      return codes;
    });
  }

  /** Turns TOTP off; an account acting on itself proves it with a current code, an operator need not. */
  async disableTotp(ctx: Context, accountId: number, input: unknown): Promise<void> {
    authorize(ctx, AccountCredentialOps.totpDisable);
    const data = parseOrThrow(accountTotpDisableSchema, input ?? {});
    await this.storage.transaction(async (trx) => {
      const account = await this.findVisible(trx, ctx, accountId);
      const repo = this.repo(trx);
      const c = await repo.get(account.id);
      if (!c?.totp_secret) throw new AppError("invalid_state_transition", "TOTP is not enabled");
      if (ctx.principal.kind !== "operator" && c.totp_enabled === 1 && !(await this.rules.checkSecondFactor(repo, account.id, data.code ?? ""))) {
        throw validationFailed([{ field: "code", code: "invalid_value", message: "give a valid current code to turn TOTP off" }]);
      }
      await this.rules.disableTotp(repo, account.id);
      await this.audit.record(trx, ctx, { operation: AccountCredentialOps.totpDisable.name, targetType: "account", targetId: account.id, details: { totp: "disabled" } });
    });
  }

  // ---- login and sessions ------------------------------------------------------------------

  /**
   * One-step login. Every failure answers "Invalid credentials", except a login from an address
   * the account's key allow lists exclude (forbidden) and a missing second factor.
   */
  async login(input: AccountLoginInput): Promise<AccountSession> {
    const budget = this.rules.budget();
    await budget.admitAddress(input.clientIp);
    const identifier = input.identifier.trim().toLowerCase();
    // A name no login can have is not looked up (a NUL would reach PostgreSQL as an error).
    const creds = accountLogin.safeParse(identifier).success ? await this.repo().findByLogin(identifier) : undefined;
    if (!creds?.password_hash) {
      await burnVerify(input.password);
      throw invalidCredentials();
    }
    // One attempt of the account's budget per login, spent before the hash: past it the right
    // password waits out the window too. The account's keys and sessions are not touched.
    const subject = { kind: "account", id: creds.account_id } as const;
    if (!(await budget.spend(subject))) throw invalidCredentials();
    if (!(await verifySecret(creds.password_hash, input.password))) throw invalidCredentials();
    const account = await new AccountRepository(this.storage.db).findById(creds.account_id);
    if (account?.status !== "active" || (account.kind !== "operator" && account.kind !== "reseller")) throw invalidCredentials();
    await this.checkAcl(account, input.clientIp);
    if (creds.totp_enabled === 1) {
      if (input.code === undefined || input.code === "") throw new AppError("second_factor_required", "This account needs a TOTP or backup code to log in");
      const ok = await this.storage.transaction((trx) => this.rules.checkSecondFactor(this.repo(trx), account.id, input.code ?? ""));
      if (!ok) throw invalidCredentials();
    }
    await budget.succeeded(subject, input.clientIp);
    await this.rules.rehashIfNeeded(account.id, creds.password_hash, input.password);
    return this.openSession(account, input);
  }

  /** The principal of a live account session; refuses dead, expired or out-of-ACL use. */
  async authenticate(token: string, clientIp: string | null): Promise<Principal> {
    if (!ACCOUNT_TOKEN.test(token)) throw invalidSession();
    const row = await this.rules.activeSession(token, invalidSession);
    const account = await new AccountRepository(this.storage.db).findById(row.account_id);
    const creds = await this.repo().get(row.account_id);
    if (account?.status !== "active" || !creds?.password_hash) throw invalidSession();
    await this.checkAcl(account, clientIp);
    await this.rules.touch(row);
    return accountPrincipal(account, row.id);
  }

  /** Ends the session; unknown tokens are ignored. */
  async logout(token: string, meta: RequestMeta): Promise<void> {
    if (!ACCOUNT_TOKEN.test(token)) return;
    await this.storage.transaction(async (trx) => {
      const repo = this.repo(trx);
      const row = await repo.findSessionByHash(sha256(token));
      if (!row) return;
      await repo.deleteSession(row.id);
      const account = await new AccountRepository(trx).findById(row.account_id);
      if (account) await this.audit.record(trx, this.accountContext(account, row.id, meta), { operation: AccountCredentialEvents.logout, targetType: "session", targetId: row.id });
    });
  }

  private async openSession(account: AccountRow, meta: RequestMeta): Promise<AccountSession> {
    const token = randomBytes(16).toString("hex");
    const row = this.rules.sessionRow(account.id, `sea_${randomBytes(9).toString("base64url")}`, token, "active", meta);
    await this.storage.transaction(async (trx) => {
      await this.rules.recordSession(this.repo(trx), account.id, row);
      await this.audit.record(trx, this.accountContext(account, row.id, meta), { operation: AccountCredentialEvents.login, targetType: "session", targetId: row.id });
    });
    return { token, accountId: account.id, kind: account.kind as "operator" | "reseller", expiresAt: row.expires_at };
  }

  /** The allow lists of the account's live keys bind its password logins; no list, no limit. */
  private async checkAcl(account: AccountRow, clientIp: string | null): Promise<void> {
    const cidrs = await new ApiKeyRepository(this.storage.db).aclOfPrincipal(account.kind, account.id, this.clock.now().toISOString());
    if (cidrs.length > 0 && !ipAllowed(clientIp, cidrs.map(parseRange))) throw new AppError("forbidden", "Access denied");
  }

  private accountContext(account: AccountRow, sessionId: string, meta: RequestMeta): Context {
    return { principal: accountPrincipal(account, sessionId), requestId: meta.requestId, clientIp: meta.clientIp, protocol: meta.protocol };
  }

  /** Operators see every account, a reseller only itself; anything else reads as missing. */
  private async findVisible(db: Executor, ctx: Context, accountId: number): Promise<AccountRow> {
    const p = ctx.principal;
    const row = await new AccountRepository(db).findById(accountId);
    if (!row || (row.kind !== "operator" && row.kind !== "reseller")) throw notFound("Account");
    if (p.kind === "operator" || (p.kind === row.kind && p.id === row.id)) return row;
    throw notFound("Account");
  }
}

function accountPrincipal(account: AccountRow, sessionId: string): Principal {
  const roles = ["owner"];
  return { kind: account.kind as PrincipalKind, id: account.id, keyId: null, sessionId, roles, permissions: permissionsOf(roles) };
}
