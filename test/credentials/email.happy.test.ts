import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { type SmtpInbox, startSmtp } from "../helpers/smtp.js";

forEachDialect("credentials: e-mail change confirmed through a real SMTP round trip", (dialect) => {
  let s: TestServer;
  let smtp: SmtpInbox;
  before(async () => {
    smtp = await startSmtp();
    s = await startServer(dialect, { smtpUrl: smtp.url, mailFrom: "Custos <noreply@custos.test>" });
  });
  after(async () => {
    await s.close();
    await smtp.close();
  });

  it("mails a token to the new address; the address changes only when the token comes back, once", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "old@mail.example", company: "Mail BV" } })).body;
    const r = await api(s.url, "POST", `/v1/customers/${c.id}/email-change`, { body: { email: "New@Mail.example" } });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.new_email, "new@mail.example");
    assert.ok(!r.text.includes("ce_"), "the token is only in the mail");
    assert.equal((await api(s.url, "GET", `/v1/customers/${c.id}`)).body.email, "old@mail.example", "nothing changes before confirmation");
    assert.equal(smtp.inbox.length, 1);
    const mail = smtp.inbox[0];
    assert.deepEqual(mail?.to, ["new@mail.example"]);
    assert.match(mail?.raw ?? "", /From: Custos <noreply@custos\.test>/);
    const token = /ce_[A-Za-z0-9_-]+/.exec(mail?.raw ?? "")?.[0];
    assert.ok(token, "the mail carries the confirmation token");
    const bad = await api(s.url, "POST", "/v1/email-change/confirm", { key: null, body: { token: "ce_wrong" } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].field, "token");
    const ok = await api(s.url, "POST", "/v1/email-change/confirm", { key: null, body: { token } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.email, "new@mail.example");
    assert.equal((await api(s.url, "GET", `/v1/customers/${c.id}`)).body.email, "new@mail.example");
    const twice = await api(s.url, "POST", "/v1/email-change/confirm", { key: null, body: { token } });
    assert.equal(twice.status, 422, "a token works once");
  });
});
