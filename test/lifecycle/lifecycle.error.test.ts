import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Context } from "../../src/core/context.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

forEachDialect("life cycle: refused transitions", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect);
  });
  after(async () => s.close());

  const create = async (email: string) => (await api(s.url, "POST", "/v1/customers", { body: { email, company: "Err Ltd" } })).body as { id: number; owner_id: number };

  it("names from and to in a 409 invalid_state_transition", async () => {
    const c = await create("bad@life.example");
    const r = await api(s.url, "POST", `/v1/customers/${c.id}/unsuspend`, { body: {} });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.code, "invalid_state_transition");
    assert.match(r.body.detail, /active/);
    assert.match(r.body.detail, /suspended/);
    await api(s.url, "POST", `/v1/customers/${c.id}/close`, { body: {} });
    const reopen = await api(s.url, "POST", `/v1/customers/${c.id}/reactivate`, { body: {} });
    assert.equal(reopen.status, 409);
    assert.match(reopen.body.detail, /closed/);
    const anon = await api(s.url, "POST", `/v1/customers/${c.id}/anonymise`);
    assert.equal(anon.status, 409, "only tombstones are anonymised");
  });

  it("requires a reason to suspend or request cancellation, naming the field", async () => {
    const c = await create("reason@life.example");
    for (const path of ["suspend", "request-cancellation"]) {
      const r = await api(s.url, "POST", `/v1/customers/${c.id}/${path}`, { body: {} });
      assert.equal(r.status, 422, r.text);
      assert.equal(r.body.errors[0].field, "reason");
    }
    const unknown = await api(s.url, "POST", `/v1/customers/${c.id}/suspend`, { body: { reason: "x", until: "never" } });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.errors[0].field, "until");
  });

  it("lets only an operator lift a suspension an operator imposed", async () => {
    const c = await create("opsusp@life.example");
    await api(s.url, "POST", `/v1/customers/${c.id}/suspend`, { body: { reason: "fraud check" } });
    // A reseller owning the customer (the service checks the imposer, whatever the protocol).
    const reseller: Context = {
      principal: { kind: "reseller", id: c.owner_id, keyId: null, sessionId: null, roles: ["owner"], permissions: new Set(["*"]) },
      requestId: "t",
      clientIp: null,
      protocol: "test",
    };
    await assert.rejects(s.app.services.lifecycle.transition(reseller, String(c.id), "unsuspend", {}), (e: { code?: string }) => e.code === "forbidden");
    assert.equal((await api(s.url, "POST", `/v1/customers/${c.id}/unsuspend`, { body: {} })).status, 200);
  });

  it("refuses lifecycle admin actions to a customer session", async () => {
    const c = await create("cust@life.example");
    await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: "Self-Service-12" } });
    const login = (await api(s.url, "GET", `/v1/customers/${c.id}`)).body.login;
    const session = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: login, password: "Self-Service-12" } });
    const r = await api(s.url, "POST", `/v1/customers/${c.id}/unlock`, { key: session.body.token, body: {} });
    assert.equal(r.status, 403);
  });
});
