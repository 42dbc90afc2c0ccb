import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { FAST_EVENTS, startSmtp } from "./receiver.js";

/** The whole path through the notices and contacts REST API of issue 14: publish, then deliver. */
forEachDialect("notices: publishing over REST reaches the subscribed contact methods", (dialect) => {
  let s: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp();
    s = await startServer(dialect, { smtpUrl: smtp.url, mailFrom: "Custos <noreply@custos.test>", events: FAST_EVENTS, rateLimit: 0 });
  });
  after(async () => {
    await s.close();
    await smtp.close();
  });

  it("mails the subscribed address over SMTP, sends the SMS, and records both states on the notice", async () => {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "e2e@events.example", company: "E2E" } });
    assert.equal(c.status, 201, c.text);
    const contact = await api(s.url, "POST", `/v1/customers/${c.body.id}/contacts`, { body: { name: "Ops" } });
    assert.equal(contact.status, 201, contact.text);
    const mail = await api(s.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { body: { method_id: "email", options: { address: "ops@e2e.example" } } });
    const sms = await api(s.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { body: { method_id: "sms", options: { number: "+31612345678" } } });
    assert.equal(mail.status, 201, mail.text);
    assert.equal(sms.status, 201, sms.text);
    for (const m of [mail.body.id, sms.body.id]) {
      const sub = await api(s.url, "POST", `/v1/contact-methods/${m}/notices`, { body: { notice_type_id: "maintenance" } });
      assert.equal(sub.status, 201, sub.text);
    }
    const notice = await api(s.url, "POST", "/v1/notices", { body: { customer_id: c.body.id, type: "maintenance", title: "Disk swap", body: "Tonight 23:00 UTC", severity: "warning" } });
    assert.equal(notice.status, 201, notice.text);
    let states: { method: string; status: string }[] = [];
    for (let i = 0; i < 300; i++) {
      states = (await api(s.url, "GET", `/v1/notices/${notice.body.id}/deliveries`)).body.data;
      if (states.length === 2 && states.every((d) => d.status !== "pending")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(states.map((d) => [d.method, d.status]).sort(), [["email", "delivered"], ["sms", "delivered"]]);
    const got = smtp.inbox.find((m) => m.to.includes("ops@e2e.example"));
    assert.ok(got, "the mail reached the SMTP server");
    assert.match(got.raw, /Disk swap/);
    const feed = await api(s.url, "GET", "/v1/events?type=notice.published");
    assert.ok(feed.body.data.some((e: { data: { notice: { id: number } } }) => e.data.notice.id === notice.body.id));
  });
});
