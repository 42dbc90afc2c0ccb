import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

/** Every refusal is a problem+json with a stable code; none is a 500 and none shows a stack. */
function assertProblem(r: { status: number; headers: Headers; body: any; text: string }, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get("content-type") ?? "", /application\/problem\+json/);
  assert.equal(r.body.code, code);
  assert.equal(r.body.status, status);
  assert.ok(r.body.request_id);
  assert.doesNotMatch(r.text, /at .*\.(ts|js):\d+/, "no stack trace");
}

forEachDialect("REST customers, bad input", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { bodyLimit: 4096 });
  });
  after(async () => s.close());

  const countCustomers = async () => (await api(s.url, "GET", "/v1/customers/count?include_deleted=true")).body.count as number;

  it("refuses malformed JSON with 400 naming the problem", async () => {
    const r = await api(s.url, "POST", "/v1/customers", { rawBody: '{"email": "a@b.example",', headers: { "content-type": "application/json" } });
    assertProblem(r, 400, "malformed_request");
    assert.match(r.body.detail, /not valid JSON/);
  });

  it("refuses a body that is not valid UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from('{"email":"x@y.example","company":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const r = await api(s.url, "POST", "/v1/customers", { rawBody: bytes, headers: { "content-type": "application/json" } });
    assertProblem(r, 400, "malformed_request");
    assert.match(r.body.detail, /UTF-8/);
  });

  it("refuses wrong types, unknown fields and control characters, naming each field", async () => {
    const r = await api(s.url, "POST", "/v1/customers", {
      body: { email: 42, company: "Acme\u0007", notes_visible: "yes", colour: "blue", address: { street: "x" } },
    });
    assertProblem(r, 422, "validation_failed");
    const byField = Object.fromEntries(r.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    assert.equal(byField.email, "invalid_type");
    assert.equal(byField.company, "invalid_format");
    assert.equal(byField.notes_visible, "invalid_type");
    assert.equal(byField.colour, "not_allowed");
    assert.equal(byField.address, "not_allowed");
  });

  it("requires e-mail, and company or both names", async () => {
    const r1 = await api(s.url, "POST", "/v1/customers", { body: { company: "No Mail Ltd" } });
    assertProblem(r1, 422, "validation_failed");
    assert.deepEqual(r1.body.errors.map((e: { field: string }) => e.field), ["email"]);
    assert.equal(r1.body.errors[0].code, "required");
    const r2 = await api(s.url, "POST", "/v1/customers", { body: { email: "only-first@example.com", first_name: "Solo" } });
    assertProblem(r2, 422, "validation_failed");
    assert.deepEqual(r2.body.errors.map((e: { field: string }) => e.field), ["last_name"]);
  });

  it("validates phone, country, VAT, zipcode and locale with real rules", async () => {
    const r = await api(s.url, "POST", "/v1/customers", {
      body: { email: "rules@example.com", company: "Rules BV", phone: "12345", country: "ZZ", vat_number: "DE000000000", zipcode: "12#45", locale: "english" },
    });
    assertProblem(r, 422, "validation_failed");
    const fields = r.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ["country", "locale", "phone", "vat_number", "zipcode"]);
  });

  it("refuses an oversize body with 413", async () => {
    const r = await api(s.url, "POST", "/v1/customers", { body: { email: "big@example.com", company: "Big", notes: "x".repeat(8000) } });
    assertProblem(r, 413, "payload_too_large");
  });

  it("refuses a body that is not JSON with 415", async () => {
    const r = await api(s.url, "POST", "/v1/customers", { rawBody: "email=a@b.example", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assertProblem(r, 415, "unsupported_media_type");
  });

  it("refuses a duplicate e-mail, login or external id with 409 naming the field, writing nothing", async () => {
    const first = await api(s.url, "POST", "/v1/customers", { body: { email: "dup@example.com", company: "Dup", login: "dupuser", external_id: "dup-1" } });
    assert.equal(first.status, 201, first.text);
    const before = await countCustomers();
    for (const [body, field] of [
      [{ email: "DUP@example.com", company: "Dup 2" }, "email"],
      [{ email: "dup2@example.com", company: "Dup 2", login: "DupUser" }, "login"],
      [{ email: "dup3@example.com", company: "Dup 3", external_id: "dup-1" }, "external_id"],
    ] as const) {
      const r = await api(s.url, "POST", "/v1/customers", { body });
      assertProblem(r, 409, "conflict");
      assert.equal(r.body.errors[0].field, field);
    }
    assert.equal(await countCustomers(), before, "nothing half-written");
  });

  it("lets exactly one of many concurrent creates with the same e-mail succeed", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api(s.url, "POST", "/v1/customers", { body: { email: "race@example.com", company: `Race ${i}` } })),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((x) => x === 201).length, 1, JSON.stringify(statuses));
    for (const r of results.filter((x) => x.status !== 201)) assertProblem(r, 409, "conflict");
  });

  it("refuses unknown filter fields, operators, bad cursors and mixed paging", async () => {
    assertProblem(await api(s.url, "GET", "/v1/customers?filter[password][eq]=x"), 422, "validation_failed");
    assertProblem(await api(s.url, "GET", "/v1/customers?filter[email][regex]=x"), 422, "validation_failed");
    assertProblem(await api(s.url, "GET", "/v1/customers?filter[id][gt]=abc"), 422, "validation_failed");
    assertProblem(await api(s.url, "GET", "/v1/customers?sort=email;drop table customers"), 422, "validation_failed");
    assertProblem(await api(s.url, "GET", "/v1/customers?starting_after=bm9wZQ"), 422, "validation_failed");
    assertProblem(await api(s.url, "GET", "/v1/customers?limit=1000"), 422, "validation_failed");
    assertProblem(await api(s.url, "GET", "/v1/customers?starting_after=a&ending_before=b"), 422, "validation_failed");
    assertProblem(await api(s.url, "GET", "/v1/customers?colour=blue"), 422, "validation_failed");
  });

  it("treats SQL in filter values as data", async () => {
    const r = await api(s.url, "GET", `/v1/customers?filter[email][like]=${encodeURIComponent("' or 1=1 --")}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.data.length, 0);
  });

  it("answers 404 problems for missing customers and unknown routes, 401 without a key", async () => {
    assertProblem(await api(s.url, "GET", "/v1/customers/999999"), 404, "not_found");
    assertProblem(await api(s.url, "GET", "/v1/customers/ZZ000000-ZZ"), 404, "not_found");
    assertProblem(await api(s.url, "GET", "/v1/nothing-here"), 404, "not_found");
    const r = await api(s.url, "GET", "/v1/customers", { key: null });
    assertProblem(r, 401, "unauthenticated");
    assert.match(r.headers.get("www-authenticate") ?? "", /Bearer/);
    assertProblem(await api(s.url, "GET", "/v1/customers", { key: "not-a-real-key" }), 401, "unauthenticated");
  });

  it("refuses to update a tombstone and a malformed If-Match", async () => {
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "tomb@example.com", company: "Tomb" } })).body;
    assertProblem(await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { city: "X" }, headers: { "if-match": "garbage" } }), 412, "precondition_failed");
    await api(s.url, "DELETE", `/v1/customers/${c.id}`);
    assertProblem(await api(s.url, "PATCH", `/v1/customers/${c.id}`, { body: { city: "X" } }), 409, "invalid_state_transition");
    assertProblem(await api(s.url, "DELETE", `/v1/customers/${c.id}`), 409, "invalid_state_transition");
  });
});

forEachDialect("REST idempotency keys", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect);
  });
  after(async () => s.close());

  it("replays the stored answer for the same key and body, creating one customer", async () => {
    const body = { email: "idem@example.com", company: "Idem" };
    const headers = { "idempotency-key": "k-1" };
    const a = await api(s.url, "POST", "/v1/customers", { body, headers });
    const b = await api(s.url, "POST", "/v1/customers", { body, headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers.get("idempotent-replayed"), "true");
    assert.equal(b.body.id, a.body.id);
    const n = await api(s.url, "GET", "/v1/customers/count?filter[email]=idem@example.com");
    assert.equal(n.body.count, 1);
  });

  it("refuses the same key with a different body", async () => {
    const headers = { "idempotency-key": "k-2" };
    await api(s.url, "POST", "/v1/customers", { body: { email: "idem2@example.com", company: "Idem" }, headers });
    const r = await api(s.url, "POST", "/v1/customers", { body: { email: "other@example.com", company: "Idem" }, headers });
    assert.equal(r.status, 422);
    assert.equal(r.body.code, "idempotency_key_reused");
  });

  it("replays a refusal too, so a retry sees the same answer", async () => {
    const headers = { "idempotency-key": "k-3" };
    const a = await api(s.url, "POST", "/v1/customers", { body: { email: "nope" }, headers });
    const b = await api(s.url, "POST", "/v1/customers", { body: { email: "nope" }, headers });
    assert.equal(a.status, 422);
    assert.equal(b.status, 422);
    assert.equal(b.headers.get("idempotent-replayed"), "true");
  });

  it("makes concurrent uses of one key wait for the first and replay it: one customer", async () => {
    const body = { email: "idem-race@example.com", company: "Race" };
    const results = await Promise.all(Array.from({ length: 6 }, () => api(s.url, "POST", "/v1/customers", { body, headers: { "idempotency-key": "k-race" } })));
    for (const r of results) assert.equal(r.status, 201, r.text);
    const n = await api(s.url, "GET", "/v1/customers/count?filter[email]=idem-race@example.com");
    assert.equal(n.body.count, 1);
  });
});
