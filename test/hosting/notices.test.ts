import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

forEachDialect("hosting: notices (listNotices, acknowledgeNotice)", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("lists a customer's own and the global notices; acknowledging a global one is per customer", async () => {
    const r = await fixture.world.reseller();
    const c1 = await fixture.world.customer(r.id);
    const c2 = await fixture.world.customer(r.id);
    const global = await api(fixture.server.url, "POST", "/v1/notices", { body: { customer_id: null, type: "maintenance", title: "Network maintenance", body: "Sunday 02:00-04:00 UTC", severity: "warning" } });
    assert.equal(global.status, 201, global.text);
    const own = await api(fixture.server.url, "POST", "/v1/notices", { key: r.key, body: { customer_id: c1.id, type: "billing", title: "Invoice overdue" } });
    assert.equal(own.status, 201, own.text);
    const list1 = await api(fixture.server.url, "GET", `/v1/customers/${c1.id}/notices?limit=100`, { key: c1.key });
    const ids1 = list1.body.data.map((n: { id: number }) => n.id);
    assert.ok(ids1.includes(global.body.id) && ids1.includes(own.body.id));
    const list2 = await api(fixture.server.url, "GET", `/v1/customers/${c2.id}/notices?limit=100`, { key: c2.key });
    assert.ok(!list2.body.data.some((n: { id: number }) => n.id === own.body.id), "another customer's notice is not listed");
    const ack = await api(fixture.server.url, "POST", `/v1/customers/${c1.id}/notices/${global.body.id}/acknowledge`, { key: c1.key });
    assert.equal(ack.status, 200, ack.text);
    assert.equal(ack.body.acknowledged, true);
    const ackAgain = await api(fixture.server.url, "POST", `/v1/customers/${c1.id}/notices/${global.body.id}/acknowledge`, { key: c1.key });
    assert.equal(ackAgain.body.acknowledged_at, ack.body.acknowledged_at, "acknowledging twice keeps the first time");
    const after1 = await api(fixture.server.url, "GET", `/v1/customers/${c1.id}/notices?limit=100`, { key: c1.key });
    assert.equal(after1.body.data.find((n: { id: number }) => n.id === global.body.id).acknowledged, true);
    const after2 = await api(fixture.server.url, "GET", `/v1/customers/${c2.id}/notices?limit=100`, { key: c2.key });
    assert.equal(after2.body.data.find((n: { id: number }) => n.id === global.body.id).acknowledged, false);
  });

  it("leaves out notices neither created nor updated since the given time, and pages with cursors", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const made: number[] = [];
    for (let i = 0; i < 3; i++) made.push((await api(fixture.server.url, "POST", "/v1/notices", { body: { customer_id: c.id, title: `n${i}` } })).body.id);
    const future = Math.floor(Date.now() / 1000) + 3600;
    const none = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/notices?since=${future}`, { key: c.key });
    assert.ok(!none.body.data.some((n: { id: number }) => made.includes(n.id)));
    const iso = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/notices?since=2000-01-01T00:00:00Z&limit=1`, { key: c.key });
    assert.equal(iso.status, 200, iso.text);
    assert.equal(iso.body.has_more, true);
    const next = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/notices?limit=100&starting_after=${iso.body.next_cursor}`, { key: c.key });
    assert.ok(next.body.data.every((n: { id: number }) => n.id > iso.body.data[0].id));
    const bad = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/notices?since=yesterday`, { key: c.key });
    assert.equal(bad.status, 422);
  });

  it("updates with If-Match, refuses a stale ETag, and keeps global notices to operators", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const n = await api(fixture.server.url, "POST", "/v1/notices", { key: r.key, body: { customer_id: c.id, title: "Draft", type: "security" } });
    const etag = n.headers.get("etag") ?? "";
    const ok = await api(fixture.server.url, "PATCH", `/v1/notices/${n.body.id}`, { key: r.key, headers: { "if-match": etag }, body: { title: "Final" } });
    assert.equal(ok.status, 200, ok.text);
    const stale = await api(fixture.server.url, "PATCH", `/v1/notices/${n.body.id}`, { key: r.key, headers: { "if-match": etag }, body: { title: "Again" } });
    assert.equal(stale.status, 412);
    const notModified = await api(fixture.server.url, "GET", `/v1/notices/${n.body.id}`, { key: c.key, headers: { "if-none-match": ok.headers.get("etag") ?? "" } });
    assert.equal(notModified.status, 304);
    assert.equal((await api(fixture.server.url, "POST", "/v1/notices", { key: r.key, body: { customer_id: null, title: "All" } })).status, 403);
    assert.equal((await api(fixture.server.url, "POST", "/v1/notices", { key: c.key, body: { customer_id: c.id, title: "Me" } })).status, 403);
    const badType = await api(fixture.server.url, "POST", "/v1/notices", { body: { customer_id: c.id, title: "X", type: "gossip" } });
    assert.equal(badType.status, 422);
    assert.equal(badType.body.errors[0].field, "type");
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/notices/${n.body.id}`, { key: c.key })).status, 403);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/notices/${n.body.id}`, { key: r.key })).status, 204);
  });

  it("another tenant's notice answers like a missing one", async () => {
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const b1 = await fixture.world.customer(b.id);
    const n = await api(fixture.server.url, "POST", "/v1/notices", { key: b.key, body: { customer_id: b1.id, title: "B only" } });
    const foreign = await api(fixture.server.url, "GET", `/v1/notices/${n.body.id}`, { key: a.key });
    const absent = await api(fixture.server.url, "GET", "/v1/notices/99999999", { key: a.key });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail, absent.body.detail);
    assert.equal((await api(fixture.server.url, "PATCH", `/v1/notices/${n.body.id}`, { key: a.key, body: { title: "hijack" } })).status, 404);
    assert.equal((await api(fixture.server.url, "POST", `/v1/customers/${b1.id}/notices/${n.body.id}/acknowledge`, { key: a.key })).status, 404);
  });
});
