import { generateSecret, generateURI } from "otplib";
import type { Clock } from "../../core/clock.js";
import { AppError, validationFailed } from "../../core/errors.js";
import type { Executor, Storage } from "../../storage/db.js";
import { LoginBudget, type LoginBudgetOptions } from "./login-budget.js";
import { type CredentialsRowOf, type SessionRowOf, SUBJECT_TABLES, type SubjectCredentialStore, type SubjectKind } from "./repository.js";
import { SecretBox, hashSecret, needsRehash, sha256 } from "./secrets.js";
import { sessionExpiry } from "./session-expiry.js";
import { acceptedTotpStep, BACKUP_CODE_COUNT, newBackupCode, normaliseBackupCode } from "./totp.js";

/** Where a login or a session use comes from. */
export interface RequestMeta {
  clientIp: string | null;
  protocol: string;
  requestId: string;
}

export interface SubjectCredentialOptions extends LoginBudgetOptions {
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  /** CUSTOS_SECRET_KEY: encrypts TOTP secrets at rest when set. */
  secretKey: string | undefined;
  totpIssuer: string;
}

/** What the credential rules need; `repository` opens the subject's repository on a connection or transaction. */
export interface SubjectCredentialDeps<R> {
  storage: Pick<Storage, "db" | "transaction">;
  clock: Clock;
  options: SubjectCredentialOptions;
  repository: (db: Executor) => R;
}

const TOUCH_EVERY_MS = 60_000;

/**
 * The credential rules every subject (customer, operator or reseller account) follows, over the
 * subject's repository: argon2id passwords rehashed when the parameters change, the login
 * budgets, TOTP enrolment, confirmation and second-factor checks with one-time backup codes, and
 * sessions with idle and absolute expiry. What differs per subject (who may see it, which
 * statuses may log in, PIN and e-mail for customers, key allow lists for accounts) stays with
 * the subject's service, which calls these steps.
 */
export class SubjectCredentials<S extends SubjectKind, R extends SubjectCredentialStore<S> = SubjectCredentialStore<S>> {
  readonly box: SecretBox;

  constructor(
    private readonly deps: SubjectCredentialDeps<R>,
    readonly subject: S,
  ) {
    this.box = new SecretBox(deps.options.secretKey);
  }

  /** The subject's repository on `db` (default: the current connection or transaction). */
  repo(db: Executor = this.deps.storage.db): R {
    return this.deps.repository(db);
  }

  /** The login budgets (per client address, per subject). */
  budget(): LoginBudget {
    return new LoginBudget(this.deps.storage.db, this.deps.clock, this.deps.options);
  }

  now(): Date {
    return this.deps.clock.now();
  }

  // ---- passwords ---------------------------------------------------------------------------

  /** Stores a new password hash; ends every session of the subject but `keepSession`. */
  async writePassword(repo: SubjectCredentialStore<S>, id: number, hashed: string, keepSession?: string): Promise<void> {
    const at = this.now().toISOString();
    await repo.upsert(id, { password_hash: hashed, password_changed_at: at } as Partial<CredentialsRowOf<S>>, at);
    await repo.deleteSessionsOf(id, keepSession);
  }

  /** After a successful login: a hash made with older parameters is replaced. */
  async rehashIfNeeded(id: number, stored: string, password: string): Promise<void> {
    if (!needsRehash(stored)) return;
    await this.repo().upsert(id, { password_hash: await hashSecret(password) } as Partial<CredentialsRowOf<S>>, this.now().toISOString());
  }

  // ---- TOTP --------------------------------------------------------------------------------

  /**
   * Starts enrolment: a new sealed secret, not yet enabled. `label` names the subject in the
   * authenticator app (it may refuse, e.g. an account without a login name).
   */
  async enrolTotp(repo: SubjectCredentialStore<S>, id: number, label: (creds: CredentialsRowOf<S> | undefined) => string): Promise<{ secret: string; otpauth_uri: string }> {
    const creds = await repo.get(id);
    const name = label(creds);
    if (creds?.totp_enabled === 1) throw new AppError("invalid_state_transition", "TOTP is already enabled; disable it before enrolling again");
    const secret = generateSecret();
    await repo.upsert(id, { totp_secret: this.box.seal(secret), totp_enabled: 0, totp_last_step: 0 } as Partial<CredentialsRowOf<S>>, this.now().toISOString());
    return { secret, otpauth_uri: generateURI({ issuer: this.deps.options.totpIssuer, label: name, secret }) };
  }

  /** Turns TOTP on with a first valid code of the enrolled secret; returns the backup codes (shown once). */
  async confirmTotp(repo: SubjectCredentialStore<S>, id: number, code: string): Promise<{ backup_codes: string[] }> {
    const creds = await repo.get(id);
    if (!creds?.totp_secret) throw new AppError("invalid_state_transition", "Start TOTP enrolment first");
    if (creds.totp_enabled === 1) throw new AppError("invalid_state_transition", "TOTP is already enabled");
    const step = await acceptedTotpStep(this.box, creds.totp_secret, code, creds.totp_last_step, this.now());
    if (step === null) throw validationFailed([{ field: "code", code: "invalid_value", message: "is not the current code of the enrolled secret" }]);
    await repo.upsert(id, { totp_enabled: 1, totp_last_step: step } as Partial<CredentialsRowOf<S>>, this.now().toISOString());
    return { backup_codes: await this.replaceBackupCodes(repo, id) };
  }

  /** New one-time backup codes replace the old ones; only their hashes are stored. */
  async replaceBackupCodes(repo: SubjectCredentialStore<S>, id: number): Promise<string[]> {
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
    await repo.replaceBackupCodes(id, codes.map((c) => sha256(normaliseBackupCode(c))));
    return codes;
  }

  /** Turns TOTP off: the secret and the backup codes are gone. */
  async disableTotp(repo: SubjectCredentialStore<S>, id: number): Promise<void> {
    await repo.upsert(id, { totp_secret: null, totp_enabled: 0, totp_last_step: 0 } as Partial<CredentialsRowOf<S>>, this.now().toISOString());
    await repo.replaceBackupCodes(id, []);
  }

  /**
   * A TOTP code (not replayed: the accepted step only moves forward, in one conditional UPDATE)
   * or an unused backup code; the accepted one is consumed.
   */
  async checkSecondFactor(repo: SubjectCredentialStore<S>, id: number, code: string): Promise<boolean> {
    const creds = await repo.get(id);
    if (creds?.totp_enabled !== 1 || !creds.totp_secret) return false;
    const trimmed = code.replace(/\s/g, "");
    const at = this.now();
    if (/^\d{6}$/.test(trimmed)) {
      const step = await acceptedTotpStep(this.box, creds.totp_secret, trimmed, creds.totp_last_step, at);
      return step !== null && (await repo.advanceTotpStep(id, step, at.toISOString()));
    }
    return repo.useBackupCode(id, sha256(normaliseBackupCode(trimmed)), at.toISOString());
  }

  // ---- sessions ----------------------------------------------------------------------------

  /** A new session row of the subject for `token` (stored hashed). */
  sessionRow(id: number, sessionId: string, token: string, state: "active" | "pending", meta: RequestMeta, expiresAt?: string): SessionRowOf<S> {
    const now = this.now();
    const at = now.toISOString();
    const common = {
      id: sessionId,
      token_hash: sha256(token),
      state,
      created_at: at,
      last_seen_at: at,
      expires_at: expiresAt ?? this.expiryOf(at, now),
      client_ip: meta.clientIp,
      protocol: meta.protocol,
      attempts: 0,
    };
    return { ...common, [SUBJECT_TABLES[this.subject].key]: id } as unknown as SessionRowOf<S>;
  }

  /** Stores an opened session and counts the login, in the caller's transaction. */
  async recordSession(repo: SubjectCredentialStore<S>, id: number, row: SessionRowOf<S>, replaces?: string): Promise<void> {
    if (replaces !== undefined) await repo.deleteSession(replaces);
    await repo.insertSession(row);
    await repo.recordLogin(id, row.created_at, row.client_ip);
  }

  /**
   * The active session of `token`; `invalid` for unknown or pending ones. An expired session is
   * deleted and refused with its own message.
   */
  async activeSession(token: string, invalid: () => AppError): Promise<SessionRowOf<S>> {
    const repo = this.repo();
    const row = await repo.findSessionByHash(sha256(token));
    if (row?.state !== "active") throw invalid();
    if (row.expires_at <= this.now().toISOString()) {
      await repo.deleteSession(row.id);
      throw new AppError("unauthenticated", "The session has expired; log in again");
    }
    return row;
  }

  /** Marks a session used (at most once a minute), sliding its idle expiry. */
  async touch(row: SessionRowOf<S>): Promise<void> {
    const now = this.now();
    if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) await this.repo().touchSession(row.id, now.toISOString(), this.expiryOf(row.created_at, now));
  }

  expiryOf(createdAt: string, now: Date): string {
    return sessionExpiry(createdAt, now, this.deps.options);
  }
}
