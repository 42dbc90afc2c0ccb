import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

/** Operator and reseller accounts log in over REST too (the way in for the operator console). */
forEachDialect("account logins over REST", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
  });
  after(async () => s.close());

  it("logs in with login name and password, uses the token as a Bearer, and logs out", async () => {
    const r = await api(s.url, "POST", "/v1/resellers", { body: { name: "Console BV", email: "console@reseller.example" } });
    const set = await api(s.url, "PUT", `/v1/accounts/${r.body.id}/login`, { body: { login: "Console.Admin", password: "Console-Pass-2026" } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.login, "console.admin", "login names are lower-cased");
    const wrong = await api(s.url, "POST", "/v1/accounts/sessions", { key: null, body: { login: "console.admin", password: "Wrong-Pass-2026" } });
    assert.equal(wrong.status, 401, wrong.text);
    const login = await api(s.url, "POST", "/v1/accounts/sessions", { key: null, body: { login: "Console.Admin", password: "Console-Pass-2026" } });
    assert.equal(login.status, 201, login.text);
    assert.equal(login.headers.get("cache-control"), "no-store");
    assert.equal(login.body.account_id, r.body.id);
    assert.equal(login.body.kind, "reseller");
    const token: string = login.body.token;
    const created = await api(s.url, "POST", "/v1/customers", { key: token, body: { email: "c@console.example", company: "Console Kunde" } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.owner_id, r.body.id, "the session acts as the reseller");
    const status = await api(s.url, "GET", `/v1/accounts/${r.body.id}/login`, { key: token });
    assert.equal(status.body.login_count, 1);
    assert.equal((await api(s.url, "DELETE", "/v1/accounts/sessions/current", { key: token })).status, 204);
    assert.equal((await api(s.url, "GET", "/v1/customers", { key: token })).status, 401, "the token ended");
  });
});
