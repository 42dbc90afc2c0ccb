import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { type Actor, World } from "../security/world.js";
import { froxlor } from "./client.js";

forEachDialect("Froxlor api.php: error texts, coercions, units, budgets, customer keys", (dialect) => {
  let s: TestServer;
  let w: World;
  let admin: Actor;
  let n = 0;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    w = new World(s);
    admin = await w.keyFor("operator", await w.operatorId());
  });
  after(async () => s.close());

  const add = (key: string, params: Record<string, unknown> = {}) => {
    n++;
    return froxlor(s.url, key, "Customers.add", { email: `c${n}.${Math.random().toString(36).slice(2, 7)}@froxlor.example`, company: `Company ${n}`, new_customer_password: "Fr0xlor-Passw0rd", ...params });
  };
  const message = (r: { status: number; body: any }) => [r.status, r.body?.message];

  it("words envelope problems as api.php does", async () => {
    const k = admin.key;
    assert.deepEqual(message(await froxlor(s.url, k, "", [], { raw: "" })), [400, "Empty request body."]);
    assert.deepEqual(message(await froxlor(s.url, k, "", [], { raw: '{"command":"Customers.listing","params":["show_usages":1]}' })), [400, "Invalid JSON Format."]);
    assert.deepEqual(message(await froxlor(s.url, k, "", [], { raw: '{"params":{}}' })), [400, "Please provide a command."]);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers")), [400, "The given command is invalid."]);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.get.id")), [400, "The given command is invalid."]);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.nope")), [400, "Unknown command"]);
    assert.deepEqual(message(await froxlor(s.url, k, "customers.listing")), [400, "Unknown command"], "the class part is case-sensitive");
    assert.equal((await froxlor(s.url, k, "Customers.LISTING")).status, 200, "the method part is not");
    assert.equal((await froxlor(s.url, k, "Customers.listing", null)).status, 200, "params null = none");
    assert.equal((await froxlor(s.url, k, "Customers.listing", [])).status, 200, "params [] = none");
  });

  it("answers hostile input with a 4xx, never a server error, on both databases", async () => {
    const k = admin.key;
    for (const [command, params] of [
      ["Customers.get", { loginname: "a\u0000b" }],
      ["Customers.listing", { sql_search: { loginname: "a\u0000" } }],
      ["Customers.listing", { sql_search: { "login\u0000name": "a" } }],
      ["HostingPlans.get", { planname: "x\u0000" }],
      ["Customers.get", { loginname: "\uD800" }],
      ["HostingPlans.add", { name: "\uDC00x" }],
      ["Customers.add", { email: "nul@froxlor.example", company: "a\u0000b", new_customer_password: "Fr0xlor-Passw0rd" }],
    ] as const) {
      const r = await froxlor(s.url, k, command, params);
      assert.equal(r.status, 400, `${command} ${JSON.stringify(params)}: ${r.text}`);
      assert.match(r.body.message, /^The value for the field ".+" is not in the expected format\.$/);
    }
    const deep = await froxlor(s.url, k, "", [], { raw: `{"command":"Customers.listing","params":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}` });
    assert.deepEqual([deep.status, deep.body.message], [400, "The parameters nest deeper than 32 levels."]);
    const deeper = await froxlor(s.url, k, "", [], { raw: `{"command":"Customers.listing","params":{"x":${"[".repeat(50_000)}${"]".repeat(50_000)}}}` });
    assert.equal(deeper.status, 400, deeper.text);
    const huge = await froxlor(s.url, k, "", [], { raw: `{"command":"Customers.add","params":{"company":"${"x".repeat(400 * 1024)}"}}` });
    assert.deepEqual([huge.status, huge.body.message], [413, "The request body is too large."]);
  });

  it("checks credentials before the body, and answers every credential problem with the same 403", async () => {
    const op = await w.operatorId();
    const bad = { status: 403, message: "Invalid authorization credentials" };
    const expired = await w.keyFor("operator", op);
    await w.expire(expired.keyId);
    const revoked = await w.keyFor("operator", op);
    await s.app.services.keys.revoke(systemContext("test"), revoked.keyId);
    const fenced = await w.keyFor("operator", op);
    await s.app.services.keys.createAcl(systemContext("test"), fenced.keyId, { address: "192.0.2.0/24" });
    const r = await w.reseller();
    const noApi = await w.customer(r.id);
    await api(s.url, "PATCH", `/v1/customers/${noApi.id}`, { body: { api_allowed: false } });
    const off = await w.customer(r.id);
    await froxlor(s.url, admin.key, "Customers.update", { id: off.id, deactivated: 1 });
    for (const [what, key] of [
      ["unknown key", "ck_0000000000ff_nothingLikeThisWasEverIssued"],
      ["valid_until passed", expired.key],
      ["revoked", revoked.key],
      ["client outside allowed_from", fenced.key],
      ["api_allowed off", noApi.key],
      ["customer deactivated", off.key],
    ] as const) {
      const res = await froxlor(s.url, key, "", [], { raw: "" });
      assert.deepEqual({ status: res.status, message: res.body?.message }, bad, what);
    }
    const allowed = await w.keyFor("operator", op);
    await s.app.services.keys.createAcl(systemContext("test"), allowed.keyId, { address: "127.0.0.0/8" });
    await s.app.services.keys.createAcl(systemContext("test"), allowed.keyId, { address: "::1" });
    assert.equal((await froxlor(s.url, allowed.key, "Froxlor.listFunctions")).status, 200, "allowed_from that holds the client");
  });

  it("words missing, empty and unknown parameters and customers in Froxlor's texts", async () => {
    const k = admin.key;
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.get", {})), [404, 'Requested parameter "loginname" could not be found for "Customers:get"']);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.get", { id: 0, loginname: "" })), [406, 'Requested parameter "loginname" is empty where it should not be for "Customers:get"']);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.add", { company: "No Mail" })), [404, 'Requested parameter "email" could not be found for "Customers:add"']);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.get", { id: 987654 })), [404, "Customer with id #987654 could not be found"]);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.get", { loginname: "nobody" })), [404, "Customer with loginname 'nobody' could not be found"]);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.move", { id: 1 })), [404, 'Requested parameter "adminid" could not be found for "Customers:move"']);
  });

  it("words validation failures as Froxlor does", async () => {
    const k = admin.key;
    assert.deepEqual(message(await add(k, { zipcode: "12<34" })), [400, 'The value for the field "zipcode" is not in the expected format.']);
    assert.deepEqual(message(await add(k, { email: "not-an-address" })), [400, "Email-address not-an-address contains invalid characters or is incomplete"]);
    assert.deepEqual(message(await add(k, { new_loginname: "9lives" })), [400, 'Loginname "9lives" contains illegal characters.']);
    assert.deepEqual(message(await add(k, { new_loginname: `a${"b".repeat(50)}` })), [400, "Loginname contains too many characters. Only 42 characters are allowed."]);
    assert.deepEqual(message(await add(k, { new_loginname: "halfdone", new_customer_password: "short" })), [400, "The given password is too short. Please enter at least 10 characters."]);
    assert.equal((await froxlor(s.url, k, "Customers.get", { loginname: "halfdone" })).status, 404, "a refused password leaves no customer behind");
    const first = await add(k, { new_loginname: "taken1" });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(message(await add(k, { new_loginname: "TAKEN1" })), [400, "Loginname TAKEN1 already exists"]);
    assert.deepEqual(message(await froxlor(s.url, k, "Customers.update", { loginname: "taken1", email: "" })), [400, "Missing Input in Field Email"]);
    const nameless = await froxlor(s.url, k, "Customers.add", { email: "nameless@froxlor.example", new_customer_password: "Fr0xlor-Passw0rd" });
    assert.equal(nameless.status, 400, nameless.text);
    assert.match(nameless.body.message, /^Missing Input in Field (First name|Name)$/);
  });

  it("reads booleans as PHP does: true, 1, \"1\", \"2\" are on; false, 0, \"0\", \"\", \"true\", \"yes\" are off", async () => {
    const r = await add(admin.key);
    const id = r.body.data.customerid;
    for (const [value, expected] of [
      [true, 1],
      [false, 0],
      [1, 1],
      [0, 0],
      ["1", 1],
      ["2", 1],
      ["0", 0],
      ["", 0],
      ["true", 0],
      ["yes", 0],
    ] as const) {
      const u = await froxlor(s.url, admin.key, "Customers.update", { id, phpenabled: value });
      assert.equal(u.status, 200, u.text);
      assert.equal(u.body.data.phpenabled, expected, `phpenabled=${JSON.stringify(value)}`);
    }
  });

  it("converts diskspace (MB) and traffic (GB) to KiB in rows, with Froxlor's unlimited values, and back", async () => {
    const r = await add(admin.key, { diskspace: 100, traffic: 3, emails: 7 });
    const row = r.body.data;
    assert.equal(row.diskspace, 100 * 1024);
    assert.equal(row.traffic, 3 * 1048576);
    assert.equal(row.emails, 7);
    const same = await froxlor(s.url, admin.key, "Customers.update", { id: row.customerid, diskspace: row.diskspace / 1024, traffic: row.traffic / 1048576 });
    assert.equal(same.body.data.diskspace, row.diskspace, "MB -> KiB -> MB round trip");
    assert.equal(same.body.data.traffic, row.traffic);
    const rest = await api(s.url, "GET", `/v1/customers/${row.customerid}`);
    assert.equal(rest.body.resources.diskspace_mb, 100);
    assert.equal(rest.body.resources.traffic_gb, 3);
    const ul = await froxlor(s.url, admin.key, "Customers.update", { id: row.customerid, diskspace_ul: 1, traffic_ul: true, emails_ul: "1" });
    assert.equal(ul.body.data.diskspace, -1024);
    assert.equal(ul.body.data.traffic, -1048576);
    assert.equal(ul.body.data.emails, -1);
  });

  it("refuses what a reseller's budget does not cover, sequentially and under 20 concurrent adds", async () => {
    const r = await w.reseller();
    await api(s.url, "PUT", `/v1/resellers/${r.id}/budget`, { body: { customers: 3, diskspace_mb: 100 } });
    assert.equal((await add(r.key, { diskspace: 60 })).status, 200);
    assert.deepEqual(message(await add(r.key, { diskspace: 50 })), [400, "You cannot allocate more resources than you own for yourself."]);
    assert.deepEqual(message(await add(r.key, { diskspace_ul: 1 })), [400, "You cannot allocate more resources than you own for yourself."]);
    assert.equal((await add(r.key, { diskspace: 40 })).status, 200);
    assert.equal((await add(r.key)).status, 200);
    assert.deepEqual(message(await add(r.key)), [406, "No more resources available"]);

    const racer = await w.reseller();
    await api(s.url, "PUT", `/v1/resellers/${racer.id}/budget`, { body: { customers: 4 } });
    const results = await Promise.all(Array.from({ length: 20 }, () => add(racer.key)));
    const ok = results.filter((x) => x.status === 200).length;
    assert.equal(ok, 4, results.map((x) => `${x.status} ${x.body?.message ?? ""}`).join("; "));
    assert.ok(results.filter((x) => x.status !== 200).every((x) => x.status === 406 && x.body.message === "No more resources available"));
    const count = await froxlor(s.url, racer.key, "Customers.listingCount");
    assert.equal(count.body.data, 4, "no overshoot");
  });

  it("lets a customer key read only itself and change only def_language and theme", async () => {
    const r = await w.reseller();
    const me = await w.customer(r.id);
    const other = await w.customer(r.id);
    const own = await froxlor(s.url, me.key, "Customers.get", { id: me.id });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.body.data.adminname, undefined, "a customer's own row has no adminname");
    assert.deepEqual(message(await froxlor(s.url, me.key, "Customers.get", { id: other.id })), [401, "You cannot access data of other customers"]);
    assert.deepEqual(message(await froxlor(s.url, me.key, "Customers.listing")), [403, "Not allowed to execute given command."]);
    assert.deepEqual(message(await froxlor(s.url, me.key, "Customers.add", { email: "x@froxlor.example" })), [403, "Not allowed to execute given command."]);
    const u = await froxlor(s.url, me.key, "Customers.update", { id: me.id, def_language: "Deutsch", theme: "Sparkle", firstname: "Mallory", email: "mallory@evil.example", diskspace_ul: 1, deactivated: 0 });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.data.def_language, "Deutsch");
    assert.equal(u.body.data.theme, "Sparkle");
    assert.equal(u.body.data.firstname, "", "other fields are silently ignored");
    assert.notEqual(u.body.data.email, "mallory@evil.example");
    assert.equal(u.body.data.diskspace, 0);
    // Custos: a customer's API key cannot set its password without the current one (README).
    assert.deepEqual(message(await froxlor(s.url, me.key, "Customers.update", { id: me.id, new_customer_password: "N3w-Passw0rd!" })), [403, "Not allowed to execute given command."]);
  });

  it("moves customers between admins with Froxlor's refusals", async () => {
    const a = await w.reseller();
    const b = await w.reseller();
    const c = await add(a.key);
    const id = c.body.data.customerid;
    assert.deepEqual(message(await froxlor(s.url, admin.key, "Customers.move", { id, adminid: a.id })), [406, "Cannot move customer to the same admin/reseller as he currently is assigned to"]);
    assert.deepEqual(message(await froxlor(s.url, admin.key, "Customers.move", { id, adminid: 987654 })), [404, "Admin with id #987654 could not be found"]);
    assert.deepEqual(message(await froxlor(s.url, a.key, "Customers.move", { id, adminid: b.id })), [403, "Not allowed to execute given command."]);
    const moved = await froxlor(s.url, admin.key, "Customers.move", { id, adminid: b.id });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.data.adminid, b.id);
  });

  it("searches, sorts and pages listings like Froxlor, with loginname and c.loginname alike", async () => {
    const r = await w.reseller();
    for (const login of ["alpha1", "alpha2", "beta1"]) assert.equal((await add(r.key, { new_loginname: login })).status, 200);
    const like = await froxlor(s.url, r.key, "Customers.listing", { sql_search: { loginname: "alpha" } });
    assert.deepEqual(like.body.data.list.map((x: { loginname: string }) => x.loginname).sort(), ["alpha1", "alpha2"]);
    const qualified = await froxlor(s.url, r.key, "Customers.listing", { sql_search: { "c.loginname": { op: "=", value: "beta1" } } });
    assert.deepEqual(qualified.body.data.list.map((x: { loginname: string }) => x.loginname), ["beta1"]);
    const inList = await froxlor(s.url, r.key, "Customers.listing", { sql_search: { loginname: { op: "IN", value: ["alpha2", "beta1", "x@y.z"] } } });
    assert.equal(inList.body.data.count, 2);
    const page = await froxlor(s.url, r.key, "Customers.listing", { sql_orderby: { loginname: "DESC" }, sql_limit: 2, sql_offset: 1 });
    assert.deepEqual(page.body.data.list.map((x: { loginname: string }) => x.loginname), ["alpha2", "alpha1"]);
    assert.equal(page.body.data.count, 2, "count is the rows of this page");
    const ignored = await froxlor(s.url, r.key, "Customers.listing", { sql_offset: 2, sql_search: { "no;such": "x", password: "y" } });
    assert.equal(ignored.body.data.count, 3, "offset without sql_limit is ignored; unknown fields are skipped");
    const total = await froxlor(s.url, r.key, "Customers.listingCount", { sql_search: { loginname: "alpha" } });
    assert.equal(total.body.data, 2);
  });

  it("shows usage with show_usages and in the _used columns", async () => {
    const r = await w.reseller();
    const c = await add(r.key, { diskspace: 10 });
    const id = c.body.data.customerid;
    await api(s.url, "POST", "/v1/usage", {
      key: r.key,
      body: { samples: [
        { customer_id: id, resource: "webspace_mb", value: 2, sampled_at: "2026-11-23T10:00:00Z" },
        { customer_id: id, resource: "mailspace_mb", value: 1, sampled_at: "2026-11-23T10:00:00Z" },
        { customer_id: id, resource: "domains", value: 3, sampled_at: "2026-11-23T10:00:00Z" },
      ] },
    });
    const got = await froxlor(s.url, r.key, "Customers.get", { id, show_usages: true });
    assert.equal(got.body.data.webspace_used, 2048);
    assert.equal(got.body.data.mailspace_used, 1024);
    assert.equal(got.body.data.dbspace_used, 0);
    assert.equal(got.body.data.domains, 3);
    assert.equal(got.body.data.diskspace_used, 3072);
    const plain = await froxlor(s.url, r.key, "Customers.get", { id });
    assert.equal(plain.body.data.webspace_used, undefined);
  });
});
