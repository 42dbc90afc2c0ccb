import assert from "node:assert/strict";
import { it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

forEachDialect("hosting: getKeys and listRoles per customer", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("lists a customer's active keys, filtered by type, never a secret, and the roles they carry", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const auto = await fixture.world.keyFor("customer", c.id, ["technical"], { type: "automation" });
    const revoked = await fixture.world.keyFor("customer", c.id, ["read-only"], { type: "automation" });
    await fixture.server.app.services.keys.revoke(systemContext("test"), revoked.keyId);
    const all = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/api-keys`, { key: r.key });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.data.map((k: { id: number }) => k.id).sort(), [c.keyId, auto.keyId].sort());
    assert.ok(!all.text.includes(auto.key) && !all.text.includes("secret"), "no secret in the list");
    const byType = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/api-keys?type=automation`, { key: c.key });
    assert.deepEqual(byType.body.data.map((k: { id: number }) => k.id), [auto.keyId]);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}/api-keys?type=Not%20A%20Type`)).status, 422);
    const roles = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/roles`, { key: c.key });
    assert.equal(roles.status, 200, roles.text);
    const byName = Object.fromEntries(roles.body.data.map((x: { name: string; keys: number }) => [x.name, x.keys]));
    assert.deepEqual(byName, { owner: 1, billing: 0, technical: 1, "read-only": 0 });
  });

  it("another tenant's customer answers like a missing one", async () => {
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const b1 = await fixture.world.customer(b.id);
    for (const path of [`/v1/customers/${b1.id}/api-keys`, `/v1/customers/${b1.id}/roles`]) {
      const foreign = await api(fixture.server.url, "GET", path, { key: a.key });
      const absent = await api(fixture.server.url, "GET", path.replace(String(b1.id), "99999999"), { key: a.key });
      assert.equal(foreign.status, 404);
      assert.equal(foreign.body.detail, absent.body.detail);
    }
  });
});
