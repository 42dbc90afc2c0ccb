import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { basic, type EverlyticUser, everlyticUser, rest } from "./helpers.js";

forEachDialect("Everlytic REST: errors are {\"error\": {\"message\"}} with a 4xx, and write nothing", (dialect) => {
  let s: TestServer;
  let user: EverlyticUser;
  let auth: string;
  let id: number;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    user = await everlyticUser(s);
    auth = basic(user.username, user.apikey);
    id = (await rest(s.url, "POST", "/api/2.0/customers", { auth, body: { name: "Err Or", email: "err@everlytic.example" } })).body.item.id;
  });
  after(async () => s.close());

  it("answers 404 for a missing customer and for an unknown resource", async () => {
    const r = await rest(s.url, "GET", "/api/2.0/customers/987654", { auth });
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { error: { message: "Customer not found", code: "not_found" } });
    const route = await rest(s.url, "GET", "/api/2.0/nothing-here", { auth });
    assert.equal(route.status, 404);
    assert.match(route.body.error.message, /No resource/);
  });

  it("names Everlytic's properties in validation errors and changes nothing", async () => {
    const r = await rest(s.url, "PUT", `/api/2.0/customers/${id}`, { auth, body: { email_quota: "lots", status: "paused", country: "Narnia", industry: "Mining", colour: "red" } });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(r.body.error.fields.map((f: { field: string }) => f.field).sort(), ["colour", "email_quota", "status"]);
    const values = await rest(s.url, "PUT", `/api/2.0/customers/${id}`, { auth, body: { country: "Narnia", industry: "Mining", name: `${"x".repeat(70)} Y` } });
    assert.equal(values.status, 400, values.text);
    assert.deepEqual(values.body.error.fields.map((f: { field: string }) => f.field).sort(), ["country", "industry", "name"]);
    const pkg = await rest(s.url, "PUT", `/api/2.0/customers/${id}`, { auth, body: { email_package_id: 424242, country: "ZA" } });
    assert.equal(pkg.status, 400, pkg.text);
    assert.equal(pkg.body.error.message, "email_package_id: no message package has id 424242");
    const read = await rest(s.url, "GET", `/api/2.0/customers/${id}`, { auth });
    assert.equal(read.body.item.country, "");
    assert.equal(read.body.item.name, "Err Or");
  });

  it("requires name and email on create, and refuses a bad id, bad JSON and a bad list query", async () => {
    const c = await rest(s.url, "POST", "/api/2.0/customers", { auth, body: { country: "ZA" } });
    assert.equal(c.status, 400);
    assert.deepEqual(c.body.error.fields.map((f: { field: string }) => f.field), ["name", "email"]);
    assert.equal((await rest(s.url, "GET", "/api/2.0/customers/abc", { auth })).status, 400);
    const json = await rest(s.url, "PUT", `/api/2.0/customers/${id}`, { auth, rawBody: "{nope" });
    assert.equal(json.status, 400);
    assert.match(json.body.error.message, /not valid JSON/);
    const list = await rest(s.url, "GET", "/api/2.0/customers?page=0&count=5000&order=colour&sort=x", { auth });
    assert.equal(list.status, 400, list.text);
  });

  it("refuses a transition the life cycle does not allow, naming from and to", async () => {
    const c = (await rest(s.url, "POST", "/api/2.0/customers", { auth, body: { name: "Closed Co", email: "closed@everlytic.example" } })).body.item.id;
    await api(s.url, "POST", `/v1/customers/${c}/close`, { body: {} });
    const r = await rest(s.url, "PUT", `/api/2.0/customers/${c}`, { auth, body: { status: "on", telephone: "+27 21 555 0199" } });
    assert.equal(r.status, 409, r.text);
    assert.match(r.body.error.message, /closed/);
    assert.equal((await rest(s.url, "GET", `/api/2.0/customers/${c}`, { auth })).body.item.telephone, "", "the field change rolled back with the refused transition");
  });

  it("answers 401 without credentials, with a wrong user name or key, and 404 for another reseller's customer", async () => {
    const none = await rest(s.url, "GET", `/api/2.0/customers/${id}`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get("www-authenticate") ?? "", /^Basic/);
    assert.ok(none.body.error.message);
    const other = await everlyticUser(s, "Other");
    assert.equal((await rest(s.url, "GET", `/api/2.0/customers/${id}`, { auth: basic(other.username, user.apikey) })).status, 401, "the key must belong to the named user");
    assert.equal((await rest(s.url, "GET", `/api/2.0/customers/${id}`, { auth: basic(user.username, "ck_nope") })).status, 401);
    assert.equal((await rest(s.url, "GET", `/api/2.0/customers/${id}`, { auth: "Basic !!!" })).status, 401);
    const foreign = await rest(s.url, "GET", `/api/2.0/customers/${id}`, { auth: basic(other.username, other.apikey) });
    const missing = await rest(s.url, "GET", "/api/2.0/customers/987654", { auth: basic(other.username, other.apikey) });
    assert.equal(foreign.status, 404);
    assert.deepEqual(foreign.body, missing.body, "another reseller's customer answers exactly like a missing one");
  });
});
