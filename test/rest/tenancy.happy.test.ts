import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

forEachDialect("REST tenancy: resellers, visibility, moving customers", (dialect) => {
  const fixture = useServer(dialect);

  it("an operator creates, lists and reads resellers; a reseller cannot", async () => {
    const r = await api(fixture.server.url, "POST", "/v1/resellers", { body: { name: "Hoster BV", email: "Ops@Hoster.example" } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.kind, "reseller");
    assert.equal(r.body.email, "ops@hoster.example");
    const got = await api(fixture.server.url, "GET", `/v1/resellers/${r.body.id}`);
    assert.equal(got.body.name, "Hoster BV");
    const list = await api(fixture.server.url, "GET", "/v1/resellers?limit=100");
    assert.ok(list.body.data.some((a: { id: number }) => a.id === r.body.id));
    const reseller = await fixture.world.keyFor("reseller", r.body.id);
    assert.equal((await api(fixture.server.url, "GET", "/v1/resellers", { key: reseller.key })).status, 403);
    const bad = await api(fixture.server.url, "POST", "/v1/resellers", { body: { name: "", email: "nope" } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ["email", "name"]);
  });

  it("a reseller sees only its own customers, a customer only itself; others answer as missing", async () => {
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const a1 = await fixture.world.customer(a.id);
    const a2 = await fixture.world.customer(a.id);
    const b1 = await fixture.world.customer(b.id);
    const listA = await api(fixture.server.url, "GET", "/v1/customers?limit=100", { key: a.key });
    assert.deepEqual(listA.body.data.map((c: { id: number }) => c.id).sort(), [a1.id, a2.id].sort());
    const foreign = await api(fixture.server.url, "GET", `/v1/customers/${b1.id}`, { key: a.key });
    const absent = await api(fixture.server.url, "GET", "/v1/customers/99999999", { key: a.key });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail, absent.body.detail);
    const self = await api(fixture.server.url, "GET", "/v1/customers", { key: a1.key });
    assert.deepEqual(self.body.data.map((c: { id: number }) => c.id), [a1.id]);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${a2.id}`, { key: a1.key })).status, 404);
    assert.equal((await api(fixture.server.url, "PATCH", `/v1/customers/${b1.id}`, { key: a.key, body: { city: "X" } })).status, 404);
    const count = await api(fixture.server.url, "GET", "/v1/customers/count", { key: b.key });
    assert.equal(count.body.count, 1);
  });

  it("moves a customer to another reseller, who then sees it, and refuses a move to the current owner", async () => {
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const c = await fixture.world.customer(a.id);
    const same = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/move`, { body: { owner_id: a.id } });
    assert.equal(same.status, 409, same.text);
    assert.equal(same.body.errors[0].field, "owner_id");
    const nowhere = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/move`, { body: { owner_id: 99999999 } });
    assert.equal(nowhere.status, 422);
    const moved = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/move`, { body: { owner_id: b.id } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.owner_id, b.id);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: a.key })).status, 404);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: b.key })).status, 200);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: c.key })).status, 200, "the customer's own key follows it");
    const keys = await api(fixture.server.url, "GET", `/v1/api-keys?principal_kind=customer&principal_id=${c.id}`, { key: b.key });
    assert.equal(keys.body.data.length, 1, "the new owner manages the customer's keys");
    assert.equal((await api(fixture.server.url, "POST", `/v1/customers/${c.id}/move`, { key: b.key, body: { owner_id: a.id } })).status, 403, "only operators move customers");
    const audit = await api(fixture.server.url, "GET", `/v1/audit?operation=customer.move&target_id=${c.id}`);
    assert.equal(audit.body.data.length, 1);
    assert.deepEqual(audit.body.data[0].changes.owner_id, { before: a.id, after: b.id });
  });
});
