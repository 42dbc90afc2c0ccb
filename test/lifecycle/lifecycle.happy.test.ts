import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

forEachDialect("life cycle: status transitions, reasons, anonymisation, purge", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect);
  });
  after(async () => s.close());

  const create = async (email: string) => {
    const r = await api(s.url, "POST", "/v1/customers", { body: { email, first_name: "Lee", last_name: "Cycle", country: "NL", phone: "+31 20 555 0000", city: "Utrecht" } });
    assert.equal(r.status, 201, r.text);
    return r.body as { id: number; login: string };
  };

  it("suspends with a reason, shows it and the allowed actions, and unsuspends", async () => {
    const c = await create("susp@life.example");
    const s1 = await api(s.url, "POST", `/v1/customers/${c.id}/suspend`, { body: { reason: "abuse report #42" } });
    assert.equal(s1.status, 200, s1.text);
    assert.equal(s1.body.status, "suspended");
    const lc = await api(s.url, "GET", `/v1/customers/${c.id}/lifecycle`);
    assert.equal(lc.body.reason, "abuse report #42");
    assert.equal(lc.body.imposed_by, "operator");
    assert.equal(lc.body.can_log_in, false);
    assert.deepEqual(lc.body.allowed_actions, ["unsuspend", "deactivate", "close"]);
    const back = await api(s.url, "POST", `/v1/customers/${c.id}/unsuspend`, { body: {} });
    assert.equal(back.body.status, "active");
  });

  it("walks deactivate -> reactivate -> request cancellation -> withdraw -> close", async () => {
    const c = await create("walk@life.example");
    for (const [path, body, status] of [
      ["deactivate", {}, "deactivated"],
      ["reactivate", {}, "active"],
      ["request-cancellation", { reason: "moving to another provider" }, "cancellation_requested"],
      ["withdraw-cancellation", {}, "active"],
      ["close", {}, "closed"],
    ] as const) {
      const r = await api(s.url, "POST", `/v1/customers/${c.id}/${path}`, { body });
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      assert.equal(r.body.status, status);
    }
  });

  it("lets a logged-in customer request cancellation of its own account", async () => {
    const c = await create("self@life.example");
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: "Cancel-Me-Please-1" } })).status, 204);
    const session = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: "Cancel-Me-Please-1" } });
    const r = await api(s.url, "POST", "/v1/me/request-cancellation", { key: session.body.token, body: { reason: "too expensive" } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, "cancellation_requested");
    assert.equal((await api(s.url, "GET", "/v1/me/credentials", { key: session.body.token })).status, 200, "a customer with a pending cancellation may still log in");
  });

  it("anonymises a deleted customer's personal data on its tombstone, and purge removes credential rows too", async () => {
    const c = await create("erase@life.example");
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: "Erase-Me-Now-12" } })).status, 204);
    assert.equal((await api(s.url, "DELETE", `/v1/customers/${c.id}`)).status, 200);
    const a = await api(s.url, "POST", `/v1/customers/${c.id}/anonymise`);
    assert.equal(a.status, 200, a.text);
    assert.equal(a.body.deleted, true);
    assert.equal(a.body.first_name, null);
    assert.equal(a.body.phone, null);
    assert.equal(a.body.city, null);
    assert.match(a.body.email, /^anonymised-\d+@anonymised\.invalid$/);
    assert.ok(!a.text.includes("Utrecht") && !a.text.includes("erase@life"));
    const c2 = await create("purge@life.example");
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c2.id}/password`, { body: { password: "Purge-Me-Now-12" } })).status, 204);
    await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c2.login, password: "Purge-Me-Now-12" } });
    await api(s.url, "POST", `/v1/customers/${c2.id}/suspend`, { body: { reason: "x" } });
    const p = await api(s.url, "POST", `/v1/customers/${c2.id}/purge`);
    assert.equal(p.status, 204, p.text);
    assert.equal((await api(s.url, "GET", `/v1/customers/${c2.id}`)).status, 404);
  });
});
