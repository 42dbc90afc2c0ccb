import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

forEachDialect("REST audit log: filters, paging, chain verification", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect);
  });
  after(async () => s.close());

  it("records actor, key, client IP and request id of each mutation and filters on them", async () => {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "audit1@example.com", company: "Audit One" }, headers: { "x-request-id": "req-audit-1" } });
    assert.equal(c.status, 201, c.text);
    await api(s.url, "PATCH", `/v1/customers/${c.body.id}`, { body: { city: "Delft" } });
    const byReq = await api(s.url, "GET", "/v1/audit?request_id=req-audit-1");
    assert.equal(byReq.status, 200, byReq.text);
    assert.equal(byReq.body.data.length, 1);
    const e = byReq.body.data[0];
    assert.equal(e.operation, "customer.create");
    assert.equal(e.actor.kind, "operator");
    assert.ok(e.actor.key_id > 0);
    assert.match(e.client_ip, /127\.0\.0\.1/);
    assert.equal(e.protocol, "rest");
    const byTarget = await api(s.url, "GET", `/v1/audit?target_type=customer&target_id=${c.body.id}`);
    assert.deepEqual(byTarget.body.data.map((x: { operation: string }) => x.operation), ["customer.update", "customer.create"]);
    assert.deepEqual(byTarget.body.data[0].changes.city, { before: null, after: "Delft" });
    const byActor = await api(s.url, "GET", `/v1/audit?actor=operator:${e.actor.id}&operation=customer.update`);
    assert.ok(byActor.body.data.length >= 1);
    const future = await api(s.url, "GET", "/v1/audit?since=2999-01-01T00:00:00Z");
    assert.equal(future.body.data.length, 0);
    const bad = await api(s.url, "GET", "/v1/audit?actor=bob&limit=0");
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((x: { field: string }) => x.field).sort(), ["query.actor", "query.limit"]);
  });

  it("pages with cursors in both directions", async () => {
    for (let i = 0; i < 5; i++) await api(s.url, "POST", "/v1/customers", { body: { email: `page${i}@audit.example`, company: `P${i}` } });
    const p1 = await api(s.url, "GET", "/v1/audit?operation=customer.create&limit=2");
    assert.equal(p1.body.data.length, 2);
    assert.equal(p1.body.has_more, true);
    assert.equal(p1.body.prev_cursor, null);
    const p2 = await api(s.url, "GET", `/v1/audit?operation=customer.create&limit=2&starting_after=${p1.body.next_cursor}`);
    assert.ok(p2.body.data[0].id < p1.body.data[1].id);
    const back = await api(s.url, "GET", `/v1/audit?operation=customer.create&limit=2&ending_before=${p2.body.prev_cursor}`);
    assert.deepEqual(back.body.data.map((x: { id: number }) => x.id), p1.body.data.map((x: { id: number }) => x.id));
  });

  it("never holds secrets: key creation and secret-named fields are redacted", async () => {
    const k = await api(s.url, "POST", "/v1/api-keys", { body: { name: "audited" } });
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "redact@audit.example", company: "R" } });
    await api(s.url, "PATCH", `/v1/customers/${c.body.id}`, { body: { metadata: { api_token: "tok-SECRET-123", plan: "gold" } } });
    const all = await api(s.url, "GET", "/v1/audit?limit=200");
    assert.ok(!all.text.includes(k.body.secret), "the key secret is never logged");
    assert.ok(!all.text.includes("tok-SECRET-123"));
    assert.ok(all.text.includes("[redacted]"));
    const rows = await s.app.storage.db.selectFrom("audit_log").select("diff").execute();
    assert.ok(rows.every((r) => !r.diff.includes(k.body.secret) && !r.diff.includes("tok-SECRET-123")));
  });

  it("entries survive the purge of the customer they describe", async () => {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "purged@audit.example", company: "Purged" } });
    assert.equal((await api(s.url, "POST", `/v1/customers/${c.body.id}/purge`)).status, 204);
    const left = await api(s.url, "GET", `/v1/audit?target_type=customer&target_id=${c.body.id}`);
    assert.deepEqual(left.body.data.map((x: { operation: string }) => x.operation), ["customer.purge", "customer.create"]);
  });

  it("verifies an intact chain, and finds the first tampered entry", async () => {
    await s.app.services.auditSealer.drain();
    const ok = await api(s.url, "GET", "/v1/audit/verify");
    assert.equal(ok.status, 200);
    assert.equal(ok.body.ok, true, ok.text);
    assert.ok(ok.body.entries > 5);
    assert.equal(ok.body.unsealed, 0);
    const direct = await s.app.services.auditReader.verifyChain();
    assert.deepEqual({ ok: direct.ok, entries: direct.entries, brokenAt: direct.brokenAt, reason: direct.reason }, { ok: true, entries: ok.body.entries, brokenAt: null, reason: null });
    const db = s.app.storage.db;
    const victim = await db.selectFrom("audit_log").select(["id", "diff"]).orderBy("id").offset(2).limit(1).executeTakeFirstOrThrow();
    await db.updateTable("audit_log").set({ diff: victim.diff.replace("}", ',"x":1}') }).where("id", "=", victim.id).execute();
    const broken = await api(s.url, "GET", "/v1/audit/verify");
    assert.equal(broken.body.ok, false);
    assert.equal(broken.body.broken_at, victim.id);
    assert.match(broken.body.reason, /hash/);
  });
});
