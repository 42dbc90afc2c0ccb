import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const jane = { email: "Jane.Doe@Example.com", first_name: "Jane", last_name: "Doe", country: "nl", phone: "+31 20 123 4567", city: "Amsterdam" };

forEachDialect("REST customers, happy paths", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect);
  });
  after(async () => s.close());

  it("creates a customer with generated handle, login and number, and reads it back by every key", async () => {
    const r = await api(s.url, "POST", "/v1/customers", { body: jane });
    assert.equal(r.status, 201, r.text);
    const c = r.body;
    assert.match(c.handle, /^JD\d{6}-NL$/);
    assert.equal(c.login, `cust${c.id}`);
    assert.equal(c.customer_number, String(10000 + c.id));
    assert.equal(c.email, "jane.doe@example.com");
    assert.equal(c.phone, "+31.201234567");
    assert.equal(c.version, 1);
    assert.equal(r.headers.get("etag"), '"v1"');
    assert.ok(r.headers.get("x-request-id"));
    for (const ref of [String(c.id), c.handle, c.login, "jane.doe@example.com", `number:${c.customer_number}`, `id:${c.id}`]) {
      const g = await api(s.url, "GET", `/v1/customers/${encodeURIComponent(ref)}`);
      assert.equal(g.status, 200, `lookup by ${ref}: ${g.text}`);
      assert.equal(g.body.id, c.id);
    }
  });

  it("looks a customer up by its external id", async () => {
    const r = await api(s.url, "POST", "/v1/customers", { body: { email: "ext@example.com", company: "Ext BV", external_id: "evly-77" } });
    assert.equal(r.status, 201, r.text);
    const g = await api(s.url, "GET", "/v1/customers/external:evly-77");
    assert.equal(g.body.id, r.body.id);
  });

  it("updates some fields, bumps the version and honours If-Match", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "upd@example.com", company: "Upd GmbH", country: "DE" } })).body;
    const u = await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { city: "Berlin", vat_number: "DE136695976", metadata: { plan: "gold" } }, headers: { "if-match": '"v1"' } });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.city, "Berlin");
    assert.equal(u.body.version, 2);
    assert.equal(u.headers.get("etag"), '"v2"');
    const stale = await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { city: "Hamburg" }, headers: { "if-match": '"v1"' } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.code, "precondition_failed");
    const cleared = await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { city: null, metadata: { plan: "" } } });
    assert.equal(cleared.body.city, null);
    assert.deepEqual(cleared.body.metadata, {});
    const notModified = await api(s.url, "GET", `/v1/customers/${c.id}`, { headers: { "if-none-match": '"v3"' } });
    assert.equal(notModified.status, 304);
  });

  it("soft-deletes into a readable tombstone and purges for good", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "gone@example.com", company: "Gone Ltd" } })).body;
    const d = await api(s.url, "DELETE", `/v1/customers/${c.id}`);
    assert.equal(d.status, 200);
    assert.equal(d.body.deleted, true);
    assert.equal(d.body.status, "deleted");
    const g = await api(s.url, "GET", `/v1/customers/${c.id}`);
    assert.equal(g.body.deleted, true);
    const listed = await api(s.url, "GET", "/v1/customers?filter[id]=" + c.id);
    assert.equal(listed.body.data.length, 0);
    const again = await api(s.url, "POST", "/v1/customers", { body: { email: "gone@example.com", company: "Gone Again" } });
    assert.equal(again.status, 201, "a tombstone frees its e-mail address");
    const p = await api(s.url, "POST", `/v1/customers/${c.id}/purge`);
    assert.equal(p.status, 204);
    assert.equal((await api(s.url, "GET", `/v1/customers/${c.id}`)).status, 404);
  });

  it("lists with filters, multi-field sort, cursors both ways, offset and total", async () => {
    for (let i = 0; i < 7; i++) {
      const r = await api(s.url, "POST", "/v1/customers", { body: { email: `list${i}@paging.example`, first_name: "Pat", last_name: `Page${i % 3}`, country: "DE" } });
      assert.equal(r.status, 201, r.text);
    }
    const q = "/v1/customers?filter[email][prefix]=list&sort=last_name,-id&limit=3&include_total=true";
    const p1 = await api(s.url, "GET", q);
    assert.equal(p1.status, 200, p1.text);
    assert.equal(p1.body.total, 7);
    assert.equal(p1.body.data.length, 3);
    assert.equal(p1.body.has_more, true);
    const p2 = await api(s.url, "GET", `${q}&starting_after=${p1.body.next_cursor}`);
    const p3 = await api(s.url, "GET", `${q}&starting_after=${p2.body.next_cursor}`);
    assert.equal(p3.body.data.length, 1);
    assert.equal(p3.body.has_more, false);
    const all = [...p1.body.data, ...p2.body.data, ...p3.body.data];
    const names = all.map((c: { last_name: string; id: number }) => `${c.last_name}:${c.id}`);
    const sorted = [...all].sort((a, b) => (a.last_name < b.last_name ? -1 : a.last_name > b.last_name ? 1 : b.id - a.id));
    assert.deepEqual(names, sorted.map((c) => `${c.last_name}:${c.id}`));
    const back = await api(s.url, "GET", `${q}&ending_before=${p2.body.prev_cursor}`);
    assert.deepEqual(back.body.data.map((c: { id: number }) => c.id), p1.body.data.map((c: { id: number }) => c.id));
    const off = await api(s.url, "GET", "/v1/customers?filter[email][prefix]=list&sort=last_name,-id&limit=3&offset=3");
    assert.deepEqual(off.body.data.map((c: { id: number }) => c.id), p2.body.data.map((c: { id: number }) => c.id));
    const inList = await api(s.url, "GET", "/v1/customers?filter[last_name][in]=Page0,Page2&filter[email][like]=list*@paging.example");
    assert.equal(inList.body.data.length, 5);
    const ne = await api(s.url, "GET", "/v1/customers/count?filter[last_name][ne]=Page1&filter[email][prefix]=list");
    assert.equal(ne.body.count, 5);
  });

  it("serves health, the OpenAPI document and the docs page", async () => {
    assert.equal((await api(s.url, "GET", "/health", { key: null })).status, 200);
    const doc = await api(s.url, "GET", "/openapi.json", { key: null });
    assert.equal(doc.body.openapi, "3.1.0");
    assert.ok(doc.body.paths["/v1/customers/{ref}"].patch);
    const docs = await fetch(`${s.url}/docs/`);
    assert.equal(docs.status, 200);
  });
});
