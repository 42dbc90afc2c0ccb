import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const PASSWORD = "Sturdy-Password-7";

/** Issue 10, item 15: security headers, no caching of secrets, CORS closed unless configured. */
forEachDialect("browser-facing headers and CORS", (dialect) => {
  let s: TestServer;
  let open: TestServer;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    open = await startServer(dialect, { rateLimit: 0, corsOrigins: ["https://console.example"] });
  });
  after(async () => {
    await s.close();
    await open.close();
  });

  it("sends nosniff, frame, CSP and referrer headers on the API and on /docs", async () => {
    for (const path of ["/v1/roles", "/docs", "/openapi.json", "/health"]) {
      const r = await fetch(`${s.url}${path}`, { headers: { authorization: "Bearer test-operator-key-0123456789abcdef0123456789" } });
      assert.equal(r.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(r.headers.get("x-frame-options"), "DENY", path);
      assert.match(r.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, path);
      assert.equal(r.headers.get("referrer-policy"), "no-referrer", path);
    }
  });

  it("marks session tokens, TOTP secrets and backup codes no-store", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "hdr@web.example", company: "Hdr" } })).body;
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: PASSWORD } })).status, 204);
    const login = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: PASSWORD } });
    assert.equal(login.headers.get("cache-control"), "no-store");
    const enrol = await api(s.url, "POST", "/v1/me/totp", { key: login.body.token });
    assert.equal(enrol.status, 201);
    assert.equal(enrol.headers.get("cache-control"), "no-store");
  });

  it("answers a preflight without allowing a foreign origin by default, and allows a configured one", async () => {
    const headers = { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization" };
    const closed = await fetch(`${s.url}/v1/customers`, { method: "OPTIONS", headers });
    assert.equal(closed.status, 403);
    assert.equal(closed.headers.get("access-control-allow-origin"), null);
    const allowed = await fetch(`${open.url}/v1/customers`, { method: "OPTIONS", headers: { ...headers, origin: "https://console.example" } });
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://console.example");
  });

  it("refuses a cross-origin text/plain login to /jsonrpc/", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "csrf@web.example", company: "Csrf" } })).body;
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: PASSWORD } })).status, 204);
    const body = JSON.stringify({ method: "account.login", params: { user: c.login, pass: PASSWORD } });
    const r = await fetch(`${s.url}/jsonrpc/`, { method: "POST", headers: { "content-type": "text/plain", origin: "https://evil.example" }, body });
    assert.equal(r.headers.get("set-cookie"), null);
    assert.doesNotMatch(await r.text(), /"code":1000/);
    const direct = await fetch(`${s.url}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json" }, body });
    assert.match(await direct.text(), /"code":1000/, "a client without Origin (not a browser) still logs in");
  });
});
