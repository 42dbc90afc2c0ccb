import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { World } from "../security/world.js";

forEachDialect("hosting: getKeys and listRoles per customer", (dialect) => {
  let s: TestServer;
  let w: World;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    w = new World(s);
  });
  after(async () => s.close());

  it("lists a customer's active keys, filtered by type, never a secret, and the roles they carry", async () => {
    const r = await w.reseller();
    const c = await w.customer(r.id);
    const auto = await w.keyFor("customer", c.id, ["technical"], { type: "automation" });
    const revoked = await w.keyFor("customer", c.id, ["read-only"], { type: "automation" });
    await s.app.services.keys.revoke(systemContext("test"), revoked.keyId);
    const all = await api(s.url, "GET", `/v1/customers/${c.id}/api-keys`, { key: r.key });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.data.map((k: { id: number }) => k.id).sort(), [c.keyId, auto.keyId].sort());
    assert.ok(!all.text.includes(auto.key) && !all.text.includes("secret"), "no secret in the list");
    const byType = await api(s.url, "GET", `/v1/customers/${c.id}/api-keys?type=automation`, { key: c.key });
    assert.deepEqual(byType.body.data.map((k: { id: number }) => k.id), [auto.keyId]);
    assert.equal((await api(s.url, "GET", `/v1/customers/${c.id}/api-keys?type=Not%20A%20Type`)).status, 422);
    const roles = await api(s.url, "GET", `/v1/customers/${c.id}/roles`, { key: c.key });
    assert.equal(roles.status, 200, roles.text);
    const byName = Object.fromEntries(roles.body.data.map((x: { name: string; keys: number }) => [x.name, x.keys]));
    assert.deepEqual(byName, { owner: 1, billing: 0, technical: 1, "read-only": 0 });
  });

  it("another tenant's customer answers like a missing one", async () => {
    const a = await w.reseller();
    const b = await w.reseller();
    const b1 = await w.customer(b.id);
    for (const path of [`/v1/customers/${b1.id}/api-keys`, `/v1/customers/${b1.id}/roles`]) {
      const foreign = await api(s.url, "GET", path, { key: a.key });
      const absent = await api(s.url, "GET", path.replace(String(b1.id), "99999999"), { key: a.key });
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.detail, absent.body.detail);
    }
  });
});
