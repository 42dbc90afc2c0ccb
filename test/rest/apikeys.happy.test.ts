import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

forEachDialect("REST API keys, ACLs and roles", (dialect) => {
  const fixture = useServer(dialect);

  it("creates a key whose secret is shown once, works at once, and is never listed", async () => {
    const r = await api(fixture.server.url, "POST", "/v1/api-keys", { body: { name: "ci deploy", roles: ["read-only"] } });
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.secret, /^ck_[0-9a-f]{12}_/);
    assert.ok(r.body.secret.startsWith(r.body.prefix));
    assert.deepEqual(r.body.principal.kind, "operator");
    const me = await api(fixture.server.url, "GET", "/v1/customers", { key: r.body.secret });
    assert.equal(me.status, 200, me.text);
    const list = await api(fixture.server.url, "GET", "/v1/api-keys");
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((k: { id: number }) => k.id === r.body.id));
    assert.ok(!list.text.includes(r.body.secret), "the secret never appears in a listing");
    assert.ok(!list.text.includes("secret_hash"));
    const one = await api(fixture.server.url, "GET", `/v1/api-keys/${r.body.id}`);
    assert.equal(one.body.secret, undefined);
    assert.ok(one.body.last_used_at, "use is recorded");
    const denied = await api(fixture.server.url, "POST", "/v1/customers", { key: r.body.secret, body: { email: "ro@example.com", company: "RO" } });
    assert.equal(denied.status, 403, "read-only cannot write");
  });

  it("revoking a key stops it at once and cannot be repeated", async () => {
    const k = (await api(fixture.server.url, "POST", "/v1/api-keys", { body: { name: "temp" } })).body;
    assert.equal((await api(fixture.server.url, "GET", "/v1/roles", { key: k.secret })).status, 200);
    const r = await api(fixture.server.url, "DELETE", `/v1/api-keys/${k.id}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.revoked_at);
    const after = await api(fixture.server.url, "GET", "/v1/roles", { key: k.secret });
    assert.equal(after.status, 401);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/api-keys/${k.id}`)).status, 409);
  });

  it("an ACL admits listed addresses and CIDRs only, for cached keys too, and entries can be changed and removed", async () => {
    const k = (await api(fixture.server.url, "POST", "/v1/api-keys", { body: { name: "acl" } })).body;
    assert.equal((await api(fixture.server.url, "GET", "/v1/roles", { key: k.secret })).status, 200, "warm the cache");
    const e = await api(fixture.server.url, "POST", `/v1/api-keys/${k.id}/acl`, { body: { address: "192.0.2.77/24", description: "office" } });
    assert.equal(e.status, 201, e.text);
    assert.equal(e.body.address, "192.0.2.0/24");
    const refused = await api(fixture.server.url, "GET", "/v1/roles", { key: k.secret });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.detail, "Access denied");
    const v6 = await api(fixture.server.url, "POST", `/v1/api-keys/${k.id}/acl`, { body: { address: "2001:db8::/32" } });
    assert.equal(v6.status, 201, v6.text);
    const u = await api(fixture.server.url, "PATCH", `/v1/api-keys/${k.id}/acl/${e.body.id}`, { body: { address: "127.0.0.1" } });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.address, "127.0.0.1/32");
    assert.equal((await api(fixture.server.url, "GET", "/v1/roles", { key: k.secret })).status, 200);
    const listed = await api(fixture.server.url, "GET", `/v1/api-keys/${k.id}/acl`);
    assert.deepEqual(listed.body.data.map((x: { address: string }) => x.address), ["127.0.0.1/32", "2001:db8::/32"]);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/api-keys/${k.id}/acl/${e.body.id}`)).status, 204);
    assert.equal((await api(fixture.server.url, "GET", "/v1/roles", { key: k.secret })).status, 403, "only the IPv6 range is left");
    const bad = await api(fixture.server.url, "POST", `/v1/api-keys/${k.id}/acl`, { body: { address: "300.1.2.3" } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].field, "address");
  });

  it("lists the built-in roles and refuses to grant more than the creator holds", async () => {
    const roles = await api(fixture.server.url, "GET", "/v1/roles");
    assert.deepEqual(roles.body.data.map((r: { name: string }) => r.name).sort(), ["billing", "owner", "read-only", "technical"]);
    const tech = (await api(fixture.server.url, "POST", "/v1/api-keys", { body: { name: "tech", roles: ["technical"] } })).body;
    const escalate = await api(fixture.server.url, "POST", "/v1/api-keys", { key: tech.secret, body: { name: "up", roles: ["owner"] } });
    assert.equal(escalate.status, 403);
    const same = await api(fixture.server.url, "POST", "/v1/api-keys", { key: tech.secret, body: { name: "same", roles: ["technical"] } });
    assert.equal(same.status, 201, same.text);
    const upd = await api(fixture.server.url, "PATCH", `/v1/api-keys/${same.body.id}`, { body: { roles: ["read-only"], name: "renamed" } });
    assert.equal(upd.status, 200, upd.text);
    assert.deepEqual(upd.body.roles, ["read-only"]);
  });

  it("resellers make keys for themselves and their customers only; customers for themselves", async () => {
    const r1 = await fixture.world.reseller();
    const r2 = await fixture.world.reseller();
    const c1 = await fixture.world.customer(r1.id);
    const c2 = await fixture.world.customer(r2.id);
    const forOwn = await api(fixture.server.url, "POST", "/v1/api-keys", { key: r1.key, body: { name: "for c1", principal: { kind: "customer", id: c1.id } } });
    assert.equal(forOwn.status, 201, forOwn.text);
    const forOther = await api(fixture.server.url, "POST", "/v1/api-keys", { key: r1.key, body: { name: "for c2", principal: { kind: "customer", id: c2.id } } });
    assert.equal(forOther.status, 422);
    const custOther = await api(fixture.server.url, "POST", "/v1/api-keys", { key: c1.key, body: { name: "x", principal: { kind: "reseller", id: r1.id } } });
    assert.equal(custOther.status, 422);
    const custSelf = await api(fixture.server.url, "POST", "/v1/api-keys", { key: c1.key, body: { name: "self" } });
    assert.equal(custSelf.status, 201);
    const r1List = await api(fixture.server.url, "GET", "/v1/api-keys?limit=100");
    const seen = (await api(fixture.server.url, "GET", "/v1/api-keys?limit=100", { key: r1.key })).body.data.map((k: { principal: { kind: string; id: number } }) => `${k.principal.kind}:${k.principal.id}`);
    assert.ok(r1List.body.data.length > seen.length);
    assert.ok(seen.every((p: string) => p === `reseller:${r1.id}` || p === `customer:${c1.id}`), seen.join());
    assert.equal((await api(fixture.server.url, "GET", `/v1/api-keys/${c2.keyId}`, { key: r1.key })).status, 404);
  });

  it("expired keys and keys of suspended or API-barred customers stop working", async () => {
    const k = (await api(fixture.server.url, "POST", "/v1/api-keys", { body: { name: "soon", expires_at: "2099-01-01T00:00:00+02:00" } })).body;
    assert.equal(k.expires_at, "2098-12-31T22:00:00.000Z");
    await fixture.world.expire(k.id);
    assert.equal((await api(fixture.server.url, "GET", "/v1/roles", { key: k.secret })).status, 401);
    const past = await api(fixture.server.url, "POST", "/v1/api-keys", { body: { name: "past", expires_at: "2001-01-01T00:00:00Z" } });
    assert.equal(past.status, 422);
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: c.key })).status, 200);
    const db = fixture.server.app.storage.db;
    await db.updateTable("customers").set({ status: "suspended" }).where("id", "=", c.id).execute();
    fixture.server.app.services.apiKeys.invalidate();
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: c.key })).status, 401);
    await db.updateTable("customers").set({ status: "cancellation_requested", api_allowed: 0 }).where("id", "=", c.id).execute();
    fixture.server.app.services.apiKeys.invalidate();
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: c.key })).status, 401);
    await db.updateTable("customers").set({ api_allowed: 1 }).where("id", "=", c.id).execute();
    fixture.server.app.services.apiKeys.invalidate();
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: c.key })).status, 200);
  });
});

forEachDialect("REST API key ACL behind a trusted proxy", (dialect) => {
  let trusted: TestServer;
  let direct: TestServer;
  before(async () => {
    trusted = await startServer(dialect, { trustProxy: "127.0.0.1" });
    direct = await startServer(dialect);
  });
  after(async () => {
    await trusted.close();
    await direct.close();
  });

  it("believes X-Forwarded-For only when the proxy is trusted", async () => {
    for (const [s, expected] of [
      [trusted, 200],
      [direct, 403],
    ] as const) {
      const k = (await api(s.url, "POST", "/v1/api-keys", { body: { name: "proxied" } })).body;
      assert.equal((await api(s.url, "POST", `/v1/api-keys/${k.id}/acl`, { body: { address: "203.0.113.5" } })).status, 201);
      const r = await api(s.url, "GET", "/v1/roles", { key: k.secret, headers: { "x-forwarded-for": "203.0.113.5" } });
      assert.equal(r.status, expected, r.text);
    }
  });
});
