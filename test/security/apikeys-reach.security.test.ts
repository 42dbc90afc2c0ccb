import assert from "node:assert/strict";
import { it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";


/** Issue 10, item 6: a key never makes or changes keys to reach further than itself. */
forEachDialect("API-key management stays within the caller's own reach", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("a technical key cannot delete an owner key's allow list or change its roles", async () => {
    const r = await fixture.world.reseller("Reach");
    const technical = await fixture.world.keyFor("reseller", r.id, ["technical"]);
    const acl = await fixture.server.app.services.keys.createAcl(systemContext("test"), r.keyId, { address: "0.0.0.0/0", description: "all" });
    const del = await api(fixture.server.url, "DELETE", `/v1/api-keys/${r.keyId}/acl/${acl.id}`, { key: technical.key });
    assert.equal(del.status, 403, del.text);
    const roles = await api(fixture.server.url, "PATCH", `/v1/api-keys/${r.keyId}`, { key: technical.key, body: { roles: ["read-only"] } });
    assert.equal(roles.status, 403, roles.text);
    const add = await api(fixture.server.url, "POST", `/v1/api-keys/${r.keyId}/acl`, { key: technical.key, body: { address: "203.0.113.0/24" } });
    assert.equal(add.status, 403, add.text);
  });

  it("a key expiring in an hour cannot mint a never-expiring key nor clear its own expiry", async () => {
    const r = await fixture.world.reseller("Expiry");
    const soon = new Date(Date.now() + 3600_000).toISOString();
    const short = await fixture.world.keyFor("reseller", r.id, ["owner"], { expires_at: soon });
    const forever = await api(fixture.server.url, "POST", "/v1/api-keys", { key: short.key, body: { name: "forever" } });
    assert.equal(forever.status, 422, forever.text);
    assert.equal(forever.body.errors[0].field, "expires_at");
    const later = await api(fixture.server.url, "POST", "/v1/api-keys", { key: short.key, body: { name: "later", expires_at: new Date(Date.now() + 7200_000).toISOString() } });
    assert.equal(later.status, 422, later.text);
    const within = await api(fixture.server.url, "POST", "/v1/api-keys", { key: short.key, body: { name: "within", expires_at: new Date(Date.now() + 1800_000).toISOString() } });
    assert.equal(within.status, 201, within.text);
    const clear = await api(fixture.server.url, "PATCH", `/v1/api-keys/${short.keyId}`, { key: short.key, body: { expires_at: null } });
    assert.equal(clear.status, 422, clear.text);
  });

  it("an IP-restricted key mints keys restricted the same way, and cannot lift restrictions", async () => {
    const r = await fixture.world.reseller("Network");
    const restricted = await fixture.world.keyFor("reseller", r.id, ["owner"]);
    await fixture.server.app.services.keys.createAcl(systemContext("test"), restricted.keyId, { address: "127.0.0.1/32", description: "test client" });
    await fixture.server.app.services.keys.createAcl(systemContext("test"), restricted.keyId, { address: "::1/128", description: "test client v6" });
    const minted = await api(fixture.server.url, "POST", "/v1/api-keys", { key: restricted.key, body: { name: "child" } });
    assert.equal(minted.status, 201, minted.text);
    const acl = await api(fixture.server.url, "GET", `/v1/api-keys/${minted.body.id}/acl`, { key: restricted.key });
    assert.deepEqual(acl.body.data.map((e: { address: string }) => e.address).sort(), ["127.0.0.1/32", "::1/128"].sort());
    const lift = await api(fixture.server.url, "DELETE", `/v1/api-keys/${minted.body.id}/acl/${acl.body.data[0].id}`, { key: restricted.key });
    assert.equal(lift.status, 403, lift.text);
  });
});
