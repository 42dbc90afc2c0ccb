import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { WebhookCommands } from "../../src/modules/events/commands.js";
import { EventOps, NoticeDeliveryOps, WebhookOps } from "../../src/modules/events/operations.js";
import { verifySignature } from "../../src/modules/events/signing.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { classifyRest, describeRest, type RestResult } from "../security/rest-outcome.js";
import { type CallInput, runSecuritySuite, type SecurityCase } from "../security/suite.js";
import { World } from "../security/world.js";
import { FAST_EVENTS, Receiver } from "./receiver.js";

// A public address that is never contacted: the suite's servers run without the dispatcher.
const TARGET = "https://93.184.216.34/hook";
const MISSING = 987654;

const endpoints = new Map<string, number>();
/** An endpoint owned by the bundle's reseller (created once per reseller and server). */
async function endpointOf(i: CallInput, fresh = false): Promise<number> {
  if (i.target.resellerId === MISSING) return MISSING;
  const key = `${i.server.url}:${i.target.resellerId}`;
  const known = endpoints.get(key);
  if (known !== undefined && !fresh) return known;
  const e = await i.server.app.services.commands.execute(WebhookCommands.create, systemContext("test"), { url: TARGET, owner_id: i.target.resellerId }, undefined);
  if (!fresh) endpoints.set(key, e.id);
  return e.id;
}

async function deliveryOf(i: CallInput, endpointId: number): Promise<number> {
  if (endpointId === MISSING) return MISSING;
  return (await i.server.app.services.webhooks.ping(systemContext("test"), endpointId)).id;
}

const call =
  (method: string, path: (i: CallInput, endpoint: number) => Promise<string> | string, body?: unknown, fresh = false) =>
  async (i: CallInput): Promise<RestResult> => {
    const e = await endpointOf(i, fresh);
    return api(i.server.url, method, await path(i, e), { key: i.credential, ...(body === undefined ? {} : { body }) });
  };

const cases: SecurityCase<RestResult>[] = [
  { operation: EventOps.list, targeted: false, call: (i) => api(i.server.url, "GET", "/v1/events", { key: i.credential }) },
  { operation: NoticeDeliveryOps.signingSecret, call: (i) => api(i.server.url, "POST", `/v1/customers/${i.target.customerId}/notice-signing-secret`, { key: i.credential, body: {} }) },
  { operation: NoticeDeliveryOps.list, targeted: false, call: (i) => api(i.server.url, "GET", "/v1/notices/1/deliveries", { key: i.credential }) },
  { operation: WebhookOps.create, targeted: false, call: (i) => api(i.server.url, "POST", "/v1/webhook-endpoints", { key: i.credential, body: { url: TARGET } }) },
  { operation: WebhookOps.list, targeted: false, call: (i) => api(i.server.url, "GET", "/v1/webhook-endpoints", { key: i.credential }) },
  { operation: WebhookOps.get, rightful: "reseller", call: call("GET", (_i, e) => `/v1/webhook-endpoints/${e}`) },
  { operation: WebhookOps.update, rightful: "reseller", call: call("PATCH", (_i, e) => `/v1/webhook-endpoints/${e}`, { description: "changed" }) },
  { operation: WebhookOps.delete, rightful: "reseller", call: call("DELETE", (_i, e) => `/v1/webhook-endpoints/${e}`, undefined, true) },
  { operation: WebhookOps.rotateSecret, rightful: "reseller", call: call("POST", (_i, e) => `/v1/webhook-endpoints/${e}/rotate-secret`, {}) },
  { operation: WebhookOps.ping, rightful: "reseller", call: call("POST", (_i, e) => `/v1/webhook-endpoints/${e}/ping`) },
  { operation: WebhookOps.deliveries, rightful: "reseller", call: call("GET", (_i, e) => `/v1/webhook-endpoints/${e}/deliveries`) },
  { operation: WebhookOps.redeliver, rightful: "reseller", call: call("POST", async (i, e) => `/v1/webhook-endpoints/${e}/deliveries/${await deliveryOf(i, e)}/redeliver`) },
];

runSecuritySuite<RestResult>({
  protocol: "REST events and webhooks",
  cases,
  classify: classifyRest,
  describe: describeRest,
  start: (dialect) => startServer(dialect, { rateLimit: 0, events: { dispatch: false } }),
  mustCover: [...Object.values(EventOps), ...Object.values(NoticeDeliveryOps), ...Object.values(WebhookOps)],
});

forEachDialect("webhooks: a reseller's endpoint receives only its own customers' events", (dialect) => {
  let s: TestServer;
  const rx: Record<"a" | "b" | "op", Receiver> = { a: new Receiver(), b: new Receiver(), op: new Receiver() };
  before(async () => {
    await Promise.all(Object.values(rx).map((r) => r.start()));
    s = await startServer(dialect, { rateLimit: 0, events: FAST_EVENTS });
  });
  after(async () => {
    await s.close();
    await Promise.all(Object.values(rx).map((r) => r.close()));
  });

  it("delivers A's events to A, B's to B and all of them to the operator, each exactly where it belongs", async () => {
    const world = new World(s);
    const a = await world.reseller("Iso A");
    const b = await world.reseller("Iso B");
    const epA = await api(s.url, "POST", "/v1/webhook-endpoints", { key: a.key, body: { url: rx.a.url } });
    const epB = await api(s.url, "POST", "/v1/webhook-endpoints", { key: b.key, body: { url: rx.b.url } });
    const epOp = await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url: rx.op.url, event_types: ["customer.*"] } });
    assert.equal(epA.status, 201, epA.text);
    assert.equal(epA.body.owner.kind, "reseller");
    // A reseller cannot register an endpoint for someone else.
    const hijack = await api(s.url, "POST", "/v1/webhook-endpoints", { key: a.key, body: { url: rx.a.url, owner_id: b.id } });
    assert.equal(hijack.status, 403, hijack.text);

    const ca = await api(s.url, "POST", "/v1/customers", { key: a.key, body: { email: "iso-a@events.example", company: "Iso A" } });
    const cb = await api(s.url, "POST", "/v1/customers", { key: b.key, body: { email: "iso-b@events.example", company: "Iso B" } });
    await api(s.url, "PATCH", `/v1/customers/${cb.body.id}`, { key: b.key, body: { city: "Leiden" } });
    await api(s.url, "POST", "/v1/api-keys", { key: b.key, body: { name: "b's own key" } });
    // An operator moving A's customer to B: both hear of the move, only B of what follows.
    await api(s.url, "POST", `/v1/customers/${ca.body.id}/move`, { body: { owner_id: b.id } });
    await api(s.url, "PATCH", `/v1/customers/${ca.body.id}`, { body: { city: "Gouda" } });

    await rx.op.until(() => rx.op.ofType("customer.updated").length === 2, "operator sees both updates");
    await rx.b.until(() => rx.b.ofType("customer.updated").length === 2 && rx.b.ofType("api_key.created").length === 1, "B's events");
    await rx.a.until(() => rx.a.ofType("customer.moved").length === 1, "A hears of the move");
    await new Promise((r) => setTimeout(r, 200));

    for (const r of rx.a.received) {
      assert.equal(r.event.tenant_id, a.id, `A got ${r.event.type} of tenant ${r.event.tenant_id}`);
      assert.ok(verifySignature(epA.body.secret, String(r.headers["custos-signature"]), r.body));
    }
    for (const r of rx.b.received) assert.equal(r.event.tenant_id, b.id, `B got ${r.event.type} of tenant ${r.event.tenant_id}`);
    assert.deepEqual(rx.a.received.map((r) => r.event.type), ["customer.created", "customer.moved"]);
    assert.ok(!rx.a.received.some((r) => r.event.customer_id === cb.body.id), "nothing about B's customer reached A");
    assert.ok(!rx.b.received.some((r) => r.event.type === "customer.created" && r.event.customer_id === ca.body.id), "A's creation did not reach B");
    assert.ok(rx.op.received.every((r) => r.event.type.startsWith("customer.")), "the operator's filter holds");
    assert.ok(!verifySignature(epB.body.secret, String(rx.a.received[0]?.headers["custos-signature"]), rx.a.received[0]?.body ?? ""), "endpoints have their own secrets");
    assert.equal(epOp.status, 201);
  });
});
