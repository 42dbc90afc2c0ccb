import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { generate } from "otplib";
import { ManualClock } from "../../src/core/clock.js";
import { customerWithPassword as passwordCustomer } from "../helpers/fixtures.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const PASSWORD = "Correct-Horse-42";

const customerWithPassword = (s: TestServer, email: string) => passwordCustomer(s, { email, first_name: "Sam", last_name: "Login", country: "DE" }, PASSWORD);

forEachDialect("credentials: login sessions and TOTP, happy paths", (dialect) => {
  let s: TestServer;
  const clock = new ManualClock(new Date("2026-03-01T10:00:00.000Z"));
  before(async () => {
    s = await startServer(dialect, {}, clock);
  });
  after(async () => s.close());

  it("logs in by login name and by e-mail, the session token authenticates REST calls, logout ends it", async () => {
    const c = await customerWithPassword(s, "sam@login.example");
    const byLogin = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    assert.equal(byLogin.status, 201, byLogin.text);
    assert.equal(byLogin.body.state, "ok");
    assert.match(byLogin.body.token, /^cs_/);
    assert.equal(byLogin.body.session.customer_id, c.id);
    const byEmail = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: "SAM@login.example", password: PASSWORD } });
    assert.equal(byEmail.status, 201, byEmail.text);
    const token = byLogin.body.token as string;
    const me = await api(s.url, "GET", `/v1/customers/${c.id}`, { key: token });
    assert.equal(me.status, 200, me.text);
    const creds = await api(s.url, "GET", "/v1/me/credentials", { key: token });
    assert.equal(creds.status, 200, creds.text);
    assert.equal(creds.body.password_set, true);
    assert.equal(creds.body.login_count, 2);
    assert.equal(creds.body.last_ip, "127.0.0.1");
    assert.ok(!creds.text.includes("argon2"), "no hash leaves the service");
    const out = await api(s.url, "DELETE", "/v1/sessions/current", { key: token });
    assert.equal(out.status, 204, out.text);
    const after = await api(s.url, "GET", `/v1/customers/${c.id}`, { key: token });
    assert.equal(after.status, 401);
    assert.equal((await api(s.url, "GET", `/v1/customers/${c.id}`, { key: byEmail.body.token })).status, 200, "the other session lives on");
  });

  it("expires a session after the idle time", async () => {
    const c = await customerWithPassword(s, "idle@login.example");
    const l = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    clock.advance(30 * 60_000);
    assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: l.body.token })).status, 200, "use within the idle time slides the expiry");
    clock.advance(50 * 60_000);
    assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: l.body.token })).status, 200);
    clock.advance(61 * 60_000);
    const expired = await api(s.url, "GET", "/v1/me/credentials", { key: l.body.token });
    assert.equal(expired.status, 401);
  });

  it("enrols TOTP, then login needs a code; a replayed code is refused and a backup code works once", async () => {
    const c = await customerWithPassword(s, "totp@login.example");
    const first = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    const token = first.body.token as string;
    const enrol = await api(s.url, "POST", "/v1/me/totp", { key: token });
    assert.equal(enrol.status, 201, enrol.text);
    assert.match(enrol.body.otpauth_uri, /^otpauth:\/\/totp\//);
    const secret = enrol.body.secret as string;
    const codeNow = () => generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const confirm = await api(s.url, "POST", "/v1/me/totp/confirm", { key: token, body: { code: await codeNow() } });
    assert.equal(confirm.status, 200, confirm.text);
    assert.equal(confirm.body.backup_codes.length, 10);
    const status = await api(s.url, "GET", `/v1/customers/${c.id}/credentials`);
    assert.equal(status.body.totp_enabled, true);
    assert.ok(!status.text.includes(secret), "the secret is never shown again");
    assert.equal(await s.app.services.credentials.tfaMethod(c.id), "GOOGLE-AUTH");

    clock.advance(30_000);
    const pending = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    assert.equal(pending.status, 202, pending.text);
    assert.equal(pending.body.state, "second_factor_required");
    assert.equal(pending.body.method, "GOOGLE-AUTH");
    assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: pending.body.pending_token })).status, 401, "a pending token is no session");
    const code = await codeNow();
    const done = await api(s.url, "POST", "/v1/sessions/second-factor", { key: null, body: { pending_token: pending.body.pending_token, code } });
    assert.equal(done.status, 201, done.text);
    assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: done.body.token })).status, 200);

    const again = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    const replay = await api(s.url, "POST", "/v1/sessions/second-factor", { key: null, body: { pending_token: again.body.pending_token, code } });
    assert.equal(replay.status, 401, "the same code in the same time step is a replay");
    const backup = confirm.body.backup_codes[0] as string;
    const viaBackup = await api(s.url, "POST", "/v1/sessions/second-factor", { key: null, body: { pending_token: again.body.pending_token, code: backup } });
    assert.equal(viaBackup.status, 201, viaBackup.text);
    const third = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    const reused = await api(s.url, "POST", "/v1/sessions/second-factor", { key: null, body: { pending_token: third.body.pending_token, code: backup } });
    assert.equal(reused.status, 401, "a backup code works once");

    const svc = await s.app.services.credentials.login({ identifier: c.login, password: PASSWORD, clientIp: null, protocol: "test", requestId: "r1" });
    assert.equal(svc.state, "second_factor_required");
  });
});
