import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { generate } from "otplib";
import { ManualClock } from "../../src/core/clock.js";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

/**
 * Openprovider login tokens: who may log in (reseller and operator accounts with a password),
 * what each refusal looks like on the wire, lockout, TOTP, the key allow lists, and tenancy
 * through a token.
 */
const PASSWORD = "Reseller-Pass-2026";
const AUTH_FAILED = '{"desc":"Authentication/Authorization Failed","code":196}';
const ACCESS_DENIED = '{"desc":"Access denied.","code":10005}';

interface Wire {
  status: number;
  body: any;
  text: string;
}

async function raw(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Wire> {
  const init: RequestInit = { method, headers: { accept: "application/json", ...headers } };
  if (body !== undefined) {
    (init.headers as Record<string, string>)["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${base}/v1beta${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  assert.ok(res.status === 200 || Buffer.byteLength(text) <= 120, `error body over 120 bytes: ${text}`);
  return { status: res.status, body: parsed, text };
}

const withToken = (base: string, method: string, path: string, token: string, body?: unknown) => raw(base, method, path, { authorization: `Bearer ${token}` }, body);
const loginCall = (base: string, username: string, password: string, extra: Record<string, unknown> = {}) => raw(base, "POST", "/auth/login", {}, { username, password, ip: "0.0.0.0", ...extra });

forEachDialect("Openprovider login tokens", (dialect) => {
  let s: TestServer;
  const clock = new ManualClock(new Date());
  let n = 0;

  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 }, clock);
  });
  after(async () => s.close());

  /** A reseller with a login; returns its id, login name and a fresh token. */
  async function reseller(): Promise<{ id: number; login: string; token: string }> {
    const i = ++n;
    const r = await api(s.url, "POST", "/v1/resellers", { body: { name: `Reseller ${i}`, email: `r${i}@login.example` } });
    assert.equal(r.status, 201, r.text);
    const login = `reseller${i}-${dialect}`;
    const set = await api(s.url, "PUT", `/v1/accounts/${r.body.id}/login`, { body: { login, password: PASSWORD } });
    assert.equal(set.status, 200, set.text);
    const l = await loginCall(s.url, login, PASSWORD);
    assert.equal(l.status, 200, l.text);
    return { id: r.body.id, login, token: l.body.data.token };
  }

  async function createCustomer(token: string, email: string): Promise<string> {
    const r = await withToken(s.url, "POST", "/customers", token, {
      name: { first_name: "Ada", last_name: "Lovelace" },
      address: { street: "Dam", number: "1", zipcode: "1012 JS", city: "Amsterdam", country: "NL" },
      phone: { country_code: "+31", area_code: "20", subscriber_number: "1234567" },
      email,
    });
    assert.equal(r.status, 200, r.text);
    return r.body.data.handle;
  }

  it("answers 10005 to a missing or malformed Authorization and 196 to a dead token", async () => {
    for (const headers of [{}, { authorization: "Basic dXNlcjpwYXNz" }, { authorization: "Bearer" }, { authorization: "Bearer a b" }]) {
      const r = await raw(s.url, "GET", "/customers", headers);
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.text, ACCESS_DENIED);
    }
    for (const token of ["0123456789abcdef0123456789abcdef", "not-a-token", "cs_forged"]) {
      const r = await withToken(s.url, "GET", "/customers", token);
      assert.equal(r.status, 401, token);
      assert.equal(r.text, AUTH_FAILED);
    }
  });

  it("refuses an unknown user, a wrong password and an account without a password alike", async () => {
    const a = await reseller();
    const noPassword = await api(s.url, "POST", "/v1/resellers", { body: { name: "No Password", email: "nopw@login.example" } });
    await api(s.url, "PUT", `/v1/accounts/${noPassword.body.id}/login`, { body: { login: `nopw-${dialect}` } });
    for (const [user, pass] of [["nobody", PASSWORD], [a.login, "Wrong-Password-1"], [`nopw-${dialect}`, PASSWORD]] as const) {
      const r = await loginCall(s.url, user, pass);
      assert.equal(r.status, 401, `${user}: ${r.text}`);
      assert.equal(r.text, AUTH_FAILED);
    }
  });

  it("another reseller's handle answers exactly like a missing one, through a token", async () => {
    const a = await reseller();
    const b = await reseller();
    const handle = await createCustomer(b.token, `b${dialect}@tenancy.example`);
    for (const [method, body] of [["GET", undefined], ["PUT", { address: { city: "Utrecht" } }], ["DELETE", undefined]] as const) {
      const foreign = await withToken(s.url, method, `/customers/${handle}`, a.token, body);
      const missing = await withToken(s.url, method, "/customers/ZZ000000-ZZ", a.token, body);
      assert.equal(foreign.status, 404, foreign.text);
      assert.equal(foreign.text, missing.text);
    }
    const list = await withToken(s.url, "GET", "/customers", a.token);
    assert.equal(list.body.data.total, 0, "a reseller lists only its own customers");
    assert.equal((await withToken(s.url, "GET", `/customers/${handle}`, b.token)).status, 200);
  });

  it("after 5 failed logins refuses the right password too for the window; sessions and keys keep working; an operator resets it", async () => {
    const a = await reseller();
    const key = await api(s.url, "POST", "/v1/api-keys", { body: { name: "automation", roles: ["owner"], principal: { kind: "reseller", id: a.id } } });
    assert.equal(key.status, 201, key.text);
    for (let i = 0; i < 5; i++) assert.equal((await loginCall(s.url, a.login, "Wrong-Password-1")).status, 401);
    const right = await loginCall(s.url, a.login, PASSWORD);
    assert.equal(right.text, AUTH_FAILED, "the right password is refused alike while the budget is spent");
    assert.equal((await withToken(s.url, "GET", "/customers", a.token)).status, 200, "its session goes on: an anonymous caller cannot end it");
    assert.equal((await withToken(s.url, "GET", "/customers", key.body.secret)).status, 200, "its API key still works");
    assert.equal((await api(s.url, "POST", `/v1/accounts/${a.id}/login/unlock`, { key: key.body.secret })).status, 403, "a reseller cannot reset its own budget");
    assert.equal((await api(s.url, "POST", `/v1/accounts/${a.id}/login/unlock`)).status, 200);
    assert.equal((await loginCall(s.url, a.login, PASSWORD)).status, 200);
    const other = await reseller();
    for (let i = 0; i < 5; i++) await loginCall(s.url, other.login, "Wrong-Password-1");
    clock.advance(901_000);
    assert.equal((await loginCall(s.url, other.login, PASSWORD)).status, 200, "the budget comes back after the window");
  });

  it("applies the account's key allow lists to logins and to every use of a token", async () => {
    const a = await reseller();
    const key = await api(s.url, "POST", "/v1/api-keys", { body: { name: "office only", roles: ["owner"], principal: { kind: "reseller", id: a.id } } });
    const acl = await api(s.url, "POST", `/v1/api-keys/${key.body.id}/acl`, { body: { address: "192.0.2.0/24" } });
    assert.equal(acl.status, 201, acl.text);
    const login = await loginCall(s.url, a.login, PASSWORD);
    assert.equal(login.status, 403, login.text);
    assert.equal(login.text, '{"desc":"Access denied.","code":10005}');
    assert.equal((await withToken(s.url, "GET", "/customers", a.token)).status, 403, "a token from before the list is bound by it too");
    await api(s.url, "POST", `/v1/api-keys/${key.body.id}/acl`, { body: { address: "127.0.0.0/8" } });
    await api(s.url, "POST", `/v1/api-keys/${key.body.id}/acl`, { body: { address: "::1" } });
    assert.equal((await loginCall(s.url, a.login, PASSWORD)).status, 200, "allowed once the list names the client's address");
  });

  it("with TOTP on, a login needs a current code (otp); a used code is not accepted twice", async () => {
    const a = await reseller();
    const enrol = await api(s.url, "POST", `/v1/accounts/${a.id}/totp`);
    assert.equal(enrol.status, 200, enrol.text);
    const code = () => generate({ secret: enrol.body.secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const confirm = await api(s.url, "POST", `/v1/accounts/${a.id}/totp/confirm`, { body: { code: await code() } });
    assert.equal(confirm.status, 200, confirm.text);
    assert.equal(confirm.body.backup_codes.length, 10);
    clock.advance(30_000);
    const without = await loginCall(s.url, a.login, PASSWORD);
    assert.equal(without.status, 401);
    assert.equal(without.body.code, 196);
    const current = await code();
    assert.equal((await loginCall(s.url, a.login, PASSWORD, { otp: current })).status, 200);
    assert.equal((await loginCall(s.url, a.login, PASSWORD, { otp: current })).text, AUTH_FAILED, "replayed code");
    assert.equal((await loginCall(s.url, a.login, PASSWORD, { otp: confirm.body.backup_codes[0] })).status, 200, "a backup code works once");
    assert.equal((await loginCall(s.url, a.login, PASSWORD, { otp: confirm.body.backup_codes[0] })).status, 401);
  });

  it("a new password ends the account's sessions; a token expires after its absolute lifetime", async () => {
    const a = await reseller();
    await api(s.url, "PUT", `/v1/accounts/${a.id}/login`, { body: { password: "Another-Pass-2026" } });
    assert.equal((await withToken(s.url, "GET", "/customers", a.token)).text, AUTH_FAILED);
    const fresh = (await loginCall(s.url, a.login, "Another-Pass-2026")).body.data.token as string;
    for (let i = 0; i < 15; i++) {
      clock.advance(50 * 60_000);
      const r = await withToken(s.url, "GET", "/customers", fresh);
      if (i < 14) assert.equal(r.status, 200, `after ${(i + 1) * 50} minutes`);
      else assert.equal(r.text, AUTH_FAILED, "past the 12 hour maximum");
    }
  });

  it("an account token is a credential for the REST API too, with the account's tenancy, and logins are audited", async () => {
    const a = await reseller();
    const handle = await createCustomer(a.token, `rest-${dialect}@tenancy.example`);
    const mine = await api(s.url, "GET", `/v1/customers/${handle}`, { key: a.token });
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.body.owner_id, a.id);
    const b = await reseller();
    assert.equal((await api(s.url, "GET", `/v1/customers/${handle}`, { key: b.token })).status, 404);
    const audit = await api(s.url, "GET", `/v1/audit?operation=account.session.login&limit=100`);
    assert.equal(audit.status, 200, audit.text);
    const entry = audit.body.data.find((e: any) => e.actor?.id === a.id || e.actor_id === a.id);
    assert.ok(entry, "the login is in the audit log");
    assert.doesNotMatch(JSON.stringify(audit.body), new RegExp(a.token), "no token in the audit log");
  });

  it("refuses a weak password and shows no secret in the account's login status", async () => {
    const r = await api(s.url, "POST", "/v1/resellers", { body: { name: "Weak", email: "weak@login.example" } });
    const weak = await api(s.url, "PUT", `/v1/accounts/${r.body.id}/login`, { body: { login: `weak-${dialect}`, password: "short" } });
    assert.equal(weak.status, 422, weak.text);
    const ok = await api(s.url, "PUT", `/v1/accounts/${r.body.id}/login`, { body: { login: `weak-${dialect}`, password: PASSWORD } });
    assert.doesNotMatch(ok.text, /argon2|Reseller-Pass/);
    const other = await reseller();
    const otherKey = await api(s.url, "POST", "/v1/api-keys", { body: { name: "k", roles: ["owner"], principal: { kind: "reseller", id: other.id } } });
    const foreign = await api(s.url, "PUT", `/v1/accounts/${r.body.id}/login`, { key: otherKey.body.secret, body: { password: "Hijack-Pass-2026" } });
    assert.equal(foreign.status, 404, "another reseller's account reads as missing");
    const own = await api(s.url, "PUT", `/v1/accounts/${other.id}/login`, { key: otherKey.body.secret, body: { password: "Own-New-Pass-2026" } });
    assert.equal(own.status, 200, "a reseller sets its own password");
  });
});
