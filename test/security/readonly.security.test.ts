import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";


/** Issue 10, item 12: a read-only role neither starts exports nor spends the PIN budget; exports have a quota. */
forEachDialect("read-only roles do not write", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("refuses export requests and PIN checks to a read-only key", async () => {
    const r = await fixture.world.reseller("RO");
    const c = await fixture.world.customer(r.id);
    const readOnly = await fixture.world.keyFor("reseller", r.id, ["read-only"]);
    assert.equal((await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/pin`, { body: { pin: "482913" } })).status, 204);
    const exp = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/exports`, { key: readOnly.key, body: {} });
    assert.equal(exp.status, 403, exp.text);
    for (let i = 0; i < 8; i++) {
      const pin = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/pin/verify`, { key: readOnly.key, body: { pin: "000000" } });
      assert.equal(pin.status, 403, pin.text);
    }
    const owner = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/pin/verify`, { key: r.key, body: { pin: "482913" } });
    assert.deepEqual(owner.body, { valid: true }, "the budget was not spent by the read-only key");
  });

  it("limits export requests per customer and day", async () => {
    const r = await fixture.world.reseller("Quota");
    const c = await fixture.world.customer(r.id);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await api(fixture.server.url, "POST", `/v1/customers/${c.id}/exports`, { key: r.key, body: {} })).status);
    assert.deepEqual(statuses, [...Array(10).fill(202), 429, 429]);
  });
});
