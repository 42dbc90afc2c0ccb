import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { basic, type EverlyticUser, everlyticUser, rest } from "./helpers.js";

forEachDialect("Everlytic REST /api/2.0/customers", (dialect) => {
  let s: TestServer;
  let user: EverlyticUser;
  let auth: string;
  let emailPackage: number;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    user = await everlyticUser(s);
    auth = basic(user.username, user.apikey);
    emailPackage = (await api(s.url, "POST", "/v1/message-packages", { body: { kind: "email", name: "Bulk 10k", volume: 10000, period: "monthly", price: "499.00", currency: "ZAR" } })).body.id;
  });
  after(async () => s.close());

  it("creates, reads, updates partially and deletes a customer with Everlytic's property names", async () => {
    const created = await rest(s.url, "POST", "/api/2.0/customers", {
      auth,
      body: { name: "Thandi Nkosi", email: "thandi@shop.example", country: "za", industry: "E-commerce", email_package_id: emailPackage, email_quota: "5000", unique_id: "EV-1001", telephone: "+27 21 555 0100", postal_code: 8001 },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.item.id as number;
    assert.equal(created.headers.get("location"), `/api/2.0/customers/${id}`);
    assert.deepEqual(created.body, {
      item: {
        id,
        name: "Thandi Nkosi",
        status: "on",
        deleted: "no",
        email: "thandi@shop.example",
        email_package_id: emailPackage,
        email_quota: 5000,
        sms_quota: 0,
        transactions_package_id: 0,
        transactions_quota: 0,
        address: "",
        state_provinces: "",
        postal_code: "8001",
        telephone: "+27215550100",
        website_url: "",
        country: "ZA",
        industry: "E-commerce",
        unique_id: "EV-1001",
      },
      links: { self: `/api/2.0/customers/${id}` },
    });
    const native = await api(s.url, "GET", `/v1/customers/${id}`);
    assert.equal(native.body.first_name, "Thandi");
    assert.equal(native.body.last_name, "Nkosi");
    assert.equal(native.body.owner_id, user.accountId, "the Basic user owns what it creates");
    assert.equal(native.body.messaging.email_send_quota, 5000);

    const got = await rest(s.url, "GET", `/api/2.0/customers/${id}`, { auth });
    assert.equal(got.status, 200);
    assert.equal(got.body.item.unique_id, "EV-1001");

    const put = await rest(s.url, "PUT", `/api/2.0/customers/${id}`, { auth, body: { status: "suspended", sms_quota: 250, address: "1 Long Street", state_provinces: "Western Cape" } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.item.status, "suspended");
    assert.equal(put.body.item.sms_quota, 250);
    assert.equal(put.body.item.email, "thandi@shop.example", "properties not sent stay as they were");
    const lc = await api(s.url, "GET", `/v1/customers/${id}/lifecycle`);
    assert.equal(lc.body.status, "suspended");
    assert.equal(lc.body.imposed_by, "reseller");
    assert.match(lc.body.reason, /Everlytic/);
    const on = await rest(s.url, "PUT", `/api/2.0//customers/${id}`, { auth, body: { status: "on" } });
    assert.equal(on.status, 200, `a doubled slash is tolerated: ${on.text}`);
    assert.equal(on.body.item.status, "on");

    const del = await rest(s.url, "DELETE", `/api/2.0/customers/${id}`, { auth });
    assert.equal(del.status, 200, del.text);
    assert.equal(del.body.item.deleted, "yes");
    assert.equal(del.body.item.status, "deleted");
  });

  it("lists pages with page/count and links, ordered and filtered", async () => {
    const lister = await everlyticUser(s, "Lister");
    const a = basic(lister.username, lister.apikey);
    for (let i = 1; i <= 5; i++) {
      const r = await rest(s.url, "POST", "/api/2.0/customers", { auth: a, body: { name: `Page Person${i}`, email: `page${i}@list.example`, country: i % 2 ? "ZA" : "NL" } });
      assert.equal(r.status, 201, r.text);
    }
    const p1 = await rest(s.url, "GET", "/api/2.0/customers?page=1&count=2&order=email&direction=DESC", { auth: a });
    assert.equal(p1.status, 200, p1.text);
    assert.deepEqual(p1.body.collection.map((c: { email: string }) => c.email), ["page5@list.example", "page4@list.example"]);
    assert.deepEqual(p1.body.links, { self: "/api/2.0/customers?page=1&count=2", first: "/api/2.0/customers?page=1&count=2", last: "/api/2.0/customers?page=3&count=2", next: "/api/2.0/customers?page=2&count=2" });
    const p3 = await rest(s.url, "GET", "/api/2.0/customers?page=3&count=2&order=email&direction=DESC", { auth: a });
    assert.deepEqual(p3.body.collection.map((c: { email: string }) => c.email), ["page1@list.example"]);
    assert.equal(p3.body.links.next, undefined);
    const za = await rest(s.url, "GET", "/api/2.0/customers?filter[country]=ZA&order=email", { auth: a });
    assert.deepEqual(za.body.collection.map((c: { email: string }) => c.email), ["page1@list.example", "page3@list.example", "page5@list.example"]);
  });

  it("answers the seed's PHP curl sample (PUT with {\"email\": ...}) reproduced with curl", async () => {
    const c = await rest(s.url, "POST", "/api/2.0/customers", { auth, body: { name: "Curl Sample", email: "before@curl.example" } });
    const json = '\n{\n"email":"after@curl.example"\n}\n';
    // CURLOPT_CUSTOMREQUEST PUT, CURLOPT_POSTFIELDS $json, headers Authorization: Basic and Content-Type: application/json.
    // Asynchronously: the server answering curl runs in this very process.
    const r = await promisify(execFile)("curl", ["-sS", "-X", "PUT", `${s.url}/api/2.0/customers/${c.body.item.id}`, "-H", `Authorization: ${auth}`, "-H", "Content-Type: application/json", "--data-binary", json], { encoding: "utf8" });
    const body = JSON.parse(r.stdout);
    assert.equal(body.item.id, c.body.item.id, "success is isset($response->item->id)");
    assert.equal(body.item.email, "after@curl.example");
    assert.equal(body.item.name, "Curl Sample");
  });
});
