import type { Generated, Kysely, Selectable } from "kysely";
import { sql } from "kysely";
import type { Executor } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";

// ---- tables ---------------------------------------------------------------------------------
// Customers and operator/reseller accounts keep their credentials in tables of the same shape
// (migrations 0020 and 0080); they differ in the key column and in one or two columns each.

interface CredentialColumns {
  password_hash: string | null;
  password_changed_at: string | null;
  /** Encrypted (`v1:`) when CUSTOS_SECRET_KEY is set, else `plain:` + the base32 secret. */
  totp_secret: string | null;
  totp_enabled: number;
  /** The last accepted TOTP time step: codes at or before it are replays. */
  totp_last_step: number;
  last_login_at: string | null;
  login_count: number;
  last_ip: string | null;
  updated_at: string;
}

interface SessionColumns {
  id: string;
  token_hash: string;
  /** "active" sessions authenticate; "pending" ones only await the second factor. */
  state: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client_ip: string | null;
  protocol: string;
  attempts: number;
}

export interface CustomerCredentialsTable extends CredentialColumns {
  customer_id: number;
  pin_hash: string | null;
}

export interface AccountCredentialsTable extends CredentialColumns {
  account_id: number;
  login: string;
}

export interface CustomerSessionsTable extends SessionColumns {
  customer_id: number;
}

export interface AccountSessionsTable extends SessionColumns {
  account_id: number;
}

export interface TotpBackupCodesTable {
  id: Generated<number>;
  customer_id: number;
  code_hash: string;
  used_at: string | null;
}

export interface AccountTotpBackupCodesTable {
  id: Generated<number>;
  account_id: number;
  code_hash: string;
  used_at: string | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  /** "account" (subject = customer id) or "ip" (subject = client address). */
  scope: string;
  subject: string;
  at: string;
}

export interface EmailChangesTable {
  id: Generated<number>;
  customer_id: number;
  new_email: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

declare module "../../storage/schema.js" {
  interface Tables {
    customer_credentials: CustomerCredentialsTable;
    customer_sessions: CustomerSessionsTable;
    totp_backup_codes: TotpBackupCodesTable;
    account_credentials: AccountCredentialsTable;
    account_sessions: AccountSessionsTable;
    account_totp_backup_codes: AccountTotpBackupCodesTable;
    login_failures: LoginFailuresTable;
    email_changes: EmailChangesTable;
  }
}

/** What a failure counter counts: logins per account or per address, PIN checks per customer. */
export type FailureScope = "account" | "ip" | "pin";

export type CredentialsRow = Selectable<CustomerCredentialsTable>;
export type SessionRow = Selectable<CustomerSessionsTable>;
export type AccountCredentialsRow = Selectable<AccountCredentialsTable>;
export type AccountSessionRow = Selectable<AccountSessionsTable>;
export type EmailChangeRow = Selectable<EmailChangesTable>;

// ---- subjects -------------------------------------------------------------------------------

/** Who holds credentials: a customer, or an operator or reseller account. */
export type SubjectKind = "customer" | "account";

interface SubjectRows {
  customer: { credentials: CredentialsRow; session: SessionRow };
  account: { credentials: AccountCredentialsRow; session: AccountSessionRow };
}
export type CredentialsRowOf<S extends SubjectKind> = SubjectRows[S]["credentials"];
export type SessionRowOf<S extends SubjectKind> = SubjectRows[S]["session"];

/** The tables a subject's credentials live in, and the columns only that subject has. */
export const SUBJECT_TABLES = {
  customer: { credentials: "customer_credentials", sessions: "customer_sessions", backupCodes: "totp_backup_codes", key: "customer_id", extra: { pin_hash: null } },
  account: { credentials: "account_credentials", sessions: "account_sessions", backupCodes: "account_totp_backup_codes", key: "account_id", extra: { login: "" } },
} as const;

/** A credential row's columns before any were written. */
const EMPTY_CREDENTIALS = {
  password_hash: null,
  password_changed_at: null,
  totp_secret: null,
  totp_enabled: 0,
  totp_last_step: 0,
  last_login_at: null,
  login_count: 0,
  last_ip: null,
} as const;

/** The tables are chosen per subject at run time; the row types come back through SubjectRows. */
type LooseDb = Kysely<Record<string, Record<string, unknown>>>;

/**
 * Storage of one subject's credentials, sessions and backup codes: the same statements for
 * customers and accounts, on the subject's own tables.
 */
export class SubjectCredentialRepository<S extends SubjectKind> {
  protected readonly loose: LooseDb;
  protected readonly tables: (typeof SUBJECT_TABLES)[S];

  constructor(
    protected readonly db: Executor,
    readonly subject: S,
  ) {
    this.loose = db as unknown as LooseDb;
    this.tables = SUBJECT_TABLES[subject];
  }

  async get(id: number): Promise<CredentialsRowOf<S> | undefined> {
    const t = this.tables;
    return (await this.loose.selectFrom(t.credentials).selectAll().where(t.key, "=", id).executeTakeFirst()) as CredentialsRowOf<S> | undefined;
  }

  /** Writes some credential columns, creating the row on first use. */
  async upsert(id: number, changes: Partial<CredentialsRowOf<S>>, now: string): Promise<void> {
    const t = this.tables;
    const existing = await this.get(id);
    if (existing) {
      await withDbErrors(() => this.loose.updateTable(t.credentials).set({ ...changes, updated_at: now }).where(t.key, "=", id).execute());
      return;
    }
    await withDbErrors(() =>
      this.loose
        .insertInto(t.credentials)
        .values({ [t.key]: id, ...EMPTY_CREDENTIALS, ...t.extra, ...changes, updated_at: now })
        .execute(),
    );
  }

  /** Counts a successful login (one UPDATE; a subject that logged in has a credential row). */
  async recordLogin(id: number, at: string, ip: string | null): Promise<void> {
    const t = this.tables;
    await this.loose
      .updateTable(t.credentials)
      .set({ last_login_at: at, last_ip: ip, login_count: sql`login_count + 1` })
      .where(t.key, "=", id)
      .execute();
  }

  /** Advances the accepted TOTP step only forwards, so two requests cannot both use one code. */
  async advanceTotpStep(id: number, step: number, at: string): Promise<boolean> {
    const t = this.tables;
    const r = await this.loose.updateTable(t.credentials).set({ totp_last_step: step, updated_at: at }).where(t.key, "=", id).where("totp_last_step", "<", step).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async insertSession(row: SessionRowOf<S>): Promise<void> {
    await withDbErrors(() => this.loose.insertInto(this.tables.sessions).values({ ...row }).execute());
  }

  async findSessionByHash(hash: string): Promise<SessionRowOf<S> | undefined> {
    return (await this.loose.selectFrom(this.tables.sessions).selectAll().where("token_hash", "=", hash).executeTakeFirst()) as SessionRowOf<S> | undefined;
  }

  async touchSession(id: string, lastSeen: string, expiresAt: string): Promise<void> {
    await this.loose.updateTable(this.tables.sessions).set({ last_seen_at: lastSeen, expires_at: expiresAt }).where("id", "=", id).execute();
  }

  /**
   * Counts one second-factor attempt of a pending login if it has any left, in one conditional
   * UPDATE; the attempt's number, or null when none is left.
   */
  async spendAttempt(id: string, max: number): Promise<number | null> {
    const row = await this.loose
      .updateTable(this.tables.sessions)
      .set({ attempts: sql`attempts + 1` })
      .where("id", "=", id)
      .where("state", "=", "pending")
      .where("attempts", "<", max)
      .returning("attempts")
      .executeTakeFirst();
    return row ? Number(row.attempts) : null;
  }

  async deleteSession(id: string): Promise<void> {
    await this.loose.deleteFrom(this.tables.sessions).where("id", "=", id).execute();
  }

  /** Ends every session of a subject, except `keep` (the caller's own, after a password change). */
  async deleteSessionsOf(id: number, keep?: string): Promise<number> {
    let q = this.loose.deleteFrom(this.tables.sessions).where(this.tables.key, "=", id);
    if (keep !== undefined) q = q.where("id", "<>", keep);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listSessions(id: number): Promise<SessionRowOf<S>[]> {
    const rows = await this.loose.selectFrom(this.tables.sessions).selectAll().where(this.tables.key, "=", id).where("state", "=", "active").orderBy("created_at", "desc").execute();
    return rows as SessionRowOf<S>[];
  }

  async replaceBackupCodes(id: number, hashes: string[]): Promise<void> {
    const t = this.tables;
    await this.loose.deleteFrom(t.backupCodes).where(t.key, "=", id).execute();
    if (hashes.length > 0) {
      await this.loose
        .insertInto(t.backupCodes)
        .values(hashes.map((code_hash) => ({ [t.key]: id, code_hash, used_at: null })))
        .execute();
    }
  }

  /** Marks an unused backup code used; false when there is none with that hash. */
  async useBackupCode(id: number, hash: string, at: string): Promise<boolean> {
    const t = this.tables;
    const r = await this.loose.updateTable(t.backupCodes).set({ used_at: at }).where(t.key, "=", id).where("code_hash", "=", hash).where("used_at", "is", null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async countUnusedBackupCodes(id: number): Promise<number> {
    const t = this.tables;
    const r = await this.loose
      .selectFrom(t.backupCodes)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(t.key, "=", id)
      .where("used_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

/** What the credential rules use of a subject's repository (a fake in unit tests). */
export type SubjectCredentialStore<S extends SubjectKind> = { [K in keyof SubjectCredentialRepository<S>]: SubjectCredentialRepository<S>[K] };

/** Customer credentials, plus what only customers have: failure records, e-mail changes, purge. */
export class CredentialRepository extends SubjectCredentialRepository<"customer"> {
  constructor(db: Executor) {
    super(db, "customer");
  }

  async addFailure(scope: FailureScope, subject: string, at: string): Promise<void> {
    await this.db.insertInto("login_failures").values({ scope, subject, at }).execute();
  }

  async countFailures(scope: FailureScope, subject: string, since: string): Promise<number> {
    const r = await this.db
      .selectFrom("login_failures")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("scope", "=", scope)
      .where("subject", "=", subject)
      .where("at", ">", since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async clearFailures(scope: FailureScope, subject: string): Promise<void> {
    await this.db.deleteFrom("login_failures").where("scope", "=", scope).where("subject", "=", subject).execute();
    const budget = scope === "account" ? "login-account" : scope === "ip" ? "login-ip" : "pin";
    await this.db.deleteFrom("attempt_counters").where("scope", "=", budget).where("subject", "=", subject).execute();
  }

  async insertEmailChange(row: Omit<EmailChangeRow, "id">): Promise<void> {
    await this.db.insertInto("email_changes").values(row).execute();
  }

  async findEmailChange(hash: string): Promise<EmailChangeRow | undefined> {
    return this.db.selectFrom("email_changes").selectAll().where("token_hash", "=", hash).executeTakeFirst();
  }

  async markEmailChangeUsed(id: number, at: string): Promise<void> {
    await this.db.updateTable("email_changes").set({ used_at: at }).where("id", "=", id).execute();
  }

  /** Purge and anonymisation: every credential row of the customer. */
  async deleteAllOf(customerId: number): Promise<void> {
    await this.db.deleteFrom("customer_sessions").where("customer_id", "=", customerId).execute();
    await this.db.deleteFrom("totp_backup_codes").where("customer_id", "=", customerId).execute();
    await this.db.deleteFrom("email_changes").where("customer_id", "=", customerId).execute();
    await this.db.deleteFrom("login_failures").where("scope", "=", "account").where("subject", "=", String(customerId)).execute();
    await this.db.deleteFrom("attempt_counters").where("scope", "in", ["login-account", "pin", "export"]).where("subject", "=", String(customerId)).execute();
    await this.db.deleteFrom("customer_credentials").where("customer_id", "=", customerId).execute();
  }
}

/** Operator and reseller credentials, found by their login name. */
export class AccountCredentialRepository extends SubjectCredentialRepository<"account"> {
  constructor(db: Executor) {
    super(db, "account");
  }

  async findByLogin(login: string): Promise<AccountCredentialsRow | undefined> {
    return this.db.selectFrom("account_credentials").selectAll().where("login", "=", login).executeTakeFirst();
  }
}
