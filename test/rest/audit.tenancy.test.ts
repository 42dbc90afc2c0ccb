import assert from "node:assert/strict";
import { it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

type Entry = { operation: string; target: { type: string; id: string }; actor: { kind: string; id: number } };

forEachDialect("REST audit log: each tenant reads its own entries", (dialect) => {
  const fixture = useServer(dialect);

  it("shows a reseller its customers' entries and its own actions, never another tenant's", async () => {
    const alpha = await fixture.world.reseller("Alpha");
    const beta = await fixture.world.reseller("Beta");
    const mine = await api(fixture.server.url, "POST", "/v1/customers", { key: alpha.key, body: { email: "mine@audit-tenancy.example", company: "Mine" } });
    assert.equal(mine.status, 201, mine.text);
    const theirs = await api(fixture.server.url, "POST", "/v1/customers", { key: beta.key, body: { email: "theirs@audit-tenancy.example", company: "Theirs" } });
    // The operator acts on alpha's customer: alpha sees that too.
    await api(fixture.server.url, "PATCH", `/v1/customers/${mine.body.id}`, { body: { city: "Leiden" } });
    const seen = await api(fixture.server.url, "GET", "/v1/audit?limit=100", { key: alpha.key });
    assert.equal(seen.status, 200, seen.text);
    const entries = seen.body.data as Entry[];
    assert.ok(entries.some((e) => e.operation === "customer.update" && e.target.id === String(mine.body.id) && e.actor.kind === "operator"));
    assert.ok(entries.some((e) => e.operation === "customer.create" && e.target.id === String(mine.body.id)));
    assert.ok(!entries.some((e) => e.target.id === String(theirs.body.id)), "nothing about another reseller's customer");
    const probe = await api(fixture.server.url, "GET", `/v1/audit?target_type=customer&target_id=${theirs.body.id}`, { key: alpha.key });
    assert.deepEqual(probe.body.data, [], "filtering for a foreign customer finds nothing");
  });

  it("shows a customer the entries about itself, its keys included, and keeps them after a purge for its reseller", async () => {
    const gamma = await fixture.world.reseller("Gamma");
    const c = await fixture.world.customer(gamma.id);
    const other = await fixture.world.customer(gamma.id);
    await api(fixture.server.url, "PATCH", `/v1/customers/${c.id}`, { key: c.key, body: { city: "Gouda" } });
    await api(fixture.server.url, "PATCH", `/v1/customers/${other.id}`, { key: other.key, body: { city: "Breda" } });
    const own = await api(fixture.server.url, "GET", "/v1/audit?limit=100", { key: c.key });
    assert.equal(own.status, 200, own.text);
    const entries = own.body.data as Entry[];
    assert.ok(entries.some((e) => e.operation === "customer.update" && e.target.id === String(c.id)));
    assert.ok(entries.some((e) => e.operation === "apikey.create"), "its key's creation is part of its trail");
    assert.ok(entries.every((e) => e.target.id !== String(other.id)), "never another customer's entries");
    await fixture.server.app.services.customers.purge(systemContext("test"), `id:${c.id}`);
    const after = await api(fixture.server.url, "GET", `/v1/audit?target_type=customer&target_id=${c.id}&limit=100`, { key: gamma.key });
    assert.ok((after.body.data as Entry[]).some((e) => e.operation === "customer.purge"), "the purge itself stays in the reseller's view");
    assert.ok((after.body.data as Entry[]).some((e) => e.operation === "customer.update"));
  });

  it("keeps the chain proof to operators and detects a moved tenancy tag", async () => {
    const r = await fixture.world.reseller("Delta");
    assert.equal((await api(fixture.server.url, "GET", "/v1/audit/verify", { key: r.key })).status, 403);
    assert.equal((await api(fixture.server.url, "GET", "/v1/audit/verify")).body.ok, true);
    const db = fixture.server.app.storage.db;
    const row = await db.selectFrom("audit_log").select(["id"]).where("tenant_id", "is not", null).orderBy("id", "desc").executeTakeFirstOrThrow();
    await db.updateTable("audit_log").set({ tenant_id: 999999 }).where("id", "=", row.id).execute();
    const v = await api(fixture.server.url, "GET", "/v1/audit/verify");
    assert.equal(v.body.ok, false);
    assert.equal(v.body.broken_at, row.id);
  });
});
