import type { Generated, Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";

export interface CustomerCredentialsTable {
  customer_id: number;
  password_hash: string | null;
  password_changed_at: string | null;
  pin_hash: string | null;
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

export interface CustomerSessionsTable {
  id: string;
  token_hash: string;
  customer_id: number;
  /** "active" sessions authenticate; "pending" ones only await the second factor. */
  state: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client_ip: string | null;
  protocol: string;
  attempts: number;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  /** "account" (subject = customer id) or "ip" (subject = client address). */
  scope: string;
  subject: string;
  at: string;
}

export interface TotpBackupCodesTable {
  id: Generated<number>;
  customer_id: number;
  code_hash: string;
  used_at: string | null;
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
    login_failures: LoginFailuresTable;
    totp_backup_codes: TotpBackupCodesTable;
    email_changes: EmailChangesTable;
  }
}

/** What a failure counter counts: logins per account or per address, PIN checks per customer. */
export type FailureScope = "account" | "ip" | "pin";

export type CredentialsRow = Selectable<CustomerCredentialsTable>;
export type SessionRow = Selectable<CustomerSessionsTable>;
export type EmailChangeRow = Selectable<EmailChangesTable>;

export class CredentialRepository {
  constructor(private readonly db: Executor) {}

  async get(customerId: number): Promise<CredentialsRow | undefined> {
    return this.db.selectFrom("customer_credentials").selectAll().where("customer_id", "=", customerId).executeTakeFirst();
  }

  /** Writes some credential columns, creating the row on first use. */
  async upsert(customerId: number, changes: Partial<Omit<CredentialsRow, "customer_id">>, now: string): Promise<void> {
    const existing = await this.get(customerId);
    if (existing) {
      await withDbErrors(() => this.db.updateTable("customer_credentials").set({ ...changes, updated_at: now }).where("customer_id", "=", customerId).execute());
      return;
    }
    await withDbErrors(() =>
      this.db
        .insertInto("customer_credentials")
        .values({
          customer_id: customerId,
          password_hash: null,
          password_changed_at: null,
          pin_hash: null,
          totp_secret: null,
          totp_enabled: 0,
          totp_last_step: 0,
          last_login_at: null,
          login_count: 0,
          last_ip: null,
          ...changes,
          updated_at: now,
        })
        .execute(),
    );
  }

  async recordLogin(customerId: number, at: string, ip: string | null): Promise<void> {
    const existing = await this.get(customerId);
    await this.upsert(customerId, { last_login_at: at, last_ip: ip, login_count: (existing?.login_count ?? 0) + 1 }, at);
  }

  async insertSession(row: SessionRow): Promise<void> {
    await withDbErrors(() => this.db.insertInto("customer_sessions").values(row).execute());
  }

  async findSessionByHash(hash: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom("customer_sessions").selectAll().where("token_hash", "=", hash).executeTakeFirst();
  }

  async touchSession(id: string, lastSeen: string, expiresAt: string): Promise<void> {
    await this.db.updateTable("customer_sessions").set({ last_seen_at: lastSeen, expires_at: expiresAt }).where("id", "=", id).execute();
  }

  /**
   * Counts one second-factor attempt of a pending login if it has any left, in one conditional
   * UPDATE; the attempt's number, or null when none is left.
   */
  async spendAttempt(id: string, max: number): Promise<number | null> {
    const row = await this.db
      .updateTable("customer_sessions")
      .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
      .where("id", "=", id)
      .where("state", "=", "pending")
      .where("attempts", "<", max)
      .returning("attempts")
      .executeTakeFirst();
    return row ? Number(row.attempts) : null;
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom("customer_sessions").where("id", "=", id).execute();
  }

  /** Ends every session of a customer, except `keep` (the caller's own, after a password change). */
  async deleteSessionsOf(customerId: number, keep?: string): Promise<number> {
    let q = this.db.deleteFrom("customer_sessions").where("customer_id", "=", customerId);
    if (keep !== undefined) q = q.where("id", "<>", keep);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listSessions(customerId: number): Promise<SessionRow[]> {
    return this.db.selectFrom("customer_sessions").selectAll().where("customer_id", "=", customerId).where("state", "=", "active").orderBy("created_at", "desc").execute();
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

  async replaceBackupCodes(customerId: number, hashes: string[]): Promise<void> {
    await this.db.deleteFrom("totp_backup_codes").where("customer_id", "=", customerId).execute();
    if (hashes.length > 0) {
      await this.db
        .insertInto("totp_backup_codes")
        .values(hashes.map((code_hash) => ({ customer_id: customerId, code_hash, used_at: null })))
        .execute();
    }
  }

  /** Marks an unused backup code used; false when there is none with that hash. */
  async useBackupCode(customerId: number, hash: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable("totp_backup_codes")
      .set({ used_at: at })
      .where("customer_id", "=", customerId)
      .where("code_hash", "=", hash)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async countUnusedBackupCodes(customerId: number): Promise<number> {
    const r = await this.db
      .selectFrom("totp_backup_codes")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("customer_id", "=", customerId)
      .where("used_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
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
