import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

forEachDialect("REST hosting plans, reseller budgets and usage", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  const newCustomer = (n: string, extra: Record<string, unknown> = {}) => ({ email: `${n}.${Math.random().toString(36).slice(2, 8)}@plans.example`, company: `Co ${n}`, ...extra });

  it("documents plans, budgets and usage in the OpenAPI document", async () => {
    const doc = (await api(fixture.server.url, "GET", "/openapi.json", { key: null })).body;
    for (const [path, method] of [
      ["/v1/hosting-plans", "post"],
      ["/v1/hosting-plans/{ref}", "patch"],
      ["/v1/resellers/{id}/budget", "put"],
      ["/v1/usage", "post"],
      ["/v1/customers/{ref}/usage", "get"],
    ] as const) {
      assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`);
    }
    assert.equal(doc.paths["/v1/usage"].post.operationId, "usage.report");
    assert.ok(doc.paths["/v1/resellers/{id}/budget"].put.requestBody.content["application/json"].schema);
  });

  it("applies a plan's values on create, keeps customers as they are when the plan changes, and re-applies on request", async () => {
    const plan = await api(fixture.server.url, "POST", "/v1/hosting-plans", { body: { name: "Basic", description: "starter", resources: { diskspace_mb: 1000, traffic_gb: 10, emails: 5, php_enabled: true } } });
    assert.equal(plan.status, 201, plan.text);
    assert.equal(plan.body.object, "hosting_plan");
    const byName = await api(fixture.server.url, "GET", "/v1/hosting-plans/name:Basic");
    assert.equal(byName.body.id, plan.body.id);
    assert.equal((await api(fixture.server.url, "GET", "/v1/hosting-plans?name=Basic")).body.data.length, 1);
    // The plan wins over values sent alongside it, as in Froxlor.
    const c = await api(fixture.server.url, "POST", "/v1/customers", { body: newCustomer("planned", { resources: { hosting_plan_id: plan.body.id, diskspace_mb: 5 } }) });
    assert.equal(c.status, 201, c.text);
    assert.deepEqual(c.body.resources, { diskspace_mb: 1000, traffic_gb: 10, emails: 5, php_enabled: true, hosting_plan_id: plan.body.id });
    const changed = await api(fixture.server.url, "PATCH", `/v1/hosting-plans/${plan.body.id}`, { body: { resources: { diskspace_mb: 2000 } } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.resources.diskspace_mb, 2000);
    assert.equal(changed.body.resources.traffic_gb, 10, "a patch merges into the plan's resources");
    const still = await api(fixture.server.url, "GET", `/v1/customers/${c.body.id}`);
    assert.equal(still.body.resources.diskspace_mb, 1000, "changing a plan does not change existing customers");
    const reapplied = await api(fixture.server.url, "PATCH", `/v1/customers/${c.body.id}`, { body: { resources: { hosting_plan_id: plan.body.id } } });
    assert.equal(reapplied.body.resources.diskspace_mb, 2000, "sending the plan id again copies the plan's current values");
    const deleted = await api(fixture.server.url, "DELETE", `/v1/hosting-plans/${plan.body.id}`);
    assert.equal(deleted.body.name, "Basic");
    assert.equal((await api(fixture.server.url, "GET", `/v1/hosting-plans/${plan.body.id}`)).status, 404);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.body.id}`)).body.resources.diskspace_mb, 2000, "deleting a plan leaves its customers' values");
  });

  it("refuses an unknown plan, a duplicate name, and a reseller changing an operator's plan", async () => {
    const unknown = await api(fixture.server.url, "POST", "/v1/customers", { body: newCustomer("noplan", { resources: { hosting_plan_id: 987654 } }) });
    assert.equal(unknown.status, 422, unknown.text);
    assert.equal(unknown.body.errors[0].field, "resources.hosting_plan_id");
    await api(fixture.server.url, "POST", "/v1/hosting-plans", { body: { name: "Gold" } });
    const dup = await api(fixture.server.url, "POST", "/v1/hosting-plans", { body: { name: "Gold" } });
    assert.equal(dup.status, 409, dup.text);
    assert.equal(dup.body.errors[0].field, "name", "the same field on both databases");
    const r = await fixture.world.reseller();
    const seen = await api(fixture.server.url, "GET", "/v1/hosting-plans/name:Gold", { key: r.key });
    assert.equal(seen.status, 200, "a reseller reads the operators' plans");
    const refused = await api(fixture.server.url, "PATCH", `/v1/hosting-plans/${seen.body.id}`, { key: r.key, body: { description: "mine now" } });
    assert.equal(refused.status, 403, refused.text);
    const own = await api(fixture.server.url, "POST", "/v1/hosting-plans", { key: r.key, body: { name: "Gold", resources: { emails: 1 } } });
    assert.equal(own.status, 201, "names are unique per owner");
    assert.equal((await api(fixture.server.url, "GET", "/v1/hosting-plans/name:Gold", { key: r.key })).body.id, own.body.id, "the reseller's own plan wins");
    const other = await fixture.world.reseller();
    assert.equal((await api(fixture.server.url, "GET", `/v1/hosting-plans/${own.body.id}`, { key: other.key })).status, 404, "another reseller's plan looks missing");
    const customer = await fixture.world.customer(r.id);
    assert.equal((await api(fixture.server.url, "GET", "/v1/hosting-plans", { key: customer.key })).status, 403);
  });

  it("refuses customers and quotas beyond a reseller's budget, names the resource, and gives back on delete", async () => {
    const r = await fixture.world.reseller();
    const set = await api(fixture.server.url, "PUT", `/v1/resellers/${r.id}/budget`, { body: { customers: 2, diskspace_mb: 1000 } });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body.resources.customers, { limit: 2, used: 0, remaining: 2 });
    assert.deepEqual(set.body.resources.traffic_gb, { limit: -1, used: 0, remaining: null });
    const a = await api(fixture.server.url, "POST", "/v1/customers", { key: r.key, body: newCustomer("a", { resources: { diskspace_mb: 600 } }) });
    assert.equal(a.status, 201, a.text);
    const tooBig = await api(fixture.server.url, "POST", "/v1/customers", { key: r.key, body: newCustomer("b", { resources: { diskspace_mb: 500 } }) });
    assert.equal(tooBig.status, 409, tooBig.text);
    assert.equal(tooBig.body.errors[0].field, "resources.diskspace_mb");
    assert.equal(tooBig.body.errors[0].code, "exceeds_budget");
    const unlimited = await api(fixture.server.url, "POST", "/v1/customers", { key: r.key, body: newCustomer("u", { resources: { diskspace_mb: -1 } }) });
    assert.equal(unlimited.status, 409, "an unlimited grant needs an unlimited budget");
    const b = await api(fixture.server.url, "POST", "/v1/customers", { key: r.key, body: newCustomer("b", { resources: { diskspace_mb: 400 } }) });
    assert.equal(b.status, 201, b.text);
    const third = await api(fixture.server.url, "POST", "/v1/customers", { key: r.key, body: newCustomer("c") });
    assert.equal(third.status, 409, third.text);
    assert.equal(third.body.errors[0].field, "customers");
    const raise = await api(fixture.server.url, "PATCH", `/v1/customers/${a.body.id}`, { key: r.key, body: { resources: { diskspace_mb: 601 } } });
    assert.equal(raise.status, 409, "raising a quota past the budget is refused too");
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${a.body.id}`)).body.resources.diskspace_mb, 600, "nothing half-written");
    const lower = await api(fixture.server.url, "PATCH", `/v1/customers/${a.body.id}`, { key: r.key, body: { resources: { diskspace_mb: 100 } } });
    assert.equal(lower.status, 200);
    await api(fixture.server.url, "DELETE", `/v1/customers/${b.body.id}`, { key: r.key });
    const budget = await api(fixture.server.url, "GET", `/v1/resellers/${r.id}/budget`, { key: r.key });
    assert.deepEqual(budget.body.resources.customers, { limit: 2, used: 1, remaining: 1 });
    assert.deepEqual(budget.body.resources.diskspace_mb, { limit: 1000, used: 100, remaining: 900 });
    const other = await fixture.world.reseller();
    assert.equal((await api(fixture.server.url, "GET", `/v1/resellers/${r.id}/budget`, { key: other.key })).status, 404);
    assert.equal((await api(fixture.server.url, "PUT", `/v1/resellers/${r.id}/budget`, { key: r.key, body: { customers: 100 } })).status, 403);
  });

  it("lets exactly the budget through when 20 creates race", async () => {
    const r = await fixture.world.reseller();
    await api(fixture.server.url, "PUT", `/v1/resellers/${r.id}/budget`, { body: { customers: 5, emails: 1000 } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api(fixture.server.url, "POST", "/v1/customers", { key: r.key, body: newCustomer(`race${i}`, { resources: { emails: 10 } }) })));
    const statuses = results.map((x) => x.status).sort();
    assert.equal(statuses.filter((x) => x === 201).length, 5, JSON.stringify(statuses));
    assert.equal(statuses.filter((x) => x === 409).length, 15, JSON.stringify(statuses));
    const budget = await api(fixture.server.url, "GET", `/v1/resellers/${r.id}/budget`);
    assert.deepEqual(budget.body.resources.customers, { limit: 5, used: 5, remaining: 0 });
    assert.equal(budget.body.resources.emails.used, 50);
    const count = await api(fixture.server.url, "GET", "/v1/customers/count", { key: r.key });
    assert.equal(count.body.count, 5);
  });

  it("stores usage batches idempotently and compares current usage with quotas", async () => {
    const r = await fixture.world.reseller();
    const c = await api(fixture.server.url, "POST", "/v1/customers", { key: r.key, body: newCustomer("usage", { resources: { diskspace_mb: 100, traffic_gb: -1, emails: 2 } }) });
    const id = c.body.id;
    const samples = [
      { customer_id: id, resource: "webspace_mb", value: 60.5, sampled_at: "2026-11-23T10:00:00Z" },
      { customer_id: id, resource: "mailspace_mb", value: 50, sampled_at: "2026-11-23T10:00:00Z" },
      { customer_id: id, resource: "traffic_gb", value: 900, sampled_at: "2026-11-23T10:00:00Z" },
      { customer_id: id, resource: "emails", value: 1, sampled_at: "2026-11-23T10:00:00Z" },
      { customer_id: id, resource: "emails", value: 2, sampled_at: "2026-11-23T11:00:00+01:00" },
    ];
    const first = await api(fixture.server.url, "POST", "/v1/usage", { key: r.key, body: { samples } });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body, { object: "usage_report", accepted: 4, duplicates: 1 }, "11:00+01:00 is the same time as 10:00Z");
    const again = await api(fixture.server.url, "POST", "/v1/usage", { key: r.key, body: { samples } });
    assert.deepEqual(again.body, { object: "usage_report", accepted: 0, duplicates: 5 }, "a retried batch changes nothing");
    const older = await api(fixture.server.url, "POST", "/v1/usage", { key: r.key, body: { samples: [{ customer_id: id, resource: "emails", value: 7, sampled_at: "2026-11-22T00:00:00Z" }] } });
    assert.equal(older.body.accepted, 1);
    const u = await api(fixture.server.url, "GET", `/v1/customers/${id}/usage`, { key: r.key });
    assert.equal(u.status, 200, u.text);
    const line = (name: string) => u.body.resources.find((l: { resource: string }) => l.resource === name);
    assert.deepEqual(line("diskspace_mb"), { resource: "diskspace_mb", value: 110.5, sampled_at: "2026-11-23T10:00:00.000Z", quota: 100, over_quota: true });
    assert.equal(line("traffic_gb").over_quota, false, "-1 is never exceeded");
    assert.equal(line("emails").value, 1, "the first sample for a time stands; an older sample never moves the current value");
    assert.equal(line("domains").quota, null);
    assert.equal(u.body.over_quota, true);
    const self = await fixture.world.keyFor("customer", id);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${id}/usage`, { key: self.key })).status, 200, "a customer reads its own usage");
    const other = await fixture.world.reseller();
    const foreign = await api(fixture.server.url, "POST", "/v1/usage", { key: other.key, body: { samples: [{ customer_id: id, resource: "ftps", value: 1, sampled_at: "2026-11-23T12:00:00Z" }] } });
    assert.equal(foreign.status, 404, foreign.text);
    assert.equal(foreign.body.errors[0].field, "samples.0.customer_id");
    const bad = await api(fixture.server.url, "POST", "/v1/usage", { key: r.key, body: { samples: [{ customer_id: id, resource: "cpu", value: -1, sampled_at: "yesterday" }] } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ["samples.0.resource", "samples.0.sampled_at", "samples.0.value"]);
  });
});
