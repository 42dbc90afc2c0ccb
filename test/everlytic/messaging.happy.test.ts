import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

forEachDialect("messaging: packages, references and prepaid quotas over REST", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
  });
  after(async () => s.close());

  const newPackage = async (body: Record<string, unknown>) => {
    const r = await api(s.url, "POST", "/v1/message-packages", { body: { volume: 1000, period: "monthly", price: "199.00", currency: "zar", ...body } });
    assert.equal(r.status, 201, r.text);
    return r.body as { id: number; kind: string; currency: string };
  };
  const newCustomer = async (messaging: Record<string, unknown> = {}) => {
    const r = await api(s.url, "POST", "/v1/customers", { body: { email: `m${Math.random().toString(36).slice(2, 9)}@messaging.example`, company: "Sender BV", messaging } });
    assert.equal(r.status, 201, r.text);
    return r.body as { id: number; messaging: Record<string, number> };
  };

  it("creates packages of each kind, reads, lists by kind, changes and archives them", async () => {
    const e = await newPackage({ kind: "email", name: "E-mail Starter" });
    assert.equal(e.currency, "ZAR");
    await newPackage({ kind: "sms", name: "SMS 500", volume: 500 });
    await newPackage({ kind: "transactions", name: "Transactional 10k", volume: 10_000, period: "yearly", price: "1500.5" });
    const got = await api(s.url, "GET", `/v1/message-packages/${e.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.name, "E-mail Starter");
    const sms = await api(s.url, "GET", "/v1/message-packages?kind=sms");
    assert.deepEqual(sms.body.data.map((p: { name: string }) => p.name), ["SMS 500"]);
    const changed = await api(s.url, "PATCH", `/v1/message-packages/${e.id}`, { body: { volume: 2000, price: "249.99" } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.volume, 2000);
    assert.equal(changed.body.version, 2);
    const archived = await api(s.url, "POST", `/v1/message-packages/${e.id}/archive`);
    assert.equal(archived.body.archived, true);
    const live = await api(s.url, "GET", "/v1/message-packages?kind=email");
    assert.equal(live.body.data.length, 0, "archived packages leave the default list");
    const all = await api(s.url, "GET", "/v1/message-packages?kind=email&include_archived=true");
    assert.equal(all.body.data.length, 1);
  });

  it("lets a customer reference packages by id and keeps an archived one it already has", async () => {
    const e = await newPackage({ kind: "email", name: "E-mail Pro" });
    const t = await newPackage({ kind: "transactions", name: "Tx Pro" });
    const c = await newCustomer({ email_package_id: e.id, transactions_package_id: t.id, email_send_quota: 10 });
    assert.equal(c.messaging.email_package_id, e.id);
    await api(s.url, "POST", `/v1/message-packages/${e.id}/archive`);
    const kept = await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { city: "Durban", messaging: { sms_quota: 3 } } });
    assert.equal(kept.status, 200, kept.text);
    assert.equal(kept.body.messaging.email_package_id, e.id);
    const q = await api(s.url, "GET", `/v1/customers/${c.id}/quotas`);
    assert.deepEqual(q.body, { object: "quotas", customer_id: c.id, email: 10, sms: 3, transactions: 0, email_package_id: e.id, sms_package_id: null, transactions_package_id: t.id });
  });

  it("debits a quota, answers a repeated message id from the first debit, and shows the balance", async () => {
    const c = await newCustomer({ email_send_quota: 100, sms_quota: 5 });
    const d1 = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: 30, message_id: "msg-1" } });
    assert.equal(d1.status, 201, d1.text);
    assert.equal(d1.body.balance, 70);
    assert.equal(d1.body.replayed, false);
    const again = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: 30, message_id: "msg-1" } });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.replayed, true);
    assert.equal(again.body.balance, 70);
    const sms = await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "sms", units: 5, message_id: "msg-1" } });
    assert.equal(sms.status, 201, "the same message id on another quota is another debit");
    assert.equal(sms.body.balance, 0);
    const read = await api(s.url, "GET", `/v1/customers/${c.id}`);
    assert.equal(read.body.messaging.email_send_quota, 70);
    assert.equal(read.body.messaging.sms_quota, 0);
    const audit = await api(s.url, "GET", `/v1/audit?operation=quota.debit&target_type=customer&target_id=${c.id}`);
    assert.equal(audit.body.data.length, 2, "each debit is audited once; the replay is not");
  });

  it("applies 50 concurrent debits exactly and refuses every one past zero", async () => {
    const c = await newCustomer({ transactions_quota: 30 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "transactions", units: 1, message_id: `burst-${i}` } })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 201).length, 30, statuses.join(","));
    assert.equal(statuses.filter((x) => x === 409).length, 20, statuses.join(","));
    const balances = results.filter((r) => r.status === 201).map((r) => r.body.balance as number).sort((a, b) => a - b);
    assert.deepEqual(balances, Array.from({ length: 30 }, (_, i) => i), "every balance from 29 down to 0 seen exactly once");
    const q = await api(s.url, "GET", `/v1/customers/${c.id}/quotas`);
    assert.equal(q.body.transactions, 0);
  });

  it("applies 50 concurrent repeats of one message id as one debit", async () => {
    const c = await newCustomer({ email_send_quota: 100 });
    const results = await Promise.all(Array.from({ length: 50 }, () => api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "email", units: 7, message_id: "same" } })));
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    assert.equal(results.filter((r) => r.status === 200 && r.body.replayed === true).length, 49);
    assert.ok(results.every((r) => r.body.balance === 93));
    assert.equal((await api(s.url, "GET", `/v1/customers/${c.id}/quotas`)).body.email, 93);
  });

  it("purges a customer together with its debit ledger", async () => {
    const c = await newCustomer({ sms_quota: 2 });
    assert.equal((await api(s.url, "POST", `/v1/customers/${c.id}/quota-debits`, { body: { kind: "sms", units: 1, message_id: "p" } })).status, 201);
    const p = await api(s.url, "POST", `/v1/customers/${c.id}/purge`);
    assert.equal(p.status, 204, p.text);
  });
});
