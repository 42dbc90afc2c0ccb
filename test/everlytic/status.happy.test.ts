import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Context } from "../../src/core/context.js";
import { LifecycleCommands } from "../../src/modules/lifecycle/commands.js";
import { api, forEachDialect, OPERATOR_KEY, type TestServer, startServer } from "../helpers/harness.js";

forEachDialect("customer update with status: fields and a status in one command, through the life-cycle rules", (dialect) => {
  let s: TestServer;
  let ctx: Context;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    ctx = await s.app.services.requestAuth.withApiKey(OPERATOR_KEY, { clientIp: "127.0.0.1", requestId: "req_status_test", protocol: "everlytic" });
  });
  after(async () => s.close());

  const run = (ref: string, fields: Record<string, unknown>, status?: string, reason?: string) =>
    s.app.services.commands.execute(LifecycleCommands.updateWithStatus, ctx, { ...fields, ...(status ? { status } : {}), ...(reason ? { status_reason: reason } : {}) }, { ref });
  const create = async () => (await api(s.url, "POST", "/v1/customers", { body: { email: `st${Math.random().toString(36).slice(2, 9)}@status.example`, company: "Status Co" } })).body as { id: number };

  it("suspends like REST suspend: reason stored, sessions ended, audited as customer.suspend next to customer.update", async () => {
    const c = await create();
    const r = await run(String(c.id), { city: "Cape Town" }, "suspended", "through Everlytic");
    assert.equal(r.status, "suspended");
    assert.equal(r.city, "Cape Town");
    const lc = await api(s.url, "GET", `/v1/customers/${c.id}/lifecycle`);
    assert.equal(lc.body.reason, "through Everlytic");
    assert.equal(lc.body.imposed_by, "operator");
    const audit = await api(s.url, "GET", `/v1/audit?target_type=customer&target_id=${c.id}&request_id=req_status_test`);
    assert.deepEqual(audit.body.data.map((e: { operation: string }) => e.operation).sort(), ["customer.suspend", "customer.update"]);
    const back = await run(String(c.id), {}, "active");
    assert.equal(back.status, "active");
  });

  it("writes nothing when the transition is refused", async () => {
    const c = await create();
    await api(s.url, "POST", `/v1/customers/${c.id}/close`, { body: {} });
    await assert.rejects(
      run(String(c.id), { city: "Durban" }, "active"),
      (e: { code: string; message: string }) => e.code === "invalid_state_transition" && /closed/.test(e.message),
    );
    const read = await api(s.url, "GET", `/v1/customers/${c.id}`);
    assert.equal(read.body.city, null);
    assert.equal(read.body.status, "closed");
  });

  it("deletes through the same command, and a status already held changes nothing", async () => {
    const c = await create();
    const same = await run(String(c.id), {}, "active");
    assert.equal(same.version, 1);
    const d = await run(String(c.id), {}, "deleted");
    assert.equal(d.deleted, true);
  });
});
