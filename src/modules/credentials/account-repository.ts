import type { Selectable } from "kysely";
import type { Executor } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";

/** Login credentials of an operator or reseller account (see migration 0080). */
export interface AccountCredentialsTable {
  account_id: number;
  login: string;
  password_hash: string | null;
  password_changed_at: string | null;
  /** Sealed like customer TOTP secrets (SecretBox). */
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_step: number;
  last_login_at: string | null;
  login_count: number;
  last_ip: string | null;
  updated_at: string;
}

export interface AccountSessionsTable {
  id: string;
  token_hash: string;
  account_id: number;
  state: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client_ip: string | null;
  protocol: string;
  attempts: number;
}

export interface AccountTotpBackupCodesTable {
  id: import("kysely").Generated<number>;
  account_id: number;
  code_hash: string;
  used_at: string | null;
}

declare module "../../storage/schema.js" {
  interface Tables {
    account_credentials: AccountCredentialsTable;
    account_sessions: AccountSessionsTable;
    account_totp_backup_codes: AccountTotpBackupCodesTable;
  }
}

export type AccountCredentialsRow = Selectable<AccountCredentialsTable>;
export type AccountSessionRow = Selectable<AccountSessionsTable>;

/** Storage of account credentials and sessions; failure counters live in the shared login_failures table. */
export class AccountCredentialRepository {
  constructor(private readonly db: Executor) {}

  async get(accountId: number): Promise<AccountCredentialsRow | undefined> {
    return this.db.selectFrom("account_credentials").selectAll().where("account_id", "=", accountId).executeTakeFirst();
  }

  async findByLogin(login: string): Promise<AccountCredentialsRow | undefined> {
    return this.db.selectFrom("account_credentials").selectAll().where("login", "=", login).executeTakeFirst();
  }

  /** Writes some columns; the first write must name the login. */
  async upsert(accountId: number, changes: Partial<Omit<AccountCredentialsRow, "account_id">>, now: string): Promise<void> {
    const existing = await this.get(accountId);
    if (existing) {
      await withDbErrors(() => this.db.updateTable("account_credentials").set({ ...changes, updated_at: now }).where("account_id", "=", accountId).execute());
      return;
    }
    await withDbErrors(() =>
      this.db
        .insertInto("account_credentials")
        .values({
          account_id: accountId,
          login: "",
          password_hash: null,
          password_changed_at: null,
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

  async recordLogin(accountId: number, at: string, ip: string | null): Promise<void> {
    await this.db
      .updateTable("account_credentials")
      .set((eb) => ({ last_login_at: at, last_ip: ip, login_count: eb("login_count", "+", 1) }))
      .where("account_id", "=", accountId)
      .execute();
  }

  async insertSession(row: AccountSessionRow): Promise<void> {
    await withDbErrors(() => this.db.insertInto("account_sessions").values(row).execute());
  }

  async findSessionByHash(hash: string): Promise<AccountSessionRow | undefined> {
    return this.db.selectFrom("account_sessions").selectAll().where("token_hash", "=", hash).executeTakeFirst();
  }

  async touchSession(id: string, lastSeen: string, expiresAt: string): Promise<void> {
    await this.db.updateTable("account_sessions").set({ last_seen_at: lastSeen, expires_at: expiresAt }).where("id", "=", id).execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom("account_sessions").where("id", "=", id).execute();
  }

  async deleteSessionsOf(accountId: number): Promise<number> {
    const r = await this.db.deleteFrom("account_sessions").where("account_id", "=", accountId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async replaceBackupCodes(accountId: number, hashes: string[]): Promise<void> {
    await this.db.deleteFrom("account_totp_backup_codes").where("account_id", "=", accountId).execute();
    if (hashes.length > 0) {
      await this.db
        .insertInto("account_totp_backup_codes")
        .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, used_at: null })))
        .execute();
    }
  }

  async useBackupCode(accountId: number, hash: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable("account_totp_backup_codes")
      .set({ used_at: at })
      .where("account_id", "=", accountId)
      .where("code_hash", "=", hash)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Advances the accepted TOTP step only forwards, so two requests cannot both use one code. */
  async advanceTotpStep(accountId: number, step: number, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable("account_credentials")
      .set({ totp_last_step: step, updated_at: at })
      .where("account_id", "=", accountId)
      .where("totp_last_step", "<", step)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
