import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { type App, createApp } from "../../src/app.js";
import { api, createTestDatabase, forEachDialect, type TestDatabase, testConfig } from "../helpers/harness.js";

/**
 * Custos keeps no request state in a process: two servers on one database must behave as one.
 * Each side here is a full app with its own pool, caches and limiter, listening on its own port.
 */
forEachDialect("two Custos servers on one database", (dialect) => {
  let db: TestDatabase;
  let a: App;
  let b: App;
  let urlA: string;
  let urlB: string;
  before(async () => {
    db = await createTestDatabase(dialect);
    a = await createApp(testConfig(db));
    b = await createApp(testConfig(db));
    urlA = await a.http.listen({ port: 0, host: "127.0.0.1" });
    urlB = await b.http.listen({ port: 0, host: "127.0.0.1" });
  });
  after(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it("reads on one what the other wrote, and refuses a stale If-Match across them", async () => {
    const c = await api(urlA, "POST", "/v1/customers", { body: { email: "two@procs.example", company: "Two Procs" } });
    assert.equal(c.status, 201, c.text);
    const read = await api(urlB, "GET", `/v1/customers/${c.body.id}`);
    assert.equal(read.body.email, "two@procs.example");
    assert.equal((await api(urlB, "PATCH", `/v1/customers/${c.body.id}`, { body: { city: "Zwolle" }, headers: { "if-match": '"v1"' } })).status, 200);
    const stale = await api(urlA, "PATCH", `/v1/customers/${c.body.id}`, { body: { city: "Assen" }, headers: { "if-match": '"v1"' } });
    assert.equal(stale.status, 412);
  });

  it("replays an idempotent create on the other server", async () => {
    const body = { email: "idem@procs.example", company: "Idem Procs" };
    const first = await api(urlA, "POST", "/v1/customers", { body, headers: { "idempotency-key": "cross-1" } });
    const again = await api(urlB, "POST", "/v1/customers", { body, headers: { "idempotency-key": "cross-1" } });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(again.body.id, first.body.id);
  });

  it("accepts a REST session and an INWX cookie opened on the other server, and ends them there too", async () => {
    const c = (await api(urlA, "POST", "/v1/customers", { body: { email: "sess@procs.example", login: "procsuser", company: "Sess" } })).body;
    assert.equal((await api(urlA, "PUT", `/v1/customers/${c.id}/password`, { body: { password: "Correct-Horse-Battery-9" } })).status, 204);
    const session = await api(urlA, "POST", "/v1/sessions", { key: null, body: { identifier: "procsuser", password: "Correct-Horse-Battery-9" } });
    assert.equal((await api(urlB, "GET", "/v1/me/credentials", { key: session.body.token })).status, 200);

    const login = await fetch(`${urlA}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ method: "account.login", params: { user: "procsuser", pass: "Correct-Horse-Battery-9" } }) });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const rpc = async (base: string, method: string) => {
      const r = await fetch(`${base}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ method, params: {} }) });
      return ((await r.json()) as { code: number }).code;
    };
    assert.equal(await rpc(urlB, "customer.info"), 1000);
    assert.equal(await rpc(urlB, "account.logout"), 1500);
    assert.equal(await rpc(urlA, "customer.info"), 2002, "logged out on B means logged out on A");
  });

  it("keeps one audit chain that both servers extend", async () => {
    await api(urlA, "POST", "/v1/customers", { body: { email: "chain-a@procs.example", company: "Chain A" } });
    await api(urlB, "POST", "/v1/customers", { body: { email: "chain-b@procs.example", company: "Chain B" } });
    const v = await api(urlA, "GET", "/v1/audit/verify");
    assert.equal(v.body.ok, true, v.text);
  });

  // Several processes are the PostgreSQL deployment; SQLite is one process on one machine.
  if (dialect === "postgres") {
    it("stops a key revoked on one server at once on the other, not after the cache expiry", async () => {
      const k = (await api(urlA, "POST", "/v1/api-keys", { body: { name: "cross-process" } })).body;
      assert.equal((await api(urlB, "GET", "/v1/roles", { key: k.secret })).status, 200, "B has verified and cached the key");
      assert.equal((await api(urlA, "DELETE", `/v1/api-keys/${k.id}`)).status, 200);
      // The broadcast travels through the database; allow it a moment, far below the 10 s cache expiry.
      let status = 0;
      for (let i = 0; i < 40 && status !== 401; i++) {
        status = (await api(urlB, "GET", "/v1/roles", { key: k.secret })).status;
        if (status !== 401) await new Promise((r) => setTimeout(r, 25));
      }
      assert.equal(status, 401);
    });

    it("keeps the audit chain intact under concurrent writes through both servers", async () => {
      const writes = Array.from({ length: 24 }, (_, i) =>
        api(i % 2 === 0 ? urlA : urlB, "POST", "/v1/customers", { body: { email: `burst${i}@procs.example`, company: `Burst ${i}` } }),
      );
      const results = await Promise.all(writes);
      assert.deepEqual(
        results.map((r) => r.status),
        results.map(() => 201),
      );
      const v = await api(urlB, "GET", "/v1/audit/verify");
      assert.equal(v.body.ok, true, v.text);
    });
  }
});
