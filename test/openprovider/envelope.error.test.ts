import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, OPERATOR_KEY, startServer, type TestServer } from "../helpers/harness.js";

/**
 * Bad input on the Openprovider endpoints: always a short `{"desc","code"}` body in Openprovider's
 * form, a 4xx, the field named as Openprovider names it; never a stack trace or a 5xx, on either
 * database.
 */
async function send(base: string, method: string, path: string, init: { body?: string; type?: string; auth?: string | null } = {}): Promise<{ status: number; text: string; body: any }> {
  const headers: Record<string, string> = {};
  const auth = init.auth === undefined ? `Bearer ${OPERATOR_KEY}` : init.auth;
  if (auth !== null) headers.authorization = auth;
  if (init.body !== undefined) headers["content-type"] = init.type ?? "application/json";
  const res = await fetch(`${base}/v1beta${path}`, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body };
}

const person = {
  name: { first_name: "Eva", last_name: "Ruiz" },
  address: { street: "Gran Vía", number: "1", zipcode: "28013", city: "Madrid", country: "ES" },
  phone: { country_code: "+34", area_code: "91", subscriber_number: "2345678" },
  email: "eva@example.es",
};

forEachDialect("Openprovider bad input", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0, bodyLimit: 4096 });
  });
  after(async () => s.close());

  const expectError = (r: { status: number; text: string; body: any }, status: number, code: number) => {
    assert.equal(r.status, status, r.text);
    assert.ok(Buffer.byteLength(r.text) <= 120, `over 120 bytes: ${r.text}`);
    assert.deepEqual(Object.keys(r.body ?? {}), ["desc", "code"], r.text);
    assert.equal(r.body.code, code, r.text);
    assert.doesNotMatch(r.text, /at .*\.ts|Error:/);
  };

  it("refuses malformed JSON, a non-object body, a wrong media type and an oversize body", async () => {
    expectError(await send(s.url, "POST", "/customers", { body: "{not json" }), 400, 100);
    expectError(await send(s.url, "POST", "/customers", { body: "[1,2]" }), 400, 100);
    expectError(await send(s.url, "POST", "/customers", { body: "hello", type: "text/plain" }), 415, 100);
    expectError(await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, comments: "x".repeat(5000) }) }), 413, 100);
    expectError(await send(s.url, "POST", "/auth/login", { body: '{"username":1,"password":"x"}', auth: null }), 400, 100);
  });

  it("names the missing TLD key and the field in Openprovider's words", async () => {
    const r = await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, extension_additional_data: [{ name: "es", data: { legal_type: "1" } }] }) });
    expectError(r, 400, 100);
    // The full sentence ("... or passport_number is required for .es") is longer than the 120
    // bytes a client reads: it is cut, the TLD and the key stay.
    assert.match(r.body.desc, /^extension_additional_data\.es\.social_security_number: or company_registration_number or passport/);
    const us = await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, extension_additional_data: [{ name: "us", data: { nexus_category: "C11" } }] }) });
    assert.equal(us.body.desc, "extension_additional_data.us.applicant_purpose: is required for .us");
    const num = await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, address: { ...person.address, number: "<b>" } }) });
    assert.match(num.body.desc, /^address\.number: /);
    const missing = await send(s.url, "POST", "/customers", { body: JSON.stringify({ name: person.name }) });
    expectError(missing, 400, 100);
    assert.match(missing.body.desc, /^email: /);
  });

  it("keeps a long, multi-byte desc within 120 bytes", async () => {
    const r = await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, additional_data: { ["ü".repeat(60)]: "x" } }) });
    expectError(r, 400, 100);
    assert.match(r.body.desc, /…$/);
  });

  it("answers NUL and control characters with 4xx on every entry point", async () => {
    expectError(await send(s.url, "GET", "/customers?email_pattern=%00"), 400, 100);
    const nul = await send(s.url, "GET", "/customers/AB%00123-NL");
    expectError(nul, 400, 100);
    assert.equal(nul.body.desc, "path.handle: must not contain NUL (U+0000) characters");
    const login = await send(s.url, "POST", "/auth/login", { body: JSON.stringify({ username: "a\u0000b", password: "x", ip: "0.0.0.0" }), auth: null });
    expectError(login, 400, 100);
    assert.equal(login.body.desc, "username: must not contain NUL (U+0000) characters");
    expectError(await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, email: "a\u0000@example.com" }) }), 400, 100);
  });

  it("refuses bad list parameters by name", async () => {
    for (const [q, field] of [["limit=0", "limit"], ["limit=abc", "limit"], ["offset=-1", "offset"], ["order=UP", "order"], ["order_by=password", "order_by"], ["type=robot", "type"], ["with_additional_data=maybe", "with_additional_data"]] as const) {
      const r = await send(s.url, "GET", `/customers?${q}`);
      expectError(r, 400, 100);
      assert.match(r.body.desc, new RegExp(`^${field}: `), q);
    }
  });

  it("answers an unknown path in Openprovider's form", async () => {
    expectError(await send(s.url, "GET", "/domains"), 404, 101);
  });

  it("refuses a PUT and a DELETE on a deleted customer as a state error", async () => {
    const c = await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, email: `del-${dialect}@example.es` }) });
    const handle = c.body.data.handle;
    assert.equal((await send(s.url, "DELETE", `/customers/${handle}`)).status, 200);
    expectError(await send(s.url, "DELETE", `/customers/${handle}`), 409, 103);
    expectError(await send(s.url, "PUT", `/customers/${handle}`, { body: JSON.stringify({ address: { city: "Sevilla" } }) }), 409, 103);
    const dup = await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, email: `dup-${dialect}@example.es` }) });
    assert.equal(dup.status, 200);
    expectError(await send(s.url, "POST", "/customers", { body: JSON.stringify({ ...person, email: `dup-${dialect}@example.es` }) }), 409, 102);
    assert.equal((await api(s.url, "GET", "/health", { key: null })).status, 200);
  });
});
