import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { type Actor, World } from "../security/world.js";
import { froxlor } from "./client.js";

forEachDialect("Froxlor HostingPlans.*, Customers.unlock and listFunctions", (dialect) => {
  let s: TestServer;
  let w: World;
  let admin: Actor;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    w = new World(s);
    admin = await w.keyFor("operator", await w.operatorId());
  });
  after(async () => s.close());

  it("adds, finds by name, lists, updates and deletes hosting plans", async () => {
    const added = await froxlor(s.url, admin.key, "HostingPlans.add", { name: "Pro", description: "for shops", diskspace: 10240, traffic_ul: 1, mysqls: 5, phpenabled: 1 });
    assert.equal(added.status, 200, added.text);
    const value = JSON.parse(added.body.data.value);
    assert.equal(value.diskspace, 10240, "plan values keep the units they were given in");
    assert.equal(value.traffic_ul, 1);
    assert.equal(value.mysqls, 5);
    assert.equal(value.phpenabled, 1);
    const byName = await froxlor(s.url, admin.key, "HostingPlans.get", { planname: "Pro" });
    assert.equal(byName.body.data.id, added.body.data.id);
    const listed = await froxlor(s.url, admin.key, "HostingPlans.listing", { sql_search: { name: "Pro" } });
    assert.equal(listed.body.data.count, 1);
    const updated = await froxlor(s.url, admin.key, "HostingPlans.update", { planname: "Pro", mysqls: 7, description: "for bigger shops" });
    assert.equal(JSON.parse(updated.body.data.value).mysqls, 7);
    assert.equal(JSON.parse(updated.body.data.value).diskspace, 10240, "values not sent stay");
    assert.equal(updated.body.data.description, "for bigger shops");
    const rest = await api(s.url, "GET", `/v1/hosting-plans/${added.body.data.id}`);
    assert.equal(rest.body.resources.mysqls, 7, "the same plan on REST");
    const missing = await froxlor(s.url, admin.key, "HostingPlans.get", { planname: "Nope" });
    assert.deepEqual([missing.status, missing.body.message], [404, "Hosting plan with name 'Nope' could not be found"]);
    assert.deepEqual((await froxlor(s.url, admin.key, "HostingPlans.get", {})).body, { message: 'Requested parameter "planname" could not be found for "HostingPlans:get"' });
    const deleted = await froxlor(s.url, admin.key, "HostingPlans.delete", { id: added.body.data.id });
    assert.equal(deleted.body.data.name, "Pro");
    assert.equal((await froxlor(s.url, admin.key, "HostingPlans.listingCount")).body.data, 0);
  });

  it("unlocks a locked customer and leaves any other unchanged", async () => {
    const r = await w.reseller();
    const c = await w.customer(r.id);
    await s.app.storage.db.updateTable("customers").set({ status: "locked" }).where("id", "=", c.id).execute();
    const locked = await froxlor(s.url, admin.key, "Customers.get", { id: c.id });
    assert.equal(locked.body.data.loginfail_count, 1);
    const unlocked = await froxlor(s.url, admin.key, "Customers.unlock", { id: c.id });
    assert.equal(unlocked.status, 200, unlocked.text);
    assert.equal(unlocked.body.data.loginfail_count, 0);
    assert.equal((await api(s.url, "GET", `/v1/customers/${c.id}`)).body.status, "active");
    const again = await froxlor(s.url, admin.key, "Customers.unlock", { id: c.id });
    assert.equal(again.status, 200, "unlocking an unlocked customer is not an error");
  });

  it("lists its functions, filtered by module and function, to any key", async () => {
    const all = await froxlor(s.url, admin.key, "Froxlor.listFunctions");
    const names = all.body.data.map((f: { module: string; function: string }) => `${f.module}.${f.function}`);
    for (const n of ["Customers.listing", "Customers.listingCount", "Customers.add", "HostingPlans.get", "Froxlor.listFunctions"]) assert.ok(names.includes(n), n);
    const one = await froxlor(s.url, admin.key, "Froxlor.listFunctions", { module: "Customers", function: "add" });
    assert.equal(one.body.data.length, 1);
    assert.deepEqual(one.body.data[0].access, { groups: "admin" });
    assert.ok(one.body.data[0].params.some((p: { parameter: string }) => p.parameter === "hosting_plan_id"));
    const customer = await w.customer((await w.reseller()).id);
    assert.equal((await froxlor(s.url, customer.key, "Froxlor.listFunctions")).status, 200, "no permission check");
  });
});
