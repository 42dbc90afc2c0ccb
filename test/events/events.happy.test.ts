import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { World } from "../security/world.js";
import { FAST_EVENTS, Receiver, startSmtp } from "./receiver.js";

forEachDialect("events: the feed, tenancy and the life of a failing endpoint", (dialect) => {
  let s: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp();
    s = await startServer(dialect, { events: { ...FAST_EVENTS, retryWindowSeconds: 1 }, rateLimit: 0, smtpUrl: smtp.url });
  });
  after(async () => {
    await s.close();
    await smtp.close();
  });

  it("writes one event per mutation in its transaction, and none for a refused one", async () => {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "feed@events.example", company: "Feed" } });
    await api(s.url, "POST", `/v1/customers/${c.body.id}/suspend`, { body: { reason: "unpaid invoice" } });
    const refused = await api(s.url, "POST", `/v1/customers/${c.body.id}/suspend`, { body: { reason: "again" } });
    assert.equal(refused.status, 409);
    const r = await api(s.url, "GET", `/v1/events?customer_id=${c.body.id}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.data.map((e: { type: string }) => e.type), ["customer.created", "customer.suspended"]);
    const susp = r.body.data[1];
    assert.match(susp.id, /^evt_\d+$/);
    assert.deepEqual(susp.data, { customer_id: c.body.id, from: "active", to: "suspended", reason: "unpaid invoice" });
    assert.notEqual(susp.request_id, refused.headers.get("x-request-id"), "the refused request left no event");
  });

  it("forgets a customer's events when it is purged; only the purge itself remains", async () => {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "forget@events.example", company: "Forget Me" } });
    await api(s.url, "PATCH", `/v1/customers/${c.body.id}`, { body: { city: "Breda" } });
    assert.equal((await api(s.url, "DELETE", `/v1/customers/${c.body.id}`)).status, 200);
    assert.equal((await api(s.url, "POST", `/v1/customers/${c.body.id}/purge`)).status, 204);
    const r = await api(s.url, "GET", `/v1/events?customer_id=${c.body.id}`);
    assert.deepEqual(r.body.data.map((e: { type: string }) => e.type), ["customer.purged"]);
    assert.ok(!r.text.includes("forget@events.example"));
  });

  it("pages forward with starting_after so a poller catches up, and filters by type and object", async () => {
    for (let i = 0; i < 5; i++) await api(s.url, "POST", "/v1/customers", { body: { email: `page${i}@events.example`, company: `Page ${i}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const q: string = `/v1/events?type=customer.created&limit=2${cursor ? `&starting_after=${cursor}` : ""}`;
      const page = await api(s.url, "GET", q);
      assert.equal(page.status, 200, page.text);
      for (const e of page.body.data) seen.push(e.id);
      cursor = page.body.next_cursor;
      if (!page.body.has_more) break;
    }
    assert.ok(seen.length >= 6, `saw ${seen.length}`);
    assert.equal(new Set(seen).size, seen.length, "no event twice");
    const ids = seen.map((id) => Number(id.slice(4)));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "oldest first");
    // Nothing new yet: the cursor stays where the poller is.
    const tail = await api(s.url, "GET", `/v1/events?starting_after=${cursor}&type=customer.created`);
    assert.deepEqual(tail.body.data, []);
    assert.equal(tail.body.next_cursor, cursor);
    await api(s.url, "POST", "/v1/customers", { body: { email: "late@events.example", company: "Late" } });
    const more = await api(s.url, "GET", `/v1/events?starting_after=${cursor}&type=customer.created`);
    assert.equal(more.body.data.length, 1);
    assert.equal(more.body.data[0].data.customer.email, "late@events.example");
    // Cursors are feed positions (commit order), not event ids: the late event's is the new next_cursor.
    const back = await api(s.url, "GET", `/v1/events?ending_before=${more.body.next_cursor}&type=customer.created&limit=2`);
    assert.deepEqual(back.body.data.map((e: { id: string }) => e.id), seen.slice(-2));
  });

  it("shows a reseller only its own customers' events, and a customer only its own", async () => {
    const world = new World(s);
    const a = await world.reseller("Feed A");
    const b = await world.reseller("Feed B");
    const ca = await world.customer(a.id);
    const cb = await world.customer(b.id);
    const ofA = await api(s.url, "GET", "/v1/events?limit=200", { key: a.key });
    assert.equal(ofA.status, 200, ofA.text);
    assert.ok(ofA.body.data.length > 0);
    assert.ok(ofA.body.data.every((e: { tenant_id: number }) => e.tenant_id === a.id), "only tenant A");
    assert.ok(ofA.body.data.some((e: { customer_id: number }) => e.customer_id === ca.id));
    assert.ok(!ofA.body.data.some((e: { customer_id: number }) => e.customer_id === cb.id));
    const ofCa = await api(s.url, "GET", "/v1/events?limit=200", { key: ca.key });
    assert.equal(ofCa.status, 200, ofCa.text);
    assert.ok(ofCa.body.data.every((e: { customer_id: number }) => e.customer_id === ca.id));
    const foreign = await api(s.url, "GET", `/v1/events?customer_id=${cb.id}`, { key: a.key });
    assert.deepEqual(foreign.body.data, [], "filtering for another tenant's customer finds nothing");
  });

  it("disables an endpoint that fails for the whole retry window and tells its owner by mail and event", async () => {
    const world = new World(s);
    const owner = await world.reseller("Failing");
    const dead = await new Receiver().start();
    const alive = await new Receiver().start();
    try {
      dead.answer = () => 503;
      const ep = await api(s.url, "POST", "/v1/webhook-endpoints", { key: owner.key, body: { url: dead.url, event_types: ["customer.*"] } });
      assert.equal(ep.status, 201, ep.text);
      const watch = await api(s.url, "POST", "/v1/webhook-endpoints", { key: owner.key, body: { url: alive.url, event_types: ["webhook_endpoint.disabled"] } });
      await s.app.services.customers.create(systemContext("test"), { email: "doomed@events.example", company: "Doomed", owner_id: owner.id });
      let endpoint: any;
      for (let i = 0; i < 300; i++) {
        endpoint = (await api(s.url, "GET", `/v1/webhook-endpoints/${ep.body.id}`, { key: owner.key })).body;
        if (endpoint.status === "disabled") break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(endpoint.status, "disabled", JSON.stringify(endpoint));
      assert.match(endpoint.disabled_reason, /failed/);
      assert.ok(dead.received.length >= 2, "it was retried before giving up");
      const log = await api(s.url, "GET", `/v1/webhook-endpoints/${ep.body.id}/deliveries?status=failed`, { key: owner.key });
      assert.equal(log.body.data.length, 1);
      assert.ok(log.body.data[0].attempt_log.every((a: { status_code: number }) => a.status_code === 503));
      await alive.until(() => alive.ofType("webhook_endpoint.disabled").length === 1, "the disabled notice");
      assert.equal(alive.ofType("webhook_endpoint.disabled")[0]?.event.data.endpoint.id, ep.body.id);
      for (let i = 0; i < 100 && !smtp.inbox.some((m) => /disabled your webhook endpoint/.test(m.raw)); i++) await new Promise((r) => setTimeout(r, 20));
      const mail = smtp.inbox.find((m) => /disabled your webhook endpoint/.test(m.raw));
      assert.ok(mail, "the owner got a mail");
      const account = await api(s.url, "GET", `/v1/resellers/${owner.id}`);
      assert.deepEqual(mail.to, [account.body.email]);
      // Enabling it again clears the failure state; nothing is sent while disabled.
      const on = await api(s.url, "PATCH", `/v1/webhook-endpoints/${ep.body.id}`, { key: owner.key, body: { status: "enabled" } });
      assert.equal(on.body.status, "enabled");
      assert.equal(on.body.failing_since, null);
      await api(s.url, "DELETE", `/v1/webhook-endpoints/${watch.body.id}`, { key: owner.key });
    } finally {
      await dead.close();
      await alive.close();
    }
  });
});
