import assert from "node:assert/strict";
import { test } from "node:test";
import { generate } from "otplib";
import { ManualClock } from "../../src/core/clock.js";
import { AppError } from "../../src/core/errors.js";
import { DEFAULT_CREDENTIAL_OPTIONS } from "../../src/modules/credentials/options.js";
import type { CredentialsRowOf, SessionRowOf, SubjectCredentialStore } from "../../src/modules/credentials/repository.js";
import { SubjectCredentials } from "../../src/modules/credentials/subject.js";
import type { Executor, Storage } from "../../src/storage/db.js";

/**
 * The credential rules (TOTP enrolment, replay, backup codes, sessions) against an in-memory
 * repository: no database, the rules alone. Integration tests run the real repositories on
 * SQLite and PostgreSQL.
 */
class FakeAccountStore implements SubjectCredentialStore<"account"> {
  readonly subject = "account" as const;
  creds = new Map<number, CredentialsRowOf<"account">>();
  sessions = new Map<string, SessionRowOf<"account">>();
  codes: { id: number; hash: string; used: boolean }[] = [];

  async get(id: number) {
    return this.creds.get(id);
  }
  async upsert(id: number, changes: Partial<CredentialsRowOf<"account">>, now: string) {
    const empty = { account_id: id, login: "", password_hash: null, password_changed_at: null, totp_secret: null, totp_enabled: 0, totp_last_step: 0, last_login_at: null, login_count: 0, last_ip: null, updated_at: now };
    this.creds.set(id, { ...(this.creds.get(id) ?? empty), ...changes, updated_at: now });
  }
  async recordLogin(id: number, at: string, ip: string | null) {
    const c = this.creds.get(id);
    if (c) this.creds.set(id, { ...c, last_login_at: at, last_ip: ip, login_count: c.login_count + 1 });
  }
  async advanceTotpStep(id: number, step: number) {
    const c = this.creds.get(id);
    if (!c || c.totp_last_step >= step) return false;
    c.totp_last_step = step;
    return true;
  }
  async insertSession(row: SessionRowOf<"account">) {
    this.sessions.set(row.id, { ...row });
  }
  async findSessionByHash(hash: string) {
    return [...this.sessions.values()].find((s) => s.token_hash === hash);
  }
  async touchSession(id: string, lastSeen: string, expiresAt: string) {
    const s = this.sessions.get(id);
    if (s) Object.assign(s, { last_seen_at: lastSeen, expires_at: expiresAt });
  }
  async spendAttempt(id: string, max: number) {
    const s = this.sessions.get(id);
    if (s?.state !== "pending" || s.attempts >= max) return null;
    s.attempts += 1;
    return s.attempts;
  }
  async deleteSession(id: string) {
    this.sessions.delete(id);
  }
  async deleteSessionsOf(id: number, keep?: string) {
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.account_id === id && s.id !== keep) {
        this.sessions.delete(s.id);
        n++;
      }
    }
    return n;
  }
  async listSessions(id: number) {
    return [...this.sessions.values()].filter((s) => s.account_id === id && s.state === "active");
  }
  async replaceBackupCodes(id: number, hashes: string[]) {
    this.codes = [...this.codes.filter((c) => c.id !== id), ...hashes.map((hash) => ({ id, hash, used: false }))];
  }
  async useBackupCode(id: number, hash: string) {
    const code = this.codes.find((c) => c.id === id && c.hash === hash && !c.used);
    if (code) code.used = true;
    return code !== undefined;
  }
  async countUnusedBackupCodes(id: number) {
    return this.codes.filter((c) => c.id === id && !c.used).length;
  }
}

function rulesOn(store: FakeAccountStore, clock: ManualClock) {
  const storage = { db: {} as Storage["db"], transaction: <T>(fn: (trx: never) => Promise<T>) => fn({} as never) } as Pick<Storage, "db" | "transaction">;
  return new SubjectCredentials({ storage, clock, options: DEFAULT_CREDENTIAL_OPTIONS, repository: (_db: Executor) => store }, "account");
}

test("TOTP: enrol, confirm with a current code, no replay of a used step, backup codes once each, disable clears all", async () => {
  const clock = new ManualClock(new Date("2026-05-01T12:00:00.000Z"));
  const store = new FakeAccountStore();
  const rules = rulesOn(store, clock);
  const repo = rules.repo();
  await repo.upsert(7, { login: "ops" }, clock.now().toISOString());

  const { secret, otpauth_uri } = await rules.enrolTotp(repo, 7, (c) => c?.login ?? "?");
  assert.match(otpauth_uri, /^otpauth:\/\/totp\/Custos:ops\?/);
  assert.match(store.creds.get(7)?.totp_secret ?? "", /^plain:/, "without CUSTOS_SECRET_KEY the secret is stored as plain:");
  await assert.rejects(rules.confirmTotp(repo, 7, "000000"), { code: "validation_failed" });

  const code = await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
  const { backup_codes } = await rules.confirmTotp(repo, 7, code);
  assert.equal(backup_codes.length, 10);
  assert.equal(store.creds.get(7)?.totp_enabled, 1);
  assert.equal(await rules.checkSecondFactor(repo, 7, code), false, "the step that confirmed enrolment is used");
  await assert.rejects(rules.enrolTotp(repo, 7, () => "ops"), { code: "invalid_state_transition" });

  clock.advance(30_000);
  const next = await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
  assert.equal(await rules.checkSecondFactor(repo, 7, next), true);
  assert.equal(await rules.checkSecondFactor(repo, 7, next), false, "a code is accepted once");

  const backup = backup_codes[0] ?? "";
  assert.equal(await rules.checkSecondFactor(repo, 7, backup.toUpperCase()), true, "backup codes ignore case");
  assert.equal(await rules.checkSecondFactor(repo, 7, backup), false, "a backup code is used once");
  assert.equal(await repo.countUnusedBackupCodes(7), 9);

  await rules.disableTotp(repo, 7);
  assert.equal(store.creds.get(7)?.totp_secret, null);
  assert.equal(await repo.countUnusedBackupCodes(7), 0);
  assert.equal(await rules.checkSecondFactor(repo, 7, backup_codes[1] ?? ""), false);
});

test("sessions: a new password ends every session but the kept one; expired sessions are refused and removed; use slides the idle expiry", async () => {
  const clock = new ManualClock(new Date("2026-05-01T12:00:00.000Z"));
  const store = new FakeAccountStore();
  const rules = rulesOn(store, clock);
  const repo = rules.repo();
  const meta = { clientIp: "192.0.2.1", protocol: "test", requestId: "r1" };
  await repo.upsert(3, { login: "res" }, clock.now().toISOString());
  const a = rules.sessionRow(3, "sea_a", "token-a", "active", meta);
  const b = rules.sessionRow(3, "sea_b", "token-b", "active", meta);
  await rules.recordSession(repo, 3, a);
  await rules.recordSession(repo, 3, b);
  assert.equal(store.creds.get(3)?.login_count, 2);
  assert.equal(a.account_id, 3);

  await rules.writePassword(repo, 3, "hash", "sea_b");
  assert.deepEqual([...store.sessions.keys()], ["sea_b"]);
  assert.equal(store.creds.get(3)?.password_hash, "hash");

  const invalid = () => new AppError("unauthenticated", "invalid");
  clock.advance(2 * 60_000);
  const live = await rules.activeSession("token-b", invalid);
  await rules.touch(live);
  assert.equal(store.sessions.get("sea_b")?.last_seen_at, clock.now().toISOString());
  await assert.rejects(rules.activeSession("token-a", invalid), /invalid/);

  clock.advance((DEFAULT_CREDENTIAL_OPTIONS.sessionIdleSeconds + 1) * 1000);
  await assert.rejects(rules.activeSession("token-b", invalid), { code: "unauthenticated", message: /expired/ });
  assert.equal(store.sessions.size, 0, "the expired session is removed");
});
