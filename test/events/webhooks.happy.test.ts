import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { verifySignature } from "../../src/modules/events/signing.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { FAST_EVENTS, Receiver } from "./receiver.js";

forEachDialect("webhooks: signed deliveries, retries, rotation, ping and redelivery", (dialect) => {
  let s: TestServer;
  let rx: Receiver;
  before(async () => {
    rx = await new Receiver().start();
    s = await startServer(dialect, { events: FAST_EVENTS, rateLimit: 0 });
  });
  after(async () => {
    await s.close();
    await rx.close();
  });

  it("signs each delivery so the receiver can verify it with the secret shown once", async () => {
    const ep = await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url: rx.url, event_types: ["customer.*"] } });
    assert.equal(ep.status, 201, ep.text);
    assert.match(ep.body.secret, /^whsec_/);
    const again = await api(s.url, "GET", `/v1/webhook-endpoints/${ep.body.id}`);
    assert.equal(again.body.secret, undefined, "the secret is never shown again");

    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "signed@events.example", company: "Signed" } });
    assert.equal(c.status, 201);
    await rx.until(() => rx.ofType("customer.created").length === 1, "customer.created");
    const got = rx.ofType("customer.created")[0];
    assert.ok(got);
    assert.ok(verifySignature(ep.body.secret, String(got.headers["custos-signature"]), got.body), "signature verifies");
    assert.equal(verifySignature("whsec_wrong", String(got.headers["custos-signature"]), got.body), false);
    assert.equal(verifySignature(ep.body.secret, String(got.headers["custos-signature"]), `${got.body} `), false, "a changed body fails");
    assert.equal(got.headers["custos-event-id"], got.event.id);
    assert.equal(got.event.data.customer.email, "signed@events.example");
    assert.equal(got.event.customer_id, c.body.id);
    await api(s.url, "DELETE", `/v1/webhook-endpoints/${ep.body.id}`);
  });

  it("retries with backoff after the receiver answers 500 twice, and logs every attempt", async () => {
    const ep = (await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url: `${rx.url}?retry`, event_types: ["customer.updated"] } })).body;
    let failures = 0;
    rx.answer = (r) => (r.event.type === "customer.updated" && failures++ < 2 ? 500 : 200);
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "retry@events.example", company: "Retry" } })).body;
    assert.equal((await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { city: "Delft" } })).status, 200);
    await rx.until(() => rx.ofType("customer.updated").length === 3, "three attempts");
    const attempts = rx.ofType("customer.updated");
    assert.equal(new Set(attempts.map((a) => a.event.id)).size, 1, "one event id across retries");
    assert.deepEqual(attempts.map((a) => a.headers["custos-delivery-attempt"]), ["1", "2", "3"]);
    assert.ok((attempts[2]?.at ?? 0) - (attempts[1]?.at ?? 0) >= 60, "the second retry waited at least the base delay");
    assert.deepEqual(attempts[0]?.event.data.changed_fields, ["city"]);
    let log: any;
    for (let i = 0; i < 100; i++) {
      log = await api(s.url, "GET", `/v1/webhook-endpoints/${ep.id}/deliveries`);
      if (log.body.data[0]?.status === "delivered") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const d = log.body.data[0];
    assert.equal(d.status, "delivered", log.text);
    assert.equal(d.attempts, 3);
    assert.deepEqual(d.attempt_log.map((a: { status_code: number }) => a.status_code), [500, 500, 200]);
    assert.ok(d.attempt_log.every((a: { latency_ms: number }) => a.latency_ms >= 0));
    rx.answer = () => 200;
    await api(s.url, "DELETE", `/v1/webhook-endpoints/${ep.id}`);
  });

  it("signs with both secrets during a rotation overlap, and with the new one only after it", async () => {
    const ep = (await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url: `${rx.url}?rotate`, event_types: ["webhook.ping"] } })).body;
    const rotated = await api(s.url, "POST", `/v1/webhook-endpoints/${ep.id}/rotate-secret`, { body: { overlap_seconds: 3600 } });
    assert.equal(rotated.status, 200, rotated.text);
    assert.notEqual(rotated.body.secret, ep.secret);
    const ping = await api(s.url, "POST", `/v1/webhook-endpoints/${ep.id}/ping`);
    assert.equal(ping.status, 202, ping.text);
    await rx.until(() => rx.received.some((r) => r.headers["custos-delivery-id"] === String(ping.body.id)), "the ping");
    const got = rx.received.find((r) => r.headers["custos-delivery-id"] === String(ping.body.id));
    const header = String(got?.headers["custos-signature"]);
    assert.ok(verifySignature(rotated.body.secret, header, got?.body ?? ""), "new secret verifies");
    assert.ok(verifySignature(ep.secret, header, got?.body ?? ""), "old secret still verifies during the overlap");

    const now = await api(s.url, "POST", `/v1/webhook-endpoints/${ep.id}/rotate-secret`, { body: { overlap_seconds: 0 } });
    const ping2 = (await api(s.url, "POST", `/v1/webhook-endpoints/${ep.id}/ping`)).body;
    await rx.until(() => rx.received.some((r) => r.headers["custos-delivery-id"] === String(ping2.id)), "the second ping");
    const got2 = rx.received.find((r) => r.headers["custos-delivery-id"] === String(ping2.id));
    assert.ok(verifySignature(now.body.secret, String(got2?.headers["custos-signature"]), got2?.body ?? ""));
    assert.equal(verifySignature(rotated.body.secret, String(got2?.headers["custos-signature"]), got2?.body ?? ""), false, "no overlap: the old secret no longer signs");

    // Redelivery: a new delivery of the same event id.
    const re = await api(s.url, "POST", `/v1/webhook-endpoints/${ep.id}/deliveries/${ping2.id}/redeliver`);
    assert.equal(re.status, 202, re.text);
    assert.equal(re.body.redelivery_of, ping2.id);
    await rx.until(() => rx.received.some((r) => r.headers["custos-delivery-id"] === String(re.body.id)), "the redelivery");
    const redelivered = rx.received.find((r) => r.headers["custos-delivery-id"] === String(re.body.id));
    assert.equal(redelivered?.event.id, got2?.event.id);
    await api(s.url, "DELETE", `/v1/webhook-endpoints/${ep.id}`);
  });

  it("never puts a secret into an event: an API key's event carries no key material", async () => {
    const ep = (await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url: `${rx.url}?keys`, event_types: ["api_key.*"] } })).body;
    const k = await api(s.url, "POST", "/v1/api-keys", { body: { name: "evented" } });
    assert.equal(k.status, 201);
    await rx.until(() => rx.ofType("api_key.created").some((r) => r.event.data.api_key.id === k.body.id), "api_key.created");
    const got = rx.ofType("api_key.created").find((r) => r.event.data.api_key.id === k.body.id);
    assert.ok(!got?.body.includes(k.body.secret), "the key's secret is not in the payload");
    assert.equal(got?.event.data.api_key.secret, undefined);
    await api(s.url, "DELETE", `/v1/webhook-endpoints/${ep.id}`);
  });
});
