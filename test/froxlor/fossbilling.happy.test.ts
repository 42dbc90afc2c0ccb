import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { type Actor, World } from "../security/world.js";
import { froxlor } from "./client.js";

/**
 * Replays what FOSSBilling's Froxlor module sends (through FroxlorAPI.php: Basic credentials,
 * JSON body, JSON booleans) and asserts on the fields the module reads.
 */
forEachDialect("Froxlor: the FOSSBilling module's calls", (dialect) => {
  let s: TestServer;
  let reseller: Actor;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    const w = new World(s);
    reseller = await w.reseller("Hoster");
    await api(s.url, "POST", "/v1/hosting-plans", { body: { name: "Starter", resources: { diskspace_mb: 2048, traffic_gb: 50, emails: 10, mysqls: 2 } } });
  });
  after(async () => s.close());

  it("tests the connection, provisions, suspends, unsuspends, changes the password and terminates", async () => {
    const ping = await froxlor(s.url, reseller.key, "Froxlor.listFunctions");
    assert.equal(ping.status, 200, ping.text);
    assert.ok(Array.isArray(ping.body.data) && ping.body.data.length > 0);

    const plan = await froxlor(s.url, reseller.key, "HostingPlans.get", { planname: "Starter" });
    assert.equal(plan.status, 200, plan.text);
    const planId = plan.body.data.id;
    assert.equal(typeof planId, "number");

    const add = await froxlor(s.url, reseller.key, "Customers.add", {
      new_loginname: "fossuser1",
      email: "client@fossbilling.example",
      firstname: "Client",
      company: "Client Ltd",
      new_customer_password: "Str0ng-Passw0rd!",
      hosting_plan_id: planId,
      api_allowed: false,
    });
    assert.equal(add.status, 200, add.text);
    const customerId = add.body.data.customerid;
    assert.equal(typeof customerId, "number");
    assert.equal(add.body.data.diskspace, 2048 * 1024, "the plan's values, in KiB");
    assert.equal(add.body.data.traffic, 50 * 1024 * 1024);
    assert.equal(add.body.data.api_allowed, 0);

    const suspend = await froxlor(s.url, reseller.key, "Customers.update", { loginname: "fossuser1", deactivated: true });
    assert.equal(suspend.status, 200, suspend.text);
    assert.equal(suspend.body.data.deactivated, 1);
    const unsuspend = await froxlor(s.url, reseller.key, "Customers.update", { loginname: "fossuser1", deactivated: false });
    assert.equal(unsuspend.body.data.deactivated, 0);

    const pw = await froxlor(s.url, reseller.key, "Customers.update", { loginname: "fossuser1", new_customer_password: "An0ther-Passw0rd!" });
    assert.equal(pw.status, 200, pw.text);
    const login = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: "fossuser1", password: "An0ther-Passw0rd!" } });
    assert.equal(login.status, 201, `the new password works: ${login.text}`);

    const del = await froxlor(s.url, reseller.key, "Customers.delete", { loginname: "fossuser1", delete_userfiles: true });
    assert.equal(del.status, 200, del.text);
    assert.equal(del.body.data.loginname, "fossuser1");
    assert.equal(del.body.data.deactivated, 0, "the row as it was before the delete");
    const gone = await froxlor(s.url, reseller.key, "Customers.get", { loginname: "fossuser1" });
    assert.equal(gone.status, 404, gone.text);
    assert.deepEqual(gone.body, { message: "Customer with loginname 'fossuser1' could not be found" });
    const again = await froxlor(s.url, reseller.key, "Customers.delete", { loginname: "fossuser1", delete_userfiles: true });
    assert.deepEqual([again.status, again.body.message], [404, "Customer with loginname 'fossuser1' could not be found"], "a second terminate finds nothing");
    const late = await froxlor(s.url, reseller.key, "Customers.update", { loginname: "fossuser1", deactivated: true });
    assert.equal(late.status, 404);
  });
});
