import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const PASSWORD = "Sturdy-Password-7";

/**
 * Issue 10, "Also": api_allowed=false stops API access on every protocol: API keys and INWX
 * DomRobot sessions (a program's login). A REST login session, the customer's own sign-in, stays.
 */
forEachDialect("api_allowed=false", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
  });
  after(async () => s.close());

  const rpc = async (method: string, params: Record<string, unknown>, cookie = "") => {
    const r = await fetch(`${s.url}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ method, params }) });
    return { cookie: (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "", body: (await r.json()) as { code: number } };
  };

  it("refuses INWX logins and ends open INWX sessions, keeps the REST sign-in", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "noapi@allowed.example", company: "No API" } })).body;
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: PASSWORD } })).status, 204);
    const open = await rpc("account.login", { user: c.login, pass: PASSWORD });
    assert.equal(open.body.code, 1000);
    assert.equal((await rpc("customer.info", {}, open.cookie)).body.code, 1000);
    assert.equal((await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { api_allowed: false } })).status, 200);
    assert.notEqual((await rpc("customer.info", {}, open.cookie)).body.code, 1000, "the open DomRobot session stops");
    assert.notEqual((await rpc("account.login", { user: c.login, pass: PASSWORD })).body.code, 1000, "a new DomRobot login is refused");
    const rest = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    assert.equal(rest.status, 201, "the customer can still sign in to manage its account");
  });
});
