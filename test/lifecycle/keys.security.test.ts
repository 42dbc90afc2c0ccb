import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

/**
 * Verified API keys are cached briefly for speed. A life-cycle change made through the API must
 * still stop a customer's key on the very next request, not when the cache entry expires.
 */
forEachDialect("API keys follow the customer's life cycle at once", (dialect) => {
  const fixture = useServer(dialect);

  const read = async (id: number, key: string) => (await api(fixture.server.url, "GET", `/v1/customers/${id}`, { key })).status;

  it("stops a suspended customer's key on the next request and restores it on unsuspend", async () => {
    const c = await fixture.world.customer(await fixture.world.operatorId());
    assert.equal(await read(c.id, c.key), 200);
    assert.equal((await api(fixture.server.url, "POST", `/v1/customers/${c.id}/suspend`, { body: { reason: "unpaid invoice" } })).status, 200);
    assert.equal(await read(c.id, c.key), 401);
    assert.equal((await api(fixture.server.url, "POST", `/v1/customers/${c.id}/unsuspend`, { body: {} })).status, 200);
    assert.equal(await read(c.id, c.key), 200);
  });

  it("stops the key when api_allowed is switched off and when the customer is deleted", async () => {
    const c = await fixture.world.customer(await fixture.world.operatorId());
    assert.equal(await read(c.id, c.key), 200);
    assert.equal((await api(fixture.server.url, "PATCH", `/v1/customers/${c.id}`, { body: { api_allowed: false } })).status, 200);
    assert.equal(await read(c.id, c.key), 401);
    assert.equal((await api(fixture.server.url, "PATCH", `/v1/customers/${c.id}`, { body: { api_allowed: true } })).status, 200);
    assert.equal(await read(c.id, c.key), 200);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/customers/${c.id}`)).status, 200);
    assert.equal(await read(c.id, c.key), 401);
  });

  it("keeps the key working when anonymous failed logins throttle the account (issue 10, item 13)", async () => {
    const c = await fixture.world.customer(await fixture.world.operatorId());
    assert.equal((await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: "Correct-Horse-Battery-9" } })).status, 204);
    const login = (await api(fixture.server.url, "GET", `/v1/customers/${c.id}`)).body.login as string;
    assert.equal(await read(c.id, c.key), 200);
    for (let i = 0; i < 8; i++) {
      assert.equal((await api(fixture.server.url, "POST", "/v1/sessions", { key: null, body: { identifier: login, password: "wrong-password-0" } })).status, 401);
    }
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}`)).body.status, "active");
    assert.equal(await read(c.id, c.key), 200);
  });
});
