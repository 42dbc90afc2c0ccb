import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Context } from "../../src/core/context.js";
import { api, forEachDialect, OPERATOR_KEY, type TestServer, startServer } from "../helpers/harness.js";

forEachDialect("updateWithStatus: fields and a status in one command, through the life-cycle rules", (dialect) => {
  let s: TestServer;
  let ctx: Context;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    ctx = await s.app.services.requestAuth.withApiKey(OPERATOR_KEY, { clientIp: "127.0.0.1", requestId: "req_status_test", protocol: "everlytic" });
  });
  after(async () => s.close());

  const create = async () => (await api(s.url, "POST", "/v1/customers", { body: { email: `st${Math.random().toString(36).slice(2, 9)}@status.example`, company: "Status Co" } })).body as { id: number };

  it("suspends like REST suspend: reason stored, sessions ended, audited as customer.suspend next to customer.update", async () => {
    const c = await create();
    const lifecycle = s.app.services.lifecycle;
    const r = await lifecycle.updateWithStatus(ctx, String(c.id), { city: "Cape Town" }, { status: "suspended", reason: "through Everlytic" });
    assert.equal(r.status, "suspended");
    assert.equal(r.city, "Cape Town");
    const lc = await api(s.url, "GET", `/v1/customers/${c.id}/lifecycle`);
    assert.equal(lc.body.reason, "through Everlytic");
    assert.equal(lc.body.imposed_by, "operator");
    const audit = await api(s.url, "GET", `/v1/audit?target_type=customer&target_id=${c.id}&request_id=req_status_test`);
    assert.deepEqual(audit.body.data.map((e: { operation: string }) => e.operation).sort(), ["customer.suspend", "customer.update"]);
    const back = await lifecycle.updateWithStatus(ctx, String(c.id), {}, { status: "active", reason: "" });
    assert.equal(back.status, "active");
  });

  it("writes nothing when the transition is refused", async () => {
    const c = await create();
    await api(s.url, "POST", `/v1/customers/${c.id}/close`, { body: {} });
    await assert.rejects(
      s.app.services.lifecycle.updateWithStatus(ctx, String(c.id), { city: "Durban" }, { status: "active", reason: "" }),
      (e: { code: string; message: string }) => e.code === "invalid_state_transition" && /closed/.test(e.message),
    );
    const read = await api(s.url, "GET", `/v1/customers/${c.id}`);
    assert.equal(read.body.city, null);
    assert.equal(read.body.status, "closed");
  });

  it("deletes through the same command, and a status already held changes nothing", async () => {
    const c = await create();
    const same = await s.app.services.lifecycle.updateWithStatus(ctx, String(c.id), {}, { status: "active", reason: "" });
    assert.equal(same.version, 1);
    const d = await s.app.services.lifecycle.updateWithStatus(ctx, String(c.id), {}, { status: "deleted", reason: "" });
    assert.equal(d.deleted, true);
  });
});
