import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

forEachDialect("hosting: contacts, contact methods and notice subscriptions", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("creates a contact with e-mail, SMS and webhook methods and subscriptions, listed together", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const contact = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/contacts`, { key: c.key, body: { name: "Ops team" } });
    assert.equal(contact.status, 201, contact.text);
    const mail = await api(fixture.server.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { key: c.key, body: { method_id: "email", options: { address: "Ops@Example.com" } } });
    assert.equal(mail.status, 201, mail.text);
    assert.deepEqual(mail.body.options, { address: "ops@example.com" });
    const types = await api(fixture.server.url, "GET", "/v1/contact-method-types", { key: c.key });
    const smsId = types.body.data.find((t: { name: string }) => t.name === "sms").id;
    const sms = await api(fixture.server.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { key: c.key, body: { method_id: smsId, options: { number: "+31 6 12345678" } } });
    assert.equal(sms.status, 201, sms.text);
    assert.equal(sms.body.options.number, "+31612345678", "normalised to E.164");
    const hook = await api(fixture.server.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { key: c.key, body: { method_id: "webhook", options: { url: "https://hooks.example.com/custos" } } });
    assert.equal(hook.status, 201, hook.text);
    const noticeTypes = await api(fixture.server.url, "GET", "/v1/contact-notice-types", { key: c.key });
    assert.deepEqual(noticeTypes.body.data.map((t: { name: string }) => t.name).slice(0, 5), ["general", "billing", "maintenance", "outage", "security"]);
    const sub = await api(fixture.server.url, "POST", `/v1/contact-methods/${mail.body.id}/notices`, { key: c.key, body: { notice_type_id: "maintenance", options: { min_severity: "warning" } } });
    assert.equal(sub.status, 201, sub.text);
    const twice = await api(fixture.server.url, "POST", `/v1/contact-methods/${mail.body.id}/notices`, { key: c.key, body: { notice_type_id: "maintenance" } });
    assert.equal(twice.status, 409);
    await api(fixture.server.url, "POST", `/v1/contact-methods/${hook.body.id}/notices`, { key: c.key, body: { notice_type_id: "security" } });
    const list = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/contacts`, { key: r.key });
    assert.equal(list.status, 200);
    const listed = list.body.data[0];
    assert.equal(listed.name, "Ops team");
    assert.deepEqual(listed.methods.map((m: { method: { name: string } }) => m.method.name), ["email", "sms", "webhook"]);
    assert.deepEqual(listed.methods[0].subscriptions.map((x: { notice_type: { name: string }; options: unknown }) => [x.notice_type.name, x.options]), [["maintenance", { min_severity: "warning" }]]);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/contact-method-notices/${sub.body.id}`, { key: c.key })).status, 204);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/contact-methods/${sms.body.id}`, { key: c.key })).status, 204);
  });

  it("checks each method's options: an address, an E.164 number, an https URL, nothing else", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const contact = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/contacts`, { body: { name: "Billing" } });
    const bad: [unknown, string][] = [
      [{ method_id: "email", options: { address: "not-an-address" } }, "options.address"],
      [{ method_id: "email", options: {} }, "options.address"],
      [{ method_id: "sms", options: { number: "0612345678" } }, "options.number"],
      [{ method_id: "phone", options: { number: "+1" } }, "options.number"],
      [{ method_id: "webhook", options: { url: "http://hooks.example.com/x" } }, "options.url"],
      [{ method_id: "webhook", options: { url: "https://user:secret@hooks.example.com/x" } }, "options.url"],
      [{ method_id: "webhook", options: { url: "https://h.example.com", extra: "1" } }, "options.extra"],
      [{ method_id: "pigeon", options: {} }, "method_id"],
      [{ method_id: 999, options: {} }, "method_id"],
    ];
    for (const [body, field] of bad) {
      const res = await api(fixture.server.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { body });
      assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.errors[0].field, field, JSON.stringify(body));
    }
    const m = await api(fixture.server.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { body: { method_id: "email", options: { address: "a@example.com" } } });
    const badSub = await api(fixture.server.url, "POST", `/v1/contact-methods/${m.body.id}/notices`, { body: { notice_type_id: "billing", options: { min_severity: "panic" } } });
    assert.equal(badSub.status, 422);
    const list = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/contacts`);
    assert.equal(list.body.data[0].methods.length, 1, "refused methods left nothing behind");
  });

  it("deleting a contact removes its methods and subscriptions; other tenants' contacts look missing", async () => {
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const b1 = await fixture.world.customer(b.id);
    const contact = await api(fixture.server.url, "POST", `/v1/customers/${b1.id}/contacts`, { key: b.key, body: { name: "NOC" } });
    const m = await api(fixture.server.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { key: b.key, body: { method_id: "phone", options: { number: "+442071838750" } } });
    const sub = await api(fixture.server.url, "POST", `/v1/contact-methods/${m.body.id}/notices`, { key: b.key, body: { notice_type_id: "outage" } });
    assert.equal(sub.status, 201, sub.text);
    const foreign = await api(fixture.server.url, "DELETE", `/v1/contacts/${contact.body.id}`, { key: a.key });
    const absent = await api(fixture.server.url, "DELETE", "/v1/contacts/99999999", { key: a.key });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail, absent.body.detail);
    assert.equal((await api(fixture.server.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { key: a.key, body: { method_id: "email", options: { address: "x@example.com" } } })).status, 404);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/contact-methods/${m.body.id}`, { key: a.key })).status, 404);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/contact-method-notices/${sub.body.id}`, { key: a.key })).status, 404);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/contacts/${contact.body.id}`, { key: b.key })).status, 204);
    assert.deepEqual((await api(fixture.server.url, "GET", `/v1/customers/${b1.id}/contacts`, { key: b.key })).body.data, []);
    const db = fixture.server.app.storage.db;
    assert.equal((await db.selectFrom("contact_methods").select("id").where("contact_id", "=", contact.body.id).execute()).length, 0);
    assert.equal((await db.selectFrom("contact_method_notices").select("id").where("id", "=", sub.body.id).execute()).length, 0);
  });
});
