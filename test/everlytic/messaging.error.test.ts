import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

forEachDialect("messaging: refusals are specific and write nothing", (dialect) => {
  let s: TestServer;
  let email: number;
  let sms: number;
  let archived: number;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    const mk = async (kind: string, name: string) => (await api(s.url, "POST", "/v1/message-packages", { body: { kind, name, volume: 1, period: "once", price: "1", currency: "EUR" } })).body.id as number;
    email = await mk("email", "E");
    sms = await mk("sms", "S");
    archived = await mk("email", "Old");
    await api(s.url, "POST", `/v1/message-packages/${archived}/archive`);
  });
  after(async () => s.close());

  const customer = async () => (await api(s.url, "POST", "/v1/customers", { body: { email: `e${Math.random().toString(36).slice(2, 9)}@err.example`, company: "Err", messaging: { email_send_quota: 5 } } })).body as { id: number; version: number };

  it("refuses an unknown, a wrong-kind and an archived package reference, naming the field", async () => {
    const missing = await api(s.url, "POST", "/v1/customers", { body: { email: "x1@err.example", company: "X", messaging: { email_package_id: 999999 } } });
    assert.equal(missing.status, 422, missing.text);
    assert.deepEqual(missing.body.errors, [{ field: "messaging.email_package_id", code: "invalid_value", message: "no message package has id 999999" }]);
    const c = await customer();
    const wrongKind = await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { city: "Pretoria", messaging: { email_package_id: sms } } });
    assert.equal(wrongKind.status, 422);
    assert.match(wrongKind.body.errors[0].message, /is a SMS package, not a e-mail one/);
    const old = await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { messaging: { email_package_id: archived } } });
    assert.equal(old.status, 422);
    assert.match(old.body.errors[0].message, /archived/);
    const read = await api(s.url, "GET", `/v1/customers/${c.id}`);
    assert.equal(read.body.city, null, "nothing of a refused update is written");
    assert.equal(read.body.version, c.version);
    assert.equal((await api(s.url, "GET", "/v1/customers?filter[email]=x1@err.example")).body.data.length, 0);
    const ok = await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { messaging: { email_package_id: email, sms_package_id: sms } } });
    assert.equal(ok.status, 200, ok.text);
  });

  it("refuses a debit past the balance and takes nothing", async () => {
    const c = await customer();
    const r = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: 6, message_id: "big" } });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.code, "conflict");
    assert.match(r.body.detail, /5 left, 6 asked/);
    const none = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "sms", units: 1, message_id: "unset" } });
    assert.equal(none.status, 409, "a quota never set is zero");
    assert.equal((await api(s.url, "GET", `/v1/customers/${c.id}/quotas`)).body.email, 5);
    const retry = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: 5, message_id: "big" } });
    assert.equal(retry.status, 201, "a refused debit leaves its message id unused");
  });

  it("refuses the same message id with other units", async () => {
    const c = await customer();
    assert.equal((await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: 1, message_id: "m" } })).status, 201);
    const r = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: 2, message_id: "m" } });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.code, "idempotency_key_reused");
  });

  it("refuses bad debit and package payloads field by field", async () => {
    const c = await customer();
    const r = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "fax", units: 0, message_id: "", extra: 1 } });
    assert.equal(r.status, 422);
    const fields = r.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ["extra", "kind", "message_id", "units"]);
    const neg = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: -3, message_id: "n" } });
    assert.equal(neg.status, 422);
    const p = await api(s.url, "POST", "/v1/message-packages", { body: { kind: "email", name: "P", volume: -1, period: "daily", price: "1,50", currency: "euro" } });
    assert.equal(p.status, 422);
    assert.deepEqual(p.body.errors.map((e: { field: string }) => e.field).sort(), ["currency", "period", "price", "volume"]);
    const kind = await api(s.url, "PATCH", `/v1/message-packages/${email}`, { body: { kind: "sms" } });
    assert.equal(kind.status, 422, "a package's kind never changes");
    assert.equal((await api(s.url, "GET", "/v1/message-packages/abc")).status, 422);
    assert.equal((await api(s.url, "GET", "/v1/message-packages/987654")).status, 404);
    const dup = await api(s.url, "POST", "/v1/message-packages", { body: { kind: "sms", name: "E", volume: 1, period: "once", price: "1", currency: "EUR" } });
    assert.equal(dup.status, 409, dup.text);
    assert.equal(dup.body.errors[0].field, "name");
  });

  it("refuses a debit on a deleted customer", async () => {
    const c = await customer();
    await api(s.url, "DELETE", `/v1/customers/${c.id}`);
    const r = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: 1, message_id: "d" } });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, "invalid_state_transition");
  });
});
