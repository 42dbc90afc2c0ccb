import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { customerWithPassword as passwordCustomer } from "../helpers/fixtures.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const PASSWORD = "Sturdy-Password-7";

const customerWithPassword = (s: TestServer, email: string) => passwordCustomer(s, { email, company: "Sec GmbH" }, PASSWORD);

const login = (s: TestServer, identifier: string, password: string) => api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier, password } });

forEachDialect("credentials: login refusals, lockout and unlock", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect);
  });
  after(async () => s.close());

  it("answers every failed login with the same 401 Invalid credentials", async () => {
    const c = await customerWithPassword(s, "same@sec.example");
    const unknown = await login(s, "nobody-here", PASSWORD);
    const wrong = await login(s, c.login, "Wrong-Password-1");
    for (const r of [unknown, wrong]) {
      assert.equal(r.status, 401, r.text);
      assert.equal(r.body.code, "unauthenticated");
      assert.equal(r.body.detail, "Invalid credentials");
    }
    const noPassword = (await api(s.url, "POST", "/v1/customers", { body: { email: "nopw@sec.example", company: "No Pw" } })).body;
    const r = await login(s, noPassword.login, PASSWORD);
    assert.equal(r.body.detail, "Invalid credentials");
  });

  it("throttles the account after 5 failures: the right password is refused alike for the window, status and sessions untouched", async () => {
    const c = await customerWithPassword(s, "lock@sec.example");
    const ok = await login(s, c.login, PASSWORD);
    assert.equal(ok.status, 201);
    for (let i = 0; i < 5; i++) assert.equal((await login(s, c.login, `Wrong-Password-${i}`)).status, 401);
    const refused = await login(s, c.login, PASSWORD);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.detail, "Invalid credentials");
    const customer = await api(s.url, "GET", `/v1/customers/${c.id}`);
    assert.equal(customer.body.status, "active", "an anonymous caller cannot lock the account");
    assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: ok.body.token })).status, 200, "open sessions go on");
  });

  it("refuses logins and sessions of suspended, deactivated and closed customers", async () => {
    for (const [action, body] of [["suspend", { reason: "unpaid invoice" }], ["deactivate", {}], ["close", {}]] as const) {
      const c = await customerWithPassword(s, `${action}@sec.example`);
      const session = await login(s, c.login, PASSWORD);
      assert.equal(session.status, 201);
      assert.equal((await api(s.url, "POST", `/v1/customers/${c.id}/${action}`, { body })).status, 200);
      assert.equal((await login(s, c.login, PASSWORD)).status, 401, `${action}: login refused`);
      assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: session.body.token })).status, 401, `${action}: session refused`);
    }
  });

  it("rejects weak passwords naming the rule, and never returns a hash", async () => {
    const c = await customerWithPassword(s, "policy@sec.example");
    for (const [password, pattern] of [
      ["short", /at least 10/],
      ["aaaaaaaaaaaa", /4 different/],
      ["abcdefghijkl", /mix at least two/],
      [c.login, /login name|at least 10/],
    ] as const) {
      const r = await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password } });
      assert.equal(r.status, 422, r.text);
      assert.equal(r.body.errors[0].field, "password");
      assert.match(r.text, pattern);
    }
    const own = await login(s, c.login, PASSWORD);
    const change = await api(s.url, "POST", "/v1/me/password", { key: own.body.token, body: { current_password: "not-it-at-all", new_password: "Another-Good-1" } });
    assert.equal(change.status, 422);
    assert.equal(change.body.errors[0].field, "current_password");
    const changed = await api(s.url, "POST", "/v1/me/password", { key: own.body.token, body: { current_password: PASSWORD, new_password: "Another-Good-1" } });
    assert.equal(changed.status, 204, changed.text);
    assert.equal((await login(s, c.login, "Another-Good-1")).status, 201);
    const status = await api(s.url, "GET", `/v1/customers/${c.id}/credentials`);
    assert.ok(!/argon2|hash/.test(status.text));
  });

  it("sets, changes and verifies a service PIN, and stops answering after repeated wrong guesses", async () => {
    const c = await customerWithPassword(s, "pin@sec.example");
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/pin`, { body: { pin: "12ab" } })).status, 422);
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/pin`, { body: { pin: "482913" } })).status, 204);
    const own = await login(s, c.login, PASSWORD);
    // In a login session the password just given is proof enough to replace the PIN (INWX
    // customer.update); a current PIN that is sent must still be right.
    const wrongCurrent = await api(s.url, "PUT", "/v1/me/pin", { key: own.body.token, body: { pin: "111222", current_pin: "000000" } });
    assert.equal(wrongCurrent.status, 422);
    assert.equal(wrongCurrent.body.errors[0].field, "current_pin");
    assert.equal((await api(s.url, "PUT", "/v1/me/pin", { key: own.body.token, body: { pin: "555666", current_pin: "482913" } })).status, 204);
    assert.equal((await api(s.url, "PUT", "/v1/me/pin", { key: own.body.token, body: { pin: "111222" } })).status, 204);
    assert.deepEqual((await api(s.url, "POST", `/v1/customers/${c.id}/pin/verify`, { body: { pin: "111222" } })).body, { valid: true });
    for (let i = 0; i < 5; i++) assert.equal((await api(s.url, "POST", `/v1/customers/${c.id}/pin/verify`, { body: { pin: "000000" } })).body.valid, false);
    const limited = await api(s.url, "POST", `/v1/customers/${c.id}/pin/verify`, { body: { pin: "111222" } });
    assert.equal(limited.status, 429);
  });
});
