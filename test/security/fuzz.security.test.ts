import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, OPERATOR_KEY, type TestServer, startServer } from "../helpers/harness.js";
import { systemContext } from "../../src/core/context.js";
import { froxlorFuzz } from "../froxlor/fuzz-target.js";
import { World } from "./world.js";

/**
 * Issue 10, item 3: a hostile corpus over every protocol must never get a server error (5xx, or a
 * protocol's own "internal error" code) on either database.
 *
 * To cover a new protocol, add one entry to FUZZ_TARGETS: a name and a function that sends every
 * corpus entry the ways the protocol takes input, returning each answer as a FuzzAnswer.
 */

/** Strings that reach fields, parameters and path segments. */
export const FUZZ_STRINGS: readonly string[] = [
  "\u0000",
  "a\u0000b",
  "login:a\u0000",
  "\uD800",
  "x\uDFFFy",
  "\uDBFF\uDBFF",
  "😀\u0000",
  "' OR 1=1 --",
  "%00",
  "../../etc/passwd",
  "\r\nX-Injected: 1",
  "\u202Eevil",
  "x".repeat(70_000),
  "<![CDATA[x]]>&amp;",
  ["$", "{jndi:ldap://x}"].join(""),
];

/** Whole bodies: invalid UTF-8, deep nesting, XML entities, oversize. */
export const FUZZ_BODIES: readonly { label: string; json?: string | Buffer; xml?: string | Buffer }[] = [
  { label: "invalid UTF-8", json: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]), xml: Buffer.concat([Buffer.from("<methodCall><methodName>account.login</methodName><params><param><value><string>"), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from("</string></value></param></params></methodCall>")]) },
  { label: "escaped lone surrogate", json: '{"method":"account.login","params":{"user":"\\ud800","pass":"\\udfff"},"email":"\\ud800@x.example","company":"\\udc00"}' },
  { label: "escaped NUL", json: '{"method":"account.login","params":{"user":"a\\u0000","pass":"x"},"email":"a\\u0000@x.example","company":"\\u0000"}' },
  { label: "deep array nesting", json: `${"[".repeat(50_000)}${"]".repeat(50_000)}` },
  { label: "deep object nesting", json: `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`, xml: `<methodCall><methodName>customer.update</methodName><params><param><value>${"<struct><member><name>a</name><value>".repeat(3_000)}x${"</value></member></struct>".repeat(3_000)}</value></param></params></methodCall>` },
  {
    label: "entity expansion",
    xml: `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><methodCall><methodName>account.login</methodName><params><param><value><struct><member><name>user</name><value><string>&d;&d;&d;</string></value></member></struct></value></param></params></methodCall>`,
  },
  { label: "external entity", xml: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><methodCall><methodName>account.login</methodName><params><param><value><struct><member><name>user</name><value><string>&e;</string></value></member></struct></value></param></params></methodCall>` },
  { label: "character references to NUL and surrogates", xml: `<methodCall><methodName>account.login</methodName><params><param><value><struct><member><name>user</name><value><string>a&#0;b&#xD800;</string></value></member><member><name>pass</name><value><string>x</string></value></member></struct></value></param></params></methodCall>` },
  { label: "oversize", json: `{"company":"${"x".repeat(400 * 1024)}"}`, xml: `<methodCall><methodName>${"x".repeat(400 * 1024)}</methodName></methodCall>` },
  { label: "not the format at all", json: "<xml/>", xml: '{"json":true}' },
];

export interface FuzzAnswer {
  what: string;
  status: number;
  text: string;
  /** The protocol's own way of saying "internal error" (INWX 2400), besides HTTP 5xx. */
  internal?: boolean;
}

export interface FuzzTarget {
  name: string;
  run(server: TestServer, fixtures: { customerId: number; keyId: number }): AsyncGenerator<FuzzAnswer>;
}

const enc = encodeURIComponent;
// encodeURIComponent refuses lone surrogates; send their (invalid) UTF-8 form as percent escapes.
const encAny = (s: string): string => {
  try {
    return enc(s);
  } catch {
    return [...s].map((ch) => (/[\uD800-\uDFFF]/.test(ch) ? `%ED%${(0xa0 + ((ch.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 | (ch.charCodeAt(0) & 0x3f)).toString(16).toUpperCase()}` : enc(ch))).join("");
  }
};

async function raw(url: string, method: string, body: string | Buffer | undefined, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = body;
  const r = await fetch(url, init);
  return { status: r.status, text: await r.text() };
}

const rest: FuzzTarget = {
  name: "REST",
  async *run(s, f) {
    for (const v of FUZZ_STRINGS) {
      const e = encAny(v);
      for (const path of [`/v1/customers?filter[email]=${e}`, `/v1/customers/${e}`, `/v1/customers/login:${e}`, `/v1/audit?target_id=${e}&operation=${e}`, `/v1/customers/${f.customerId}/downloads?type=${e}`, `/v1/customers/count?filter[company][prefix]=${e}`]) {
        const r = await api(s.url, "GET", path);
        yield { what: `GET ${path.slice(0, 80)}`, status: r.status, text: r.text };
      }
      const posts: [string, string, unknown, string | null][] = [
        ["POST", "/v1/sessions", { identifier: v, password: v }, null],
        ["POST", "/v1/customers", { email: `${v}@fuzz.example`, company: v }, OPERATOR_KEY],
        ["PATCH", `/v1/customers/${f.customerId}`, { company: v, notes: v }, OPERATOR_KEY],
        ["POST", "/v1/resellers", { name: v, email: "r@fuzz.example" }, OPERATOR_KEY],
        ["POST", "/v1/api-keys", { name: v }, OPERATOR_KEY],
        ["POST", `/v1/api-keys/${f.keyId}/acl`, { address: v, description: v }, OPERATOR_KEY],
        ["POST", `/v1/customers/${f.customerId}/suspend`, { reason: v }, OPERATOR_KEY],
      ];
      for (const [method, path, body, key] of posts) {
        const r = await api(s.url, method, path, { body, key });
        yield { what: `${method} ${path} ${JSON.stringify(body).slice(0, 60)}`, status: r.status, text: r.text };
      }
    }
    for (const b of FUZZ_BODIES) {
      if (b.json === undefined) continue;
      for (const path of ["/v1/customers", "/v1/sessions"]) {
        const r = await raw(`${s.url}${path}`, "POST", b.json, { "content-type": "application/json", authorization: `Bearer ${OPERATOR_KEY}` });
        yield { what: `POST ${path} ${b.label}`, ...r };
      }
    }
  },
};

/** INWX answers every failure over HTTP 200; an internal one is 2400 with reasonCode INTERNAL. */
const inwxInternal = (text: string): boolean => /"reasonCode":\s*"INTERNAL"|<name>reasonCode<\/name><value><string>INTERNAL</.test(text);

const xmlString = (v: string): string => v.replace(/&/g, "&amp;").replace(/</g, "&lt;");

const inwxJson: FuzzTarget = {
  name: "INWX JSON-RPC",
  async *run(s) {
    for (const v of FUZZ_STRINGS) {
      for (const [method, params] of [
        ["account.login", { user: v, pass: v }],
        ["account.login", { user: "x", pass: "y", lang: v, clTRID: v }],
        ["customer.info", { [v]: v }],
        [v, {}],
      ] as const) {
        const r = await raw(`${s.url}/jsonrpc/`, "POST", JSON.stringify({ method, params }), { "content-type": "application/json" });
        yield { what: `jsonrpc ${String(method).slice(0, 20)} ${JSON.stringify(params).slice(0, 60)}`, ...r, internal: inwxInternal(r.text) };
      }
    }
    for (const b of FUZZ_BODIES) {
      if (b.json === undefined) continue;
      const r = await raw(`${s.url}/jsonrpc/`, "POST", b.json, { "content-type": "application/json" });
      yield { what: `jsonrpc ${b.label}`, ...r, internal: inwxInternal(r.text) };
    }
  },
};

const inwxXml: FuzzTarget = {
  name: "INWX XML-RPC",
  async *run(s) {
    for (const v of FUZZ_STRINGS) {
      const call = `<?xml version="1.0"?><methodCall><methodName>account.login</methodName><params><param><value><struct><member><name>user</name><value><string>${xmlString(v)}</string></value></member><member><name>pass</name><value><string>${xmlString(v)}</string></value></member></struct></value></param></params></methodCall>`;
      const r = await raw(`${s.url}/xmlrpc/`, "POST", call, { "content-type": "text/xml" });
      yield { what: `xmlrpc account.login ${JSON.stringify(v).slice(0, 40)}`, ...r, internal: inwxInternal(r.text) };
    }
    for (const b of FUZZ_BODIES) {
      if (b.xml === undefined) continue;
      const r = await raw(`${s.url}/xmlrpc/`, "POST", b.xml, { "content-type": "text/xml" });
      yield { what: `xmlrpc ${b.label}`, ...r, internal: inwxInternal(r.text) };
    }
  },
};

/** Openprovider REST v1beta: errors are `{"desc","code"}`; an internal one is code 1 (HTTP 500). */
const openprovider: FuzzTarget = {
  name: "Openprovider",
  async *run(s, f) {
    const h = { authorization: `Bearer ${OPERATOR_KEY}`, "content-type": "application/json" };
    const handle = (await s.app.services.customers.get(systemContext("test"), `id:${f.customerId}`)).handle;
    for (const v of FUZZ_STRINGS) {
      const e = encAny(v);
      for (const path of [`/v1beta/customers?email_pattern=${e}&pattern=${e}`, `/v1beta/customers/${e}`, `/v1beta/customers?order_by=${e}&order=${e}&limit=${e}&offset=${e}&type=${e}&reseller_id=${e}&with_additional_data=${e}&columns=${e}`, `/v1beta/customers/${handle}?with_additional_data=${e}`]) {
        const r = await raw(`${s.url}${path}`, "GET", undefined, h);
        yield { what: `GET ${path.slice(0, 80)}`, ...r };
      }
      const bodies: [string, string, unknown, Record<string, string>][] = [
        ["POST", "/v1beta/auth/login", { username: v, password: v, ip: v, otp: v }, { "content-type": "application/json" }],
        [
          "POST",
          "/v1beta/customers",
          { name: { first_name: v, last_name: v }, address: { street: v, number: v, zipcode: v, country: v }, phone: { country_code: v, area_code: v, subscriber_number: v }, email: `${v}@fuzz.example`, tags: [{ key: v, value: v }], additional_data: { [v]: v }, extension_additional_data: [{ name: v, data: { [v]: v } }] },
          h,
        ],
        ["PUT", `/v1beta/customers/${handle}`, { comments: v, vat: v, locale: v, fax: { country_code: v }, name: { last_name: v }, extension_additional_data: [{ name: "es", data: { legal_type: v } }] }, h],
      ];
      for (const [method, path, body, headers] of bodies) {
        const r = await raw(`${s.url}${path}`, method, JSON.stringify(body), headers);
        yield { what: `${method} ${path} ${JSON.stringify(body).slice(0, 60)}`, ...r };
      }
    }
    for (const b of FUZZ_BODIES) {
      if (b.json === undefined) continue;
      for (const path of ["/v1beta/customers", "/v1beta/auth/login"]) {
        const r = await raw(`${s.url}${path}`, "POST", b.json, h);
        yield { what: `POST ${path} ${b.label}`, ...r };
      }
    }
  },
};

/** Everlytic over REST and XML-RPC with the operator's Basic credentials; an XML-RPC server error is a 500 fault. */
const everlytic: FuzzTarget = {
  name: "Everlytic REST and XML-RPC",
  async *run(s, f) {
    const operatorId = await new World(s).operatorId();
    const auth = `Basic ${Buffer.from(`${operatorId}:${OPERATOR_KEY}`).toString("base64")}`;
    const json = { "content-type": "application/json", authorization: auth };
    const xml = { "content-type": "text/xml", authorization: auth };
    const fault500 = (text: string) => /<name>faultCode<\/name><value><int>500</.test(text);
    for (const v of FUZZ_STRINGS) {
      const e = encAny(v);
      for (const path of [`/api/2.0/customers/${e}`, `/api/2.0/customers?order=${e}&filter[country]=${e}&page=${e}`]) {
        const r = await raw(`${s.url}${path}`, "GET", undefined, { authorization: auth });
        yield { what: `GET ${path.slice(0, 80)}`, ...r };
      }
      for (const body of [{ name: v, email: v, address: v, unique_id: v }, { [v]: v, status: v, email_quota: v }]) {
        const r = await raw(`${s.url}/api/2.0/customers/${f.customerId}`, "PUT", JSON.stringify(body), json);
        yield { what: `PUT /api/2.0/customers ${JSON.stringify(body).slice(0, 60)}`, ...r };
      }
      const r = await raw(`${s.url}/api/2.0/customers`, "GET", undefined, { authorization: `Basic ${Buffer.from(`${v}:${OPERATOR_KEY}`).toString("base64")}` });
      yield { what: `Basic user ${JSON.stringify(v).slice(0, 40)}`, ...r };
      const call = `<?xml version="1.0"?><methodCall><methodName>customers.UpdateCustomer</methodName><params><param><value><int>${f.customerId}</int></value></param><param><value><struct><member><name>address</name><value><string>${xmlString(v)}</string></value></member><member><name>${xmlString(v)}</name><value>x</value></member></struct></value></param></params></methodCall>`;
      const x = await raw(`${s.url}/api/2.0/xmlrpc/`, "POST", call, xml);
      yield { what: `xmlrpc UpdateCustomer ${JSON.stringify(v).slice(0, 40)}`, ...x, internal: fault500(x.text) };
    }
    for (const b of FUZZ_BODIES) {
      if (b.json !== undefined) {
        const r = await raw(`${s.url}/api/2.0/customers`, "POST", b.json, json);
        yield { what: `POST /api/2.0/customers ${b.label}`, ...r };
      }
      if (b.xml !== undefined) {
        const r = await raw(`${s.url}/api/2.0/xmlrpc/`, "POST", b.xml, xml);
        yield { what: `xmlrpc ${b.label}`, ...r, internal: fault500(r.text) };
      }
    }
  },
};

/** Every protocol the server speaks. A new protocol adds its target here: one line. */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [rest, inwxJson, inwxXml, openprovider, froxlorFuzz({ strings: FUZZ_STRINGS, bodies: FUZZ_BODIES }), everlytic];

forEachDialect("fuzz corpus over every protocol", (dialect) => {
  let s: TestServer;
  let fixtures: { customerId: number; keyId: number };
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    const world = new World(s);
    const c = await world.customer(await world.operatorId());
    fixtures = { customerId: c.id, keyId: c.keyId };
  });
  after(async () => s.close());

  it("answers NUL with the same field error on both databases", async () => {
    const filter = await api(s.url, "GET", "/v1/customers?filter[email]=%00");
    assert.equal(filter.status, 422, filter.text);
    assert.equal(filter.body.errors[0].field, "query.filter[email]");
    const ref = await api(s.url, "GET", "/v1/customers/login:a%00");
    assert.equal(ref.status, 422, ref.text);
    assert.equal(ref.body.errors[0].field, "path.ref");
    const login = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: "a\u0000", password: "x" } });
    assert.equal(login.status, 422, login.text);
    assert.equal(login.body.errors[0].field, "identifier");
    const rpc = await raw(`${s.url}/jsonrpc/`, "POST", JSON.stringify({ method: "account.login", params: { user: "a\u0000", pass: "x" } }), { "content-type": "application/json" });
    assert.match(rpc.text, /"code":2005/);
  });

  for (const target of FUZZ_TARGETS) {
    it(`${target.name}: no answer is a server error`, async () => {
      const failures: string[] = [];
      let n = 0;
      for await (const a of target.run(s, fixtures)) {
        n++;
        if (a.status >= 500 || a.internal) failures.push(`${a.what} -> ${a.status} ${a.text.slice(0, 200)}`);
      }
      assert.ok(n > 20, `${target.name} sent only ${n} requests`);
      assert.deepEqual(failures, [], `${failures.length} of ${n} answers were server errors`);
    });
  }
});
