import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { REDACTED } from "../../src/modules/idempotency/service.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { World } from "./world.js";

/** Issue 10, items 1 and 5: an Idempotency-Key replay is authorized, per credential, and secret-free. */
forEachDialect("Idempotency-Key replays", (dialect) => {
  let s: TestServer;
  let world: World;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    world = new World(s);
  });
  after(async () => s.close());

  const storedText = async (): Promise<string> => {
    const rows = await s.app.storage.db.selectFrom("idempotency_keys").selectAll().execute();
    return JSON.stringify(rows);
  };

  it("refuses a read-only key that resends another key's POST /v1/api-keys, and shows it no secret", async () => {
    const reseller = await world.reseller("Idem");
    const readOnly = await world.keyFor("reseller", reseller.id, ["read-only"]);
    const body = { name: "minted by owner" };
    const headers = { "idempotency-key": "owner-mint-1" };
    const first = await api(s.url, "POST", "/v1/api-keys", { key: reseller.key, body, headers });
    assert.equal(first.status, 201, first.text);
    const replay = await api(s.url, "POST", "/v1/api-keys", { key: readOnly.key, body, headers });
    assert.equal(replay.status, 403, replay.text);
    assert.ok(!replay.text.includes(first.body.secret));
  });

  it("keeps each key's Idempotency-Keys its own: a second owner key of the principal runs anew", async () => {
    const reseller = await world.reseller("Scope");
    const second = await world.keyFor("reseller", reseller.id, ["owner"]);
    const body = { name: "same key, two credentials" };
    const headers = { "idempotency-key": "scope-1" };
    const a = await api(s.url, "POST", "/v1/api-keys", { key: reseller.key, body, headers });
    const b = await api(s.url, "POST", "/v1/api-keys", { key: second.key, body, headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers.get("idempotent-replayed"), null);
    assert.notEqual(b.body.id, a.body.id);
  });

  it("stores no API-key secret and replays the creation with the secret redacted", async () => {
    const headers = { "idempotency-key": "secret-1" };
    const body = { name: "secret bearing" };
    const a = await api(s.url, "POST", "/v1/api-keys", { body, headers });
    assert.equal(a.status, 201);
    assert.ok(!(await storedText()).includes(a.body.secret), "the secret is not in idempotency_keys");
    const b = await api(s.url, "POST", "/v1/api-keys", { body, headers });
    assert.equal(b.status, 201);
    assert.equal(b.headers.get("idempotent-replayed"), "true");
    assert.equal(b.body.id, a.body.id);
    assert.equal(b.body.secret, REDACTED);
    assert.equal(b.headers.get("idempotency-redacted"), "secret");
  });

  it("stores no download token and replays an export request without it", async () => {
    const reseller = await world.reseller("Export");
    const c = await world.customer(reseller.id);
    const headers = { "idempotency-key": "export-1" };
    const a = await api(s.url, "POST", `/v1/customers/${c.id}/exports`, { body: {}, headers });
    assert.equal(a.status, 202, a.text);
    assert.ok(!(await storedText()).includes(a.body.token));
    const b = await api(s.url, "POST", `/v1/customers/${c.id}/exports`, { body: {}, headers });
    assert.equal(b.status, 202);
    assert.equal(b.headers.get("idempotent-replayed"), "true");
    assert.equal(b.body.token, REDACTED);
    assert.equal(b.headers.get("location"), null);
  });

  it("lets concurrent duplicates of one key wait and replay: one customer, every answer 201", async () => {
    const body = { email: "idem-wait@example.com", company: "Wait" };
    const results = await Promise.all(Array.from({ length: 6 }, () => api(s.url, "POST", "/v1/customers", { body, headers: { "idempotency-key": "k-wait" } })));
    for (const r of results) assert.equal(r.status, 201, r.text);
    assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
    assert.equal(results.filter((r) => r.headers.get("idempotent-replayed") === "true").length, 5);
  });

  it("rolls back the claim with a failed write, so nothing is stuck and the retry runs once", async () => {
    // A row left "running" by an older version (claim committed before the write) frees the key.
    await s.app.storage.db
      .insertInto("idempotency_keys")
      .values({ scope: "operator:1", key: "stuck-1", request_hash: "x", state: "running", status_code: null, response_body: null, response_headers: null, created_at: new Date().toISOString() })
      .execute();
    const ownerScope = await s.app.storage.db.selectFrom("api_keys").select("id").where("name", "=", "bootstrap operator key").executeTakeFirstOrThrow();
    await s.app.storage.db
      .insertInto("idempotency_keys")
      .values({ scope: `key:${ownerScope.id}`, key: "stuck-1", request_hash: "x", state: "running", status_code: null, response_body: null, response_headers: null, created_at: new Date().toISOString() })
      .execute();
    const r = await api(s.url, "POST", "/v1/customers", { body: { email: "unstuck@example.com", company: "Unstuck" }, headers: { "idempotency-key": "stuck-1" } });
    assert.equal(r.status, 201, r.text);
  });
});
