import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { generate } from "otplib";
import { ManualClock } from "../../src/core/clock.js";
import { customerWithPassword as passwordCustomer } from "../helpers/fixtures.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const PASSWORD = "Sturdy-Password-7";

const customerWithPassword = (s: TestServer, email: string) => passwordCustomer(s, { email, company: "Attempts GmbH" }, PASSWORD);

const login = (s: TestServer, identifier: string, password: string, headers: Record<string, string> = {}) =>
  api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier, password }, headers });

/**
 * Issue 10, items 2, 10, 13 and 14: every attempt budget is checked and counted in one step, so
 * parallel guesses get no more checks than sequential ones; password proofs of signed-in
 * customers share the login budget; a blocked address is refused before any hashing.
 */
forEachDialect("attempt budgets under concurrency", (dialect) => {
  let s: TestServer;
  before(async () => {
    // A wide address budget: these tests are about the account, PIN and code budgets.
    s = await startServer(dialect, { rateLimit: 0 });
    (s.app.services.credentials as unknown as { options: { ipThreshold: number } }).options.ipThreshold = 10_000;
  });
  after(async () => s.close());

  const checkedFailures = async (scope: string, subject: string): Promise<number> => {
    const r = await s.app.storage.db
      .selectFrom("login_failures")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("scope", "=", scope)
      .where("subject", "=", subject)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };

  it("checks at most 5 of 60 parallel wrong passwords, and then refuses the right one too", async () => {
    const c = await customerWithPassword(s, "burst@attempts.example");
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => login(s, c.login, `Wrong-Password-${i}`)));
    for (const r of results) assert.equal(r.status, 401);
    assert.ok((await checkedFailures("account", String(c.id))) <= 5, "no more than the budget was hashed and checked");
    assert.equal((await login(s, c.login, PASSWORD)).status, 401);
  });

  it("checks at most 5 of 200 parallel PIN guesses", async () => {
    const c = await customerWithPassword(s, "pinburst@attempts.example");
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/pin`, { body: { pin: "482913" } })).status, 204);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => api(s.url, "POST", `/v1/customers/${c.id}/pin/verify`, { body: { pin: String(100000 + i) } })));
    const checked = results.filter((r) => r.status === 200).length;
    assert.ok(checked <= 5, `${checked} guesses were checked`);
    assert.equal(results.filter((r) => r.status === 429).length, 200 - checked);
    assert.ok((await checkedFailures("pin", String(c.id))) <= 5);
  });

  it("checks at most 5 of 100 parallel TOTP codes of one pending login", async () => {
    const c = await customerWithPassword(s, "totpburst@attempts.example");
    const session = (await login(s, c.login, PASSWORD)).body.token as string;
    const secret = (await api(s.url, "POST", "/v1/me/totp", { key: session })).body.secret as string;
    assert.equal((await api(s.url, "POST", "/v1/me/totp/confirm", { key: session, body: { code: await generate({ secret }) } })).status, 200);
    const pending = await login(s, c.login, PASSWORD);
    assert.equal(pending.body.state, "second_factor_required");
    const before = await checkedFailures("account", String(c.id));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api(s.url, "POST", "/v1/sessions/second-factor", { key: null, body: { pending_token: pending.body.pending_token, code: String(100000 + i).padStart(6, "0") } })),
    );
    for (const r of results) assert.ok(r.status === 401 || r.status === 201, r.text);
    assert.ok((await checkedFailures("account", String(c.id))) - before <= 5, "no more than 5 codes were checked");
  });

  it("counts wrong current passwords of /v1/me/password like logins", async () => {
    const c = await customerWithPassword(s, "guess@attempts.example");
    const token = (await login(s, c.login, PASSWORD)).body.token as string;
    for (let i = 0; i < 5; i++) {
      const r = await api(s.url, "POST", "/v1/me/password", { key: token, body: { current_password: `Wrong-Guess-${i}`, new_password: "Another-Good-1" } });
      assert.equal(r.status, 422, r.text);
    }
    const right = await api(s.url, "POST", "/v1/me/password", { key: token, body: { current_password: PASSWORD, new_password: "Another-Good-1" } });
    assert.equal(right.status, 429, "the budget is spent: the right password waits too");
  });

  it("counts wrong current PINs of PUT /v1/me/pin like PIN checks: after the budget the right one is refused", async () => {
    const c = await customerWithPassword(s, "pinguess@attempts.example");
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/pin`, { body: { pin: "482913" } })).status, 204);
    const token = (await login(s, c.login, PASSWORD)).body.token as string;
    for (let i = 0; i < 5; i++) {
      const r = await api(s.url, "PUT", "/v1/me/pin", { key: token, body: { pin: "111222", current_pin: `00000${i}` } });
      assert.equal(r.status, 422, r.text);
      assert.equal(r.body.errors[0].field, "current_pin");
    }
    const right = await api(s.url, "PUT", "/v1/me/pin", { key: token, body: { pin: "111222", current_pin: "482913" } });
    assert.equal(right.status, 429, "the PIN budget is spent: the right PIN waits too");
    assert.equal((await api(s.url, "POST", `/v1/customers/${c.id}/pin/verify`, { body: { pin: "482913" } })).status, 429, "the PIN check shares the budget");
  });

  it("uses up the code that proves a customer asking for new backup codes, so it cannot be sent twice", async () => {
    const c = await customerWithPassword(s, "backup@attempts.example");
    const token = (await login(s, c.login, PASSWORD)).body.token as string;
    const secret = (await api(s.url, "POST", "/v1/me/totp", { key: token })).body.secret as string;
    const confirmed = await api(s.url, "POST", "/v1/me/totp/confirm", { key: token, body: { code: await generate({ secret }) } });
    assert.equal(confirmed.status, 200, confirmed.text);
    const backup = (confirmed.body.backup_codes as string[])[0] ?? "";
    const first = await api(s.url, "POST", "/v1/me/totp/backup-codes", { key: token, body: { code: backup } });
    assert.equal(first.status, 200, first.text);
    assert.equal((await api(s.url, "POST", "/v1/me/totp/backup-codes", { key: token, body: { code: backup } })).status, 422, "a used backup code proves nothing");
  });

  it("counts wrong passwords of /v1/me/totp/disable like logins", async () => {
    const c = await customerWithPassword(s, "guess2@attempts.example");
    const token = (await login(s, c.login, PASSWORD)).body.token as string;
    const secret = (await api(s.url, "POST", "/v1/me/totp", { key: token })).body.secret as string;
    assert.equal((await api(s.url, "POST", "/v1/me/totp/confirm", { key: token, body: { code: await generate({ secret }) } })).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await api(s.url, "POST", "/v1/me/totp/disable", { key: token, body: { password: `Wrong-Guess-${i}` } })).status, 422);
    const sixth = await api(s.url, "POST", "/v1/me/totp/disable", { key: token, body: { password: PASSWORD } });
    assert.equal(sixth.status, 429, sixth.text);
  });
});

forEachDialect("login throttling per address", (dialect) => {
  let s: TestServer;
  const clock = new ManualClock(new Date("2026-03-01T10:00:00.000Z"));
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 }, clock);
  });
  after(async () => s.close());

  it("refuses an address past its budget with 429 before hashing, and lets its correct logins back a minute later", async () => {
    const c = await customerWithPassword(s, "addr@attempts.example");
    const opts = (s.app.services.credentials as unknown as { options: { ipThreshold: number; ipWindowSeconds: number } }).options;
    let refusedAt = -1;
    for (let i = 0; i < opts.ipThreshold + 5 && refusedAt < 0; i++) {
      const r = await login(s, `nobody-${i}`, "Wrong-Password-1");
      if (r.status === 429) refusedAt = i;
    }
    assert.equal(refusedAt, opts.ipThreshold, "refused right after the budget");
    const started = Date.now();
    const blocked = await Promise.all(Array.from({ length: 20 }, () => login(s, c.login, PASSWORD)));
    for (const r of blocked) assert.equal(r.status, 429);
    assert.ok(Date.now() - started < 2000, "refusals cost no argon2");
    clock.advance(61_000);
    assert.equal((await login(s, c.login, PASSWORD)).status, 201, "a shared address recovers within a minute, not 15");
  });
});
