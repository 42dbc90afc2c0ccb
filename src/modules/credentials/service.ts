import type { Clock } from "../../core/clock.js";
import type { Context, Principal } from "../../core/context.js";
import { authorize } from "../../core/operations.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerService } from "../customers/service.js";
import type { MailService } from "../mail/service.js";
import { CustomerCredentialBase, type CredentialRepositoryFactory } from "./customer-base.js";
import { CustomerSessions, type LoginInput, type LoginResult, type SecondFactorInput, type SessionView } from "./customer-sessions.js";
import { CustomerTotp, type TotpProof } from "./customer-totp.js";
import { EmailChanges } from "./email-change.js";
import { type CredentialOptions, DEFAULT_CREDENTIAL_OPTIONS } from "./options.js";
import { CredentialOps } from "./operations.js";
import { CustomerPasswords, type PasswordChange } from "./passwords.js";
import { CustomerPins, type PinChange, type PinCheck } from "./pin.js";
import { CredentialRepository } from "./repository.js";
import type { ChangePasswordInput, CredentialStatus, SetPinInput, TotpDisableInput, VerifyPinInput } from "./schema.js";
import type { RequestMeta } from "./subject.js";

export { LOGIN_STATUSES } from "./customer-base.js";
export type { LoginInput, LoginResult, SecondFactorInput, SessionView } from "./customer-sessions.js";
export { type CredentialOptions, DEFAULT_CREDENTIAL_OPTIONS } from "./options.js";

/**
 * Customer credentials: passwords and the service PIN (argon2id), login sessions with lockout,
 * TOTP second factor with backup codes, and confirmed e-mail changes. Every protocol adapter
 * calls these methods (through commands) and never sees a secret.
 * Each concern lives in its own part (customer-sessions, passwords, pin, customer-totp,
 * email-change); the rules every subject shares with operator and reseller logins are in
 * subject.ts. The repository is injected (`repository`), so the rules run against a fake too.
 */
export class CredentialService {
  readonly options: CredentialOptions;
  private readonly base: CustomerCredentialBase;
  private readonly sessions: CustomerSessions;
  private readonly passwords: CustomerPasswords;
  private readonly pins: CustomerPins;
  private readonly totp: CustomerTotp;
  private readonly emails: EmailChanges;

  constructor(
    storage: Storage,
    audit: AuditService,
    clock: Clock,
    mail: MailService,
    customers: Pick<CustomerService, "onPurge">,
    options: CredentialOptions = DEFAULT_CREDENTIAL_OPTIONS,
    repository: CredentialRepositoryFactory = (db) => new CredentialRepository(db),
  ) {
    this.options = options;
    this.base = new CustomerCredentialBase(storage, audit, clock, options, repository);
    this.sessions = new CustomerSessions(this.base);
    this.passwords = new CustomerPasswords(this.base);
    this.pins = new CustomerPins(this.base);
    this.totp = new CustomerTotp(this.base);
    this.emails = new EmailChanges(this.base, mail);
    customers.onPurge((trx, customerId) => this.base.repo(trx).deleteAllOf(customerId));
  }

  // ---- login, sessions -------------------------------------------------------------------

  login(input: LoginInput): Promise<LoginResult> {
    return this.sessions.login(input);
  }

  completeSecondFactor(input: SecondFactorInput): Promise<{ state: "ok"; token: string; session: SessionView }> {
    return this.sessions.completeSecondFactor(input);
  }

  logout(token: string): Promise<void> {
    return this.sessions.logout(token);
  }

  authenticateSession(token: string): Promise<Principal> {
    return this.sessions.authenticateSession(token);
  }

  listSessions(ctx: Context, ref: string): Promise<SessionView[]> {
    return this.sessions.listSessions(ctx, ref);
  }

  revokeAllSessions(ctx: Context, ref: string): Promise<{ revoked: number }> {
    return this.sessions.revokeAllSessions(ctx, ref);
  }

  endSessionsOf(trx: Executor, customerId: number): Promise<void> {
    return this.sessions.endSessionsOf(trx, customerId);
  }

  async tfaMethod(customerId: number): Promise<"0" | "GOOGLE-AUTH"> {
    const creds = await this.base.repo().get(customerId);
    return creds?.totp_enabled === 1 ? "GOOGLE-AUTH" : "0";
  }

  /** Last login, login count and last address (shown with the customer's profile). */
  async loginInfo(customerId: number): Promise<{ lastLoginAt: string | null; loginCount: number; lastIp: string | null }> {
    const creds = await this.base.repo().get(customerId);
    return { lastLoginAt: creds?.last_login_at ?? null, loginCount: creds?.login_count ?? 0, lastIp: creds?.last_ip ?? null };
  }

  async status(ctx: Context, ref: string): Promise<CredentialStatus> {
    authorize(ctx, CredentialOps.status);
    const customer = await this.base.findVisible(this.base.storage.db, ctx, ref);
    const repo = this.base.repo();
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

  // ---- passwords, PIN ----------------------------------------------------------------------

  setPassword(ctx: Context, ref: string, input: unknown): Promise<void> {
    return this.passwords.setPassword(ctx, ref, input);
  }

  // The steps that check the caller's own secret come in pairs: the check, which spends the attempt
  // before the command's transaction opens (its `prepare`), and the write, in the transaction.

  proveChangePassword(ctx: Context, input: ChangePasswordInput): Promise<PasswordChange> {
    return this.passwords.proveChange(ctx, input);
  }

  changePassword(ctx: Context, change: PasswordChange): Promise<void> {
    return this.passwords.changePassword(ctx, change);
  }

  /** Sets a PIN in one call (no current PIN is checked unless given): a profile update carrying one. */
  setPin(ctx: Context, ref: string, input: unknown): Promise<void> {
    return this.pins.setPin(ctx, ref, input);
  }

  proveSetPin(ctx: Context, ref: string, input: SetPinInput): Promise<PinChange> {
    return this.pins.proveSetPin(ctx, ref, input);
  }

  writePin(ctx: Context, change: PinChange): Promise<void> {
    return this.pins.writePin(ctx, change);
  }

  checkPin(ctx: Context, ref: string, input: VerifyPinInput): Promise<PinCheck> {
    return this.pins.checkPin(ctx, ref, input);
  }

  recordPinCheck(ctx: Context, check: PinCheck): Promise<{ valid: boolean }> {
    return this.pins.recordPinCheck(ctx, check);
  }

  // ---- e-mail change -----------------------------------------------------------------------

  requestEmailChange(ctx: Context, ref: string, input: unknown): Promise<{ object: "email_change"; new_email: string; expires_at: string }> {
    return this.emails.requestEmailChange(ctx, ref, input);
  }

  confirmEmailChange(input: unknown, meta: RequestMeta): Promise<{ object: "email_change"; customer_id: number; email: string }> {
    return this.emails.confirmEmailChange(input, meta);
  }

  // ---- TOTP --------------------------------------------------------------------------------

  enrolTotp(ctx: Context, ref: string): Promise<{ secret: string; otpauth_uri: string }> {
    return this.totp.enrolTotp(ctx, ref);
  }

  confirmTotp(ctx: Context, ref: string, input: unknown): Promise<{ backup_codes: string[] }> {
    return this.totp.confirmTotp(ctx, ref, input);
  }

  proveBackupCodes(ctx: Context, ref: string, input: unknown): Promise<TotpProof> {
    return this.totp.proveBackupCodes(ctx, ref, input);
  }

  regenerateBackupCodes(ctx: Context, checked: TotpProof): Promise<{ backup_codes: string[] }> {
    return this.totp.regenerateBackupCodes(ctx, checked);
  }

  proveDisableTotp(ctx: Context, ref: string, input: TotpDisableInput): Promise<TotpProof> {
    return this.totp.proveDisableTotp(ctx, ref, input);
  }

  disableTotp(ctx: Context, checked: TotpProof): Promise<void> {
    return this.totp.disableTotp(ctx, checked);
  }
}
