import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { ManualClock } from "../../src/core/clock.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

/**
 * The verified-key cache on the read path: a cached key is refused as soon as any of its checks
 * would fail, revocation through the API applies at once, a change the process was not told about
 * (another process whose broadcast was lost) applies within the cache lifetime (10 s), and a GET
 * by id with a cached key costs one SQL statement.
 */
forEachDialect("REST API key cache", (dialect) => {
  let s: TestServer;
  const clock = new ManualClock(new Date());
  before(async () => {
    // No background jobs (sealer, delivery polling): the statement count below is the requests' own.
    s = await startServer(dialect, { audit: { seal: false }, events: { dispatch: false } }, clock);
  });
  after(async () => s.close());

  const newKey = async (body: Record<string, unknown> = {}) => {
    const r = await api(s.url, "POST", "/v1/api-keys", { body: { name: "cache", ...body } });
    assert.equal(r.status, 201, r.text);
    return r.body as { id: number; secret: string };
  };

  it("a cached key that expires meanwhile is refused at its expiry, not at the cache's", async () => {
    const k = await newKey({ expires_at: new Date(clock.now().getTime() + 3000).toISOString() });
    assert.equal((await api(s.url, "GET", "/v1/roles", { key: k.secret })).status, 200, "verified and cached");
    assert.equal((await api(s.url, "GET", "/v1/roles", { key: k.secret })).status, 200, "from the cache");
    clock.advance(3500);
    const r = await api(s.url, "GET", "/v1/roles", { key: k.secret });
    assert.equal(r.status, 401, r.text);
    assert.match(r.body.detail, /expired/);
  });

  it("a key revoked through the API is refused on the very next request", async () => {
    const k = await newKey();
    for (let i = 0; i < 3; i++) assert.equal((await api(s.url, "GET", "/v1/roles", { key: k.secret })).status, 200);
    assert.equal((await api(s.url, "DELETE", `/v1/api-keys/${k.id}`)).status, 200);
    assert.equal((await api(s.url, "GET", "/v1/roles", { key: k.secret })).status, 401);
  });

  it("a revocation this process was not told about applies within the 10 s cache lifetime", async () => {
    const k = await newKey();
    assert.equal((await api(s.url, "GET", "/v1/roles", { key: k.secret })).status, 200);
    // As if another process revoked it and its broadcast never arrived: the row changes, no invalidation.
    await s.app.storage.db.updateTable("api_keys").set({ revoked_at: clock.now().toISOString() }).where("id", "=", k.id).execute();
    assert.equal((await api(s.url, "GET", "/v1/roles", { key: k.secret })).status, 200, "still cached: the documented bound");
    clock.advance(10_001);
    assert.equal((await api(s.url, "GET", "/v1/roles", { key: k.secret })).status, 401, "re-read after the cache lifetime");
  });

  it("a GET by id with a cached key runs one SQL statement: the select", async () => {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "cache.stmts@example.com", first_name: "Ada", last_name: "Cache" } });
    assert.equal(c.status, 201, c.text);
    const get = () => api(s.url, "GET", `/v1/customers/${c.body.id}`);
    assert.equal((await get()).status, 200, "warms the key cache");
    const before = s.app.storage.stats().statements;
    for (let i = 0; i < 20; i++) assert.equal((await get()).status, 200);
    const sent = s.app.storage.stats().statements - before;
    assert.equal(sent, 20, `20 GETs sent ${sent} statements`);
    const missing = await api(s.url, "GET", "/v1/customers/999999999");
    assert.equal(missing.status, 404, "the compiled lookup still answers not found");
    const byHandle = await api(s.url, "GET", `/v1/customers/handle:${c.body.handle}`);
    assert.equal(byHandle.status, 200, byHandle.text);
    assert.equal(byHandle.body.id, c.body.id);
  });
});
