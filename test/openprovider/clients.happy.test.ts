import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ManualClock } from "../../src/core/clock.js";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

/**
 * What Openprovider's clients send, request by request: the official PHP REST client (and the
 * WHMCS registrar module on top of it) and the Go client behind the Terraform provider. Their
 * code is not vendored; each request below is the shape they are documented to send
 * (../shared/docs/protocols.md §4), and each assertion is on a field they read.
 */
const PASSWORD = "Reseller-Pass-2026";

interface Wire {
  status: number;
  body: any;
  text: string;
}

/** Like the PHP client: JSON Accept and Content-Type, Bearer after login, nulls dropped. */
async function op(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<Wire> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body, (_k, v) => (v === null ? undefined : v));
  }
  const res = await fetch(`${base}/v1beta${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

/** The documentation's create example (address and phone as published), with a name and e-mail. */
function docExample(email: string): Record<string, unknown> {
  return {
    name: { first_name: "John", last_name: "Doe", initials: "J.", prefix: "" },
    address: { street: "Albusstraat", number: "83", zipcode: "4903 RG", city: "Oosterhout", country: "NL" },
    phone: { country_code: "+04", area_code: "111", subscriber_number: "123456" },
    email,
    locale: "nl_NL",
    tags: [{ key: "customer", value: "whmcs" }],
    additional_data: { company_registration_number: "12345678", birth_date: "" },
    extension_additional_data: [{ name: "nl", data: { legal_type: "BV", company_registration_number: "12345678" } }],
  };
}

forEachDialect("Openprovider clients", (dialect) => {
  let s: TestServer;
  const clock = new ManualClock(new Date());
  let resellerId = 0;
  let login = "";

  before(async () => {
    s = await startServer(dialect, { rateLimit: 0, sessionIdleSeconds: 600, sessionMaxSeconds: 3600 }, clock);
    const r = await api(s.url, "POST", "/v1/resellers", { body: { name: "Hoster BV", email: "ops@hoster.example" } });
    assert.equal(r.status, 201, r.text);
    resellerId = r.body.id;
    login = `hoster-${dialect}`;
    const set = await api(s.url, "PUT", `/v1/accounts/${resellerId}/login`, { body: { login, password: PASSWORD } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.login, login);
    assert.equal(set.body.password_set, true);
  });
  after(async () => s.close());

  test("PHP client and WHMCS module: login, create, read, merge-and-put, list, delete, expiry, re-login", async () => {
    const logged = await op(s.url, "POST", "/auth/login", null, { username: login, password: PASSWORD, ip: "0.0.0.0" });
    assert.equal(logged.status, 200, logged.text);
    assert.deepEqual(Object.keys(logged.body), ["code", "desc", "data"]);
    assert.equal(logged.body.code, 0);
    assert.equal(logged.body.desc, "");
    assert.match(logged.body.data.token, /^[0-9a-f]{32}$/);
    assert.equal(logged.body.data.reseller_id, resellerId);
    const token: string = logged.body.data.token;

    // The published example's phone country code "+04" does not exist: refused, naming the field.
    const refused = await op(s.url, "POST", "/customers", token, docExample("john@example.com"));
    assert.equal(refused.status, 400, refused.text);
    assert.ok(Buffer.byteLength(refused.text) <= 120, refused.text);
    assert.deepEqual(Object.keys(refused.body), ["desc", "code"]);
    assert.match(refused.body.desc, /^phone: /);

    const body = docExample("john@example.com");
    body.phone = { country_code: "+31", area_code: "162", subscriber_number: "123456" };
    const created = await op(s.url, "POST", "/customers", token, body);
    assert.equal(created.status, 200, created.text);
    const handle: string = created.body.data.handle;
    assert.match(handle, /^JD\d{6}-NL$/);

    // ApiHelper::getCustomer: GET ?with_additional_data=1, fields read without isset checks.
    const got = await op(s.url, "GET", `/customers/${encodeURIComponent(handle)}?with_additional_data=1`, token);
    assert.equal(got.status, 200, got.text);
    const c = got.body.data;
    assert.equal(typeof c.id, "number");
    assert.equal(c.reseller_id, resellerId);
    assert.equal(c.handle, handle);
    assert.deepEqual(c.name, { first_name: "John", full_name: "John Doe", initials: "J.", last_name: "Doe", prefix: "" });
    assert.deepEqual(c.address, { street: "Albusstraat", number: "83", suffix: "", zipcode: "4903 RG", city: "Oosterhout", state: "", country: "NL" });
    assert.deepEqual(c.phone, { country_code: "+31", area_code: "162", subscriber_number: "123456" });
    assert.deepEqual(c.fax, { country_code: "", area_code: "", subscriber_number: "" });
    assert.equal(c.company_name, "");
    assert.equal(c.email, "john@example.com");
    assert.equal(c.additional_data.company_registration_number, "12345678");
    assert.equal(c.additional_data.birth_date, "");
    assert.deepEqual(c.tags, [{ key: "customer", value: "whmcs" }]);
    assert.equal(c.extension_additional_data[0].name, "nl");
    assert.equal(c.extension_additional_data[0].data.legal_type, "BV");
    assert.equal(c.extension_additional_data[0].data.whois_email, "", "defaults are emitted");
    assert.equal(c.is_deleted, false);
    assert.equal(c.deleted_at, "0000-00-00 00:00:00");
    assert.equal(c.locale, "nl-NL");

    // ApiHelper::updateCustomer: GET, array_merge the changes, set handle, PUT everything back.
    const merged = { ...c, email: "john.doe@example.com", address: { ...c.address, city: "Breda" }, handle };
    const put = await op(s.url, "PUT", `/customers/${encodeURIComponent(handle)}`, token, merged);
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body, { code: 0, desc: "", data: { success: true } });
    const after = (await op(s.url, "GET", `/customers/${handle}`, token)).body.data;
    assert.equal(after.email, "john.doe@example.com");
    assert.equal(after.address.city, "Breda");
    assert.equal(after.id, c.id, "the read-only id in the body changed nothing");

    // A new name means a new handle in Openprovider: a PUT that changes it is refused.
    const rename = await op(s.url, "PUT", `/customers/${handle}`, token, { ...merged, name: { ...c.name, last_name: "Smith" } });
    assert.equal(rename.status, 400, rename.text);
    assert.match(rename.body.desc, /^name\.last_name: cannot be changed/);

    // Listing with patterns and paging.
    for (const [first, last] of [["Anna", "Jansen"], ["Piet", "Jansen"], ["Kees", "de Vries"]] as const) {
      const more = { ...body, name: { first_name: first, last_name: last }, email: `${first.toLowerCase()}@example.com` };
      assert.equal((await op(s.url, "POST", "/customers", token, more)).status, 200);
    }
    const page = await op(s.url, "GET", "/customers?last_name_pattern=Jan*&limit=1&offset=0&order_by=first_name&order=ASC&with_additional_data=false", token);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.body.data.total, 2);
    assert.equal(page.body.data.results.length, 1);
    assert.equal(page.body.data.results[0].name.first_name, "Anna");
    assert.equal(page.body.data.results[0].additional_data, undefined);
    const second = await op(s.url, "GET", "/customers?last_name_pattern=Jan*&limit=1&offset=1&order_by=first_name&order=ASC", token);
    assert.equal(second.body.data.results[0].name.first_name, "Piet");
    const byEmail = await op(s.url, "GET", "/customers/?email_pattern=*@example.com&type=individual", token);
    assert.equal(byEmail.body.data.total, 4, "trailing slash accepted");

    const del = await op(s.url, "DELETE", `/customers/${handle}`, token);
    assert.deepEqual(del.body, { code: 0, desc: "", data: { success: true } });
    const gone = await op(s.url, "GET", `/customers/${handle}`, token);
    assert.equal(gone.body.data.is_deleted, true);

    // The session ends after its idle time: 401 + 196, then a fresh login works.
    clock.advance(601_000);
    const expired = await op(s.url, "GET", "/customers", token);
    assert.equal(expired.status, 401);
    assert.equal(expired.text, '{"desc":"Authentication/Authorization Failed","code":196}');
    const again = await op(s.url, "POST", "/auth/login", null, { username: login, password: PASSWORD, ip: "0.0.0.0" });
    assert.equal(again.status, 200);
    assert.equal((await op(s.url, "GET", "/customers", again.body.data.token)).status, 200);
  });

  test("Go client: re-login once on 401 and decode id as an integer", async () => {
    let token = "0123456789abcdef0123456789abcdef"; // a stale token from an earlier run
    let logins = 0;
    const call = async (method: string, path: string, body?: unknown): Promise<Wire> => {
      let r = await op(s.url, method, path, token, body);
      if (r.status === 401) {
        logins++;
        const l = await op(s.url, "POST", "/auth/login", null, { username: login, password: PASSWORD });
        assert.equal(l.status, 200, l.text);
        token = l.body.data.token;
        r = await op(s.url, method, path, token, body);
      }
      return r;
    };
    const created = await call("POST", "/customers", {
      name: { first_name: "Go", last_name: "Pher", initials: "G", prefix: "" },
      address: { street: "Main St", number: "1", zipcode: "10001", city: "New York", state: "NY", country: "US" },
      phone: { country_code: "+1", area_code: "212", subscriber_number: "5550123" },
      email: "gopher@example.com",
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(logins, 1, "exactly one re-login");
    const r = await call("GET", `/customers/${created.body.data.handle}`);
    assert.ok(Number.isInteger(r.body.data.id), "id is a JSON integer");
    assert.ok(Number.isInteger(r.body.data.reseller_id));
    assert.equal(r.body.code, 0);
    const list = await call("GET", "/customers?limit=1000");
    assert.ok(Array.isArray(list.body.data.results));
    assert.equal(typeof list.body.data.total, "number");
    assert.equal(logins, 1);
  });

  test("handles are unique under concurrent creates with the same name and country", async () => {
    const l = await op(s.url, "POST", "/auth/login", null, { username: login, password: PASSWORD });
    const token: string = l.body.data.token;
    const creates = Array.from({ length: 20 }, (_, i) =>
      op(s.url, "POST", "/customers", token, {
        name: { first_name: "Same", last_name: "Name" },
        address: { street: "Dam", number: "1", zipcode: "1012 JS", city: "Amsterdam", country: "NL" },
        phone: { country_code: "+31", area_code: "20", subscriber_number: "1234567" },
        email: `same${i}@example.com`,
      }),
    );
    const results = await Promise.all(creates);
    for (const r of results) assert.equal(r.status, 200, r.text);
    const handles = results.map((r) => r.body.data.handle as string);
    for (const h of handles) assert.match(h, /^SN\d{6}-NL$/);
    assert.equal(new Set(handles).size, handles.length);
  });
});
