import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

/**
 * INWX authenticates with a login session (the domrobot cookie), not with API keys, so its
 * security cases are the session's: every method that needs a session refuses, with INWX's own
 * codes, a call without one, with an unknown or ended one, and one whose customer may no longer
 * log in; login itself answers 2200 with no hint of why.
 */
const SESSION_METHODS: [string, Record<string, unknown>][] = [
  ["account.info", {}],
  ["customer.info", { wide: 1 }],
  ["customer.update", { city: "Berlin" }],
  ["customer.delete", {}],
  ["customer.contactverificationsettingsinfo", {}],
  ["customer.contactverificationsettingsupdate", { supportName: "x" }],
  ["customer.requestdataexport", {}],
  ["customer.listdownloads", {}],
];
const PASSWORD = "Correct-Horse-Battery-9";

async function rpc(base: string, method: string, params: Record<string, unknown>, cookie?: string): Promise<{ code: number; setCookie: string | null }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie !== undefined) headers.cookie = cookie;
  const res = await fetch(`${base}/jsonrpc/`, { method: "POST", headers, body: JSON.stringify({ method, params }) });
  assert.equal(res.status, 200, "INWX answers HTTP 200 with the code in the body");
  const body = (await res.json()) as { code: number };
  return { code: body.code, setCookie: res.headers.get("set-cookie") };
}

async function loginCookie(base: string, user: string, pass = PASSWORD): Promise<string> {
  const r = await rpc(base, "account.login", { user, pass });
  assert.equal(r.code, 1000);
  assert.ok(r.setCookie);
  return r.setCookie.split(";")[0] ?? "";
}

forEachDialect("INWX security: sessions", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect);
  });
  after(async () => s.close());

  async function customer(login: string): Promise<number> {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: `${login}@sec.example`, login, company: "Sec GmbH" } });
    assert.equal(c.status, 201, c.text);
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.body.id}/password`, { body: { password: PASSWORD } })).status, 204);
    return c.body.id;
  }

  test("refuses every session method without a cookie, with Cookie: null and with an unknown session (2002)", async () => {
    for (const [method, params] of SESSION_METHODS) {
      assert.equal((await rpc(s.url, method, params)).code, 2002, `${method} without cookie`);
      assert.equal((await rpc(s.url, method, params, "null")).code, 2002, `${method} with Cookie: null`);
      assert.equal((await rpc(s.url, method, params, "domrobot=cs_forged")).code, 2002, `${method} with a forged session`);
    }
  });

  test("refuses every session method after logout (2002)", async () => {
    await customer("secout");
    const cookie = await loginCookie(s.url, "secout");
    assert.equal((await rpc(s.url, "account.logout", {}, cookie)).code, 1500);
    for (const [method, params] of SESSION_METHODS) assert.equal((await rpc(s.url, method, params, cookie)).code, 2002, method);
  });

  test("answers 2200 alike for an unknown user, a wrong password and an API key as password", async () => {
    await customer("secpass");
    assert.equal((await rpc(s.url, "account.login", { user: "nobody-here", pass: PASSWORD })).code, 2200);
    assert.equal((await rpc(s.url, "account.login", { user: "secpass", pass: "wrong-password-1" })).code, 2200);
    const r = await rpc(s.url, "account.login", { user: "secpass", pass: "test-operator-key-0123456789abcdef0123456789" });
    assert.equal(r.code, 2200);
    assert.equal(r.setCookie, null, "no cookie for a failed login");
  });

  test("ends a suspended customer's session at once and refuses its login (2002, 2200)", async () => {
    const id = await customer("secsusp");
    const cookie = await loginCookie(s.url, "secsusp");
    assert.equal((await rpc(s.url, "customer.info", {}, cookie)).code, 1000);
    const susp = await api(s.url, "POST", `/v1/customers/${id}/suspend`, { body: { reason: "abuse report" } });
    assert.equal(susp.status, 200, susp.text);
    for (const [method, params] of SESSION_METHODS) assert.equal((await rpc(s.url, method, params, cookie)).code, 2002, method);
    assert.equal((await rpc(s.url, "account.login", { user: "secsusp", pass: PASSWORD })).code, 2200);
  });

  test("a session only ever reaches its own customer", async () => {
    const a = await customer("secowna");
    await customer("secownb");
    const cookie = await loginCookie(s.url, "secownb");
    assert.equal((await rpc(s.url, "customer.update", { city: "Köln" }, cookie)).code, 1000);
    const other = await api(s.url, "GET", `/v1/customers/${a}`);
    assert.equal(other.body.city, null, "the other customer is untouched");
  });
});
