import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { type SmtpInbox, startSmtp } from "../helpers/smtp.js";
import { type Actor, World } from "../security/world.js";
import { froxlor } from "./client.js";

forEachDialect("Froxlor Customers.add without a password: generated, and mailed with sendpassword", (dialect) => {
  let s: TestServer;
  let smtp: SmtpInbox;
  let admin: Actor;
  before(async () => {
    smtp = await startSmtp();
    s = await startServer(dialect, { rateLimit: 0, smtpUrl: smtp.url });
    const w = new World(s);
    admin = await w.keyFor("operator", await w.operatorId());
  });
  after(async () => {
    await s.close();
    await smtp.close();
  });

  it("mails a working generated password once the customer is committed, and never answers it", async () => {
    const add = await froxlor(s.url, admin.key, "Customers.add", { email: "generated@froxlor.example", company: "Generated Ltd", new_loginname: "genuser1", sendpassword: 1 });
    assert.equal(add.status, 200, add.text);
    assert.equal(add.body.data.password, "");
    for (let i = 0; i < 50 && smtp.inbox.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(smtp.inbox.length, 1, "one mail");
    const mail = smtp.inbox[0];
    assert.deepEqual(mail?.to, ["generated@froxlor.example"]);
    const password = /Password: (\S+)/.exec(mail?.raw ?? "")?.[1];
    assert.ok(password, "the mail carries the password");
    const login = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: "genuser1", password } });
    assert.equal(login.status, 201, login.text);

    const quiet = await froxlor(s.url, admin.key, "Customers.add", { email: "quiet@froxlor.example", company: "Quiet Ltd" });
    assert.equal(quiet.status, 200, quiet.text);
    assert.match(quiet.body.data.loginname, /^cust\d+$/, "a generated login name: prefix + number");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.inbox.length, 1, "no mail without sendpassword");
  });
});
