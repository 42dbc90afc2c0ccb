import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { type App, createApp } from "../../src/app.js";
import { systemContext } from "../../src/core/context.js";
import { WebhookCommands } from "../../src/modules/events/commands.js";
import type { SmsSender, Subscriber, SubscriberDirectory } from "../../src/modules/events/notices.js";
import { verifySignature } from "../../src/modules/events/signing.js";
import { api, createTestDatabase, forEachDialect, OPERATOR_KEY, type TestDatabase, testConfig } from "../helpers/harness.js";
import { FAST_EVENTS, Receiver, startSmtp } from "./receiver.js";

class CapturingSms implements SmsSender {
  readonly name = "capture";
  readonly sent: { to: string; text: string }[] = [];
  async send(to: string, text: string): Promise<void> {
    this.sent.push({ to, text });
  }
}

/**
 * Publishing a notice delivers it to each subscribed contact method. The directory of
 * subscriptions comes from the contacts module; here a fixed one stands in for it, and the
 * notice is published the way the notices module does it (an audited notice.create).
 */
forEachDialect("notices: delivery to subscribed contact methods", (dialect) => {
  let db: TestDatabase;
  let app: App;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let rx: Receiver;
  const sms = new CapturingSms();
  let customerId = 0;
  const subscribers: Subscriber[] = [];
  const directory: SubscriberDirectory = { subscribersOf: async (_db, notice) => (notice.type === "maintenance" ? subscribers : []) };

  before(async () => {
    smtp = await startSmtp();
    rx = await new Receiver().start();
    db = await createTestDatabase(dialect);
    app = await createApp(testConfig(db, { smtpUrl: smtp.url, mailFrom: "Custos <noreply@custos.test>", events: FAST_EVENTS }), undefined, { smsSender: sms });
    app.services.noticeDelivery.directory = directory;
    customerId = (await app.services.customers.create(systemContext("test"), { email: "noticed@events.example", company: "Noticed" })).id;
    subscribers.push(
      { contactMethodId: 11, customerId, method: "email", options: { address: "ops@noticed.example" } },
      { contactMethodId: 12, customerId, method: "sms", options: { number: "+31612345678" } },
      { contactMethodId: 13, customerId, method: "webhook", options: { url: rx.url } },
      { contactMethodId: 14, customerId, method: "phone", options: { number: "+31201234567" } },
    );
  });
  after(async () => {
    await app.close();
    await db.drop();
    await rx.close();
    await smtp.close();
  });

  async function publish(id: number, type: string): Promise<void> {
    const at = new Date().toISOString();
    await app.storage.transaction((trx) =>
      app.services.audit.record(trx, systemContext("test"), {
        operation: "notice.create",
        targetType: "notice",
        targetId: id,
        customerId,
        before: null,
        after: { object: "notice", id, customer_id: customerId, type, title: "Planned maintenance", body: "Saturday 02:00-04:00 UTC", severity: "warning", acknowledged: false, created_at: at, updated_at: at, version: 1 },
      }),
    );
  }

  it("reaches a real SMTP server, a signed webhook and the SMS sender; a phone method is marked skipped", async () => {
    const { secret } = await app.services.noticeDelivery.issueSigningSecret(systemContext("test"), String(customerId), {});
    await publish(41, "maintenance");
    await rx.until(() => rx.ofType("notice.published").length === 1, "the notice webhook");
    const hook = rx.ofType("notice.published")[0];
    assert.ok(hook);
    assert.ok(verifySignature(secret, String(hook.headers["custos-signature"]), hook.body), "signed with the customer's notice signing secret");
    assert.equal(hook.event.data.notice.title, "Planned maintenance");

    let states: { method: string; status: string }[] = [];
    for (let i = 0; i < 250; i++) {
      states = await app.services.noticeDelivery.deliveriesOf(41);
      if (states.length === 4 && states.every((d) => d.status !== "pending")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(
      states.map((d) => [d.method, d.status]),
      [
        ["email", "delivered"],
        ["sms", "delivered"],
        ["webhook", "delivered"],
        ["phone", "skipped"],
      ],
    );
    const mail = smtp.inbox.find((m) => m.to.includes("ops@noticed.example"));
    assert.ok(mail, "the mail arrived");
    assert.match(mail.raw, /Subject: \[warning\] Planned maintenance/);
    assert.match(mail.raw, /Saturday 02:00-04:00 UTC/);
    assert.deepEqual(sms.sent, [{ to: "+31612345678", text: "Planned maintenance: Saturday 02:00-04:00 UTC" }]);
  });

  it("delivers nothing for a notice type nobody subscribed to, and keeps the event in the feed", async () => {
    await publish(42, "billing");
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await app.services.noticeDelivery.deliveriesOf(42), []);
    const feed = await app.services.events.list(systemContext("test"), { type: "notice.published" });
    assert.ok(feed.data.some((e) => (e.data as { notice: { id: number } }).notice.id === 42));
  });

  it("keeps dispatching other events when a notice's subscriber lookup fails", async () => {
    const before = app.services.noticeDelivery.directory;
    app.services.noticeDelivery.directory = {
      subscribersOf: async (db) => {
        // A failing statement inside the lookup (as a missing table would be).
        await db.selectFrom("no_such_table" as never).selectAll().execute();
        return [];
      },
    };
    try {
      await publish(44, "maintenance");
      await app.services.commands.execute(WebhookCommands.create, systemContext("test"), { url: `${rx.url}?after-failure`, event_types: ["customer.created"] }, undefined);
      const c = await app.services.customers.create(systemContext("test"), { email: "still@events.example", company: "Still" });
      await rx.until(() => rx.ofType("customer.created").some((r) => r.event.customer_id === c.id), "the next event despite the failed lookup");
      assert.deepEqual(await app.services.noticeDelivery.deliveriesOf(44), []);
    } finally {
      app.services.noticeDelivery.directory = before;
    }
  });

  it("shows each caller the delivery state of its own customers' methods only (REST)", async () => {
    const url = await app.http.listen({ port: 0, host: "127.0.0.1" });
    const ctx = systemContext("test");
    const reseller = await app.services.accounts.createReseller(ctx, { name: "Notice Reseller", email: "nr@events.example" });
    const theirs = await app.services.customers.create(ctx, { email: "theirs@events.example", company: "Theirs", owner_id: reseller.id });
    const resellerKey = (await app.services.keys.create(ctx, { name: "r", principal: { kind: "reseller", id: reseller.id } })).secret;
    const customerKey = (await app.services.keys.create(ctx, { name: "c", principal: { kind: "customer", id: theirs.id } })).secret;
    const before = app.services.noticeDelivery.directory;
    app.services.noticeDelivery.directory = {
      subscribersOf: async () => [
        { contactMethodId: 21, customerId, method: "sms", options: { number: "+31612345678" } },
        { contactMethodId: 22, customerId: theirs.id, method: "sms", options: { number: "+31687654321" } },
      ],
    };
    try {
      await publish(45, "maintenance");
      const settled = async () => {
        const d = await app.services.noticeDelivery.deliveriesOf(45);
        return d.length === 2 && d.every((x) => x.status === "delivered");
      };
      for (let i = 0; i < 250 && !(await settled()); i++) await new Promise((r) => setTimeout(r, 20));
      const get = (key: string) => api(url, "GET", "/v1/notices/45/deliveries", { key });
      const all = await get(OPERATOR_KEY);
      assert.equal(all.status, 200, all.text);
      assert.deepEqual(all.body.data.map((d: { contact_method_id: number; status: string }) => [d.contact_method_id, d.status]), [[21, "delivered"], [22, "delivered"]]);
      assert.deepEqual((await get(resellerKey)).body.data.map((d: { contact_method_id: number }) => d.contact_method_id), [22]);
      assert.deepEqual((await get(customerKey)).body.data.map((d: { contact_method_id: number }) => d.contact_method_id), [22]);
    } finally {
      app.services.noticeDelivery.directory = before;
    }
  });

  it("lets the customer itself replace its notice signing secret, the old one signing alongside during the overlap", async () => {
    const url = app.http.server.listening ? `http://127.0.0.1:${(app.http.server.address() as { port: number }).port}` : await app.http.listen({ port: 0, host: "127.0.0.1" });
    const key = (await app.services.keys.create(systemContext("test"), { name: "self", principal: { kind: "customer", id: customerId } })).secret;
    const first = await api(url, "POST", "/v1/customers/me-is-not-a-ref/notice-signing-secret", { key, body: {} });
    assert.equal(first.status, 404, "another reference than its own looks missing");
    const a = await api(url, "POST", `/v1/customers/${customerId}/notice-signing-secret`, { key, body: {} });
    assert.equal(a.status, 201, a.text);
    const b = await api(url, "POST", `/v1/customers/${customerId}/notice-signing-secret`, { key, body: { overlap_seconds: 600 } });
    assert.ok(b.body.previous_secret_expires_at);
    await publish(46, "maintenance");
    await rx.until(() => rx.received.some((r) => r.event.data.notice?.id === 46), "the notice webhook");
    const hook = rx.received.find((r) => r.event.data.notice?.id === 46);
    assert.ok(verifySignature(b.body.secret, String(hook?.headers["custos-signature"]), hook?.body ?? ""));
    assert.ok(verifySignature(a.body.secret, String(hook?.headers["custos-signature"]), hook?.body ?? ""), "the replaced secret still verifies during the overlap");
  });

  it("retries a webhook method that fails, then records the delivery", async () => {
    let n = 0;
    rx.answer = (r) => (r.event.type === "notice.published" && (r.event.data.notice.id === 43 ? n++ < 1 : false) ? 500 : 200);
    await publish(43, "maintenance");
    await rx.until(() => rx.received.filter((r) => r.event.data.notice?.id === 43).length === 2, "a retry");
    let webhook: { status: string; attempts: number } | undefined;
    for (let i = 0; i < 250 && webhook?.status !== "delivered"; i++) {
      webhook = (await app.services.noticeDelivery.deliveriesOf(43)).find((d) => d.method === "webhook");
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(webhook?.status, "delivered");
    assert.equal(webhook?.attempts, 2);
  });
});
