import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

/** Issue 10, item 8: erasure removes personal data from the audit log and revokes downloads. */
forEachDialect("GDPR erasure reaches the audit log and downloads", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
  });
  after(async () => s.close());

  it("after delete and anonymise the audit shows no name, e-mail or street, the chain verifies, and the download is gone", async () => {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "erase.me@gdpr.example", first_name: "Erika", last_name: "Mustermann", street: "Geheimweg 12", city: "Berlin", country: "DE" } });
    assert.equal(c.status, 201, c.text);
    assert.equal((await api(s.url, "PATCH", `/v1/customers/${c.body.id}`, { body: { street: "Neuer Weg 7" } })).status, 200);
    const exp = await api(s.url, "POST", `/v1/customers/${c.body.id}/exports`, { body: {} });
    assert.equal(exp.status, 202, exp.text);
    let status = "pending";
    for (let i = 0; i < 100 && status !== "ready"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await api(s.url, "GET", `/v1/customers/${c.body.id}/downloads`)).body.data[0].status;
    }
    assert.equal(status, "ready");
    assert.equal((await fetch(`${s.url}/v1/downloads/${exp.body.token}`)).status, 200);
    const before = await api(s.url, "GET", `/v1/audit?target_id=${c.body.id}`);
    assert.match(before.text, /Geheimweg/, "readable before erasure");

    assert.equal((await api(s.url, "DELETE", `/v1/customers/${c.body.id}`)).status, 200);
    assert.equal((await fetch(`${s.url}/v1/downloads/${exp.body.token}`)).status, 410, "deleting revokes the download");
    const anon = await api(s.url, "POST", `/v1/customers/${c.body.id}/anonymise`, { body: {} });
    assert.equal(anon.status, 200, anon.text);

    const audit = await api(s.url, "GET", `/v1/audit?target_id=${c.body.id}`);
    assert.equal(audit.status, 200);
    assert.ok(audit.body.data.length >= 4);
    for (const personal of ["erase.me", "Erika", "Mustermann", "Geheimweg", "Neuer Weg"]) assert.ok(!audit.text.includes(personal), `${personal} still in the audit`);
    const raw = JSON.stringify(await s.app.storage.db.selectFrom("audit_log").select("diff").execute());
    assert.ok(!raw.includes("Geheimweg") && !raw.includes("erase.me"), "nor in the stored rows");
    const verify = await api(s.url, "GET", "/v1/audit/verify");
    assert.equal(verify.body.ok, true, verify.text);
  });
});
