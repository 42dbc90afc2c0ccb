import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { generate } from "otplib";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const PASSWORD = "Sturdy-Password-7";

/** Issue 10, item 16: the token that completes a two-factor login is a new one. */
forEachDialect("session token after the second factor", (dialect) => {
  let s: TestServer;
  before(async () => {
    // Behind a trusted local proxy, so a test can log in from one address and unlock from another.
    s = await startServer(dialect, { rateLimit: 0, trustProxy: "127.0.0.1,::1" });
  });
  after(async () => s.close());

  it("issues a new token when the login completes; the pending token authenticates nothing", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "rotate@sessions.example", company: "Rotate" } })).body;
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: PASSWORD } })).status, 204);
    const first = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    const secret = (await api(s.url, "POST", "/v1/me/totp", { key: first.body.token })).body.secret as string;
    const confirm = await api(s.url, "POST", "/v1/me/totp/confirm", { key: first.body.token, body: { code: await generate({ secret }) } });
    assert.equal(confirm.status, 200);
    const pending = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    assert.equal(pending.body.state, "second_factor_required");
    // A backup code completes the login without waiting for the next TOTP step.
    const code = confirm.body.backup_codes[0] as string;
    const done = await api(s.url, "POST", "/v1/sessions/second-factor", { key: null, body: { pending_token: pending.body.pending_token, code } });
    assert.equal(done.status, 201, done.text);
    assert.notEqual(done.body.token, pending.body.pending_token);
    assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: done.body.token })).status, 200);
    assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: pending.body.pending_token })).status, 401);
  });

  it("INWX: the unlock keeps the cookie (the DomRobot client's) but only from the address that logged in", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "bind@sessions.example", company: "Bind" } })).body;
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: PASSWORD } })).status, 204);
    const first = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    const secret = (await api(s.url, "POST", "/v1/me/totp", { key: first.body.token })).body.secret as string;
    const confirm = await api(s.url, "POST", "/v1/me/totp/confirm", { key: first.body.token, body: { code: await generate({ secret }) } });
    const codes = confirm.body.backup_codes as string[];
    const rpc = async (method: string, params: Record<string, unknown>, from: string, cookie = "") => {
      const r = await fetch(`${s.url}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": from, cookie }, body: JSON.stringify({ method, params }) });
      return { cookie: (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "", body: (await r.json()) as { code: number } };
    };
    const login = await rpc("account.login", { user: c.login, pass: PASSWORD }, "198.51.100.20");
    assert.equal(login.body.code, 1000);
    const stolen = await rpc("account.unlock", { tan: codes[0] }, "203.0.113.66", login.cookie);
    assert.notEqual(stolen.body.code, 1000, "an unlock from another address is refused");
    const own = await rpc("account.unlock", { tan: codes[1] }, "198.51.100.20", login.cookie);
    assert.equal(own.body.code, 1000);
    assert.equal((await rpc("customer.info", {}, "198.51.100.20", login.cookie)).body.code, 1000);
  });
});
