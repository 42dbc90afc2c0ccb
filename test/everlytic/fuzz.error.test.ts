import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { basic, type EverlyticUser, everlyticUser } from "./helpers.js";

/** Hostile values through every Everlytic input: never a 5xx, never a 500 fault, on either database. */
const STRINGS = ["\u0000", "a\u0000b", "\uD800", "x\uDFFFy", "' OR 1=1 --", "%00", "../../etc/passwd", "\r\nX-Injected: 1", "x".repeat(70_000), "<![CDATA[x]]>&amp;", "😀"];
const xml = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;");

forEachDialect("Everlytic under a hostile corpus", (dialect) => {
  let s: TestServer;
  let user: EverlyticUser;
  let id: number;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    user = await everlyticUser(s);
    const r = await fetch(`${s.url}/api/2.0/customers`, { method: "POST", headers: { authorization: basic(user.username, user.apikey), "content-type": "application/json" }, body: JSON.stringify({ name: "Fuzz Target", email: "fuzz@everlytic.example" }) });
    id = ((await r.json()) as { item: { id: number } }).item.id;
  });
  after(async () => s.close());

  it("answers every REST and XML-RPC input without a server error", async () => {
    const auth = basic(user.username, user.apikey);
    const failures: string[] = [];
    let n = 0;
    const check = async (what: string, url: string, init: RequestInit) => {
      n++;
      const r = await fetch(url, init);
      const text = await r.text();
      if (r.status >= 500 || /<name>faultCode<\/name><value><int>500</.test(text)) failures.push(`${what} -> ${r.status} ${text.slice(0, 200)}`);
    };
    for (const v of STRINGS) {
      const e = encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, "?"));
      await check(`GET id ${JSON.stringify(v).slice(0, 20)}`, `${s.url}/api/2.0/customers/${e}`, { headers: { authorization: auth } });
      await check(`GET list ${JSON.stringify(v).slice(0, 20)}`, `${s.url}/api/2.0/customers?order=${e}&filter[country]=${e}&filter[${e}]=1`, { headers: { authorization: auth } });
      for (const body of [{ name: v, email: v, address: v, unique_id: v, industry: v, country: v }, { [v]: v }, { status: v, deleted: v, email_quota: v }]) {
        await check(`PUT ${JSON.stringify(body).slice(0, 40)}`, `${s.url}/api/2.0/customers/${id}`, { method: "PUT", headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify(body) });
        await check(`POST ${JSON.stringify(body).slice(0, 40)}`, `${s.url}/api/2.0/customers`, { method: "POST", headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify(body) });
      }
      await check(`Basic user ${JSON.stringify(v).slice(0, 20)}`, `${s.url}/api/2.0/customers/${id}`, { headers: { authorization: `Basic ${Buffer.from(`${v}:${user.apikey}`).toString("base64")}` } });
      const calls = [
        `<methodCall><methodName>customers.UpdateCustomer</methodName><params><param><value><int>${id}</int></value></param><param><value><struct><member><name>address</name><value><string>${xml(v)}</string></value></member><member><name>${xml(v)}</name><value>x</value></member></struct></value></param></params></methodCall>`,
        `<methodCall><methodName>customers.ListCustomers</methodName><params><param><value><int>1</int></value></param><param><value><int>5</int></value></param><param><value>${xml(v)}</value></param><param><value>ASC</value></param><param><value><struct><member><name>country</name><value>${xml(v)}</value></member></struct></value></param></params></methodCall>`,
        `<methodCall><methodName>${xml(v)}</methodName><params/></methodCall>`,
      ];
      for (const c of calls) await check(`xmlrpc ${c.slice(12, 60)}`, `${s.url}/api/2.0/xmlrpc/`, { method: "POST", headers: { authorization: auth, "content-type": "text/xml" }, body: c });
    }
    for (const body of [
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><methodCall><methodName>GetCustomer</methodName><params><param><value>&e;</value></param></params></methodCall>`,
      `<methodCall><methodName>GetCustomer</methodName><params><param><value>${"<array><data><value>".repeat(3000)}1${"</value></data></array>".repeat(3000)}</value></param></params></methodCall>`,
      "{not xml",
      "",
      `<methodCall><methodName>GetCustomer</methodName><params><param><value><int>99999999999999999999</int></value></param></params></methodCall>`,
    ]) {
      await check(`xmlrpc body ${body.slice(0, 40)}`, `${s.url}/api/2.0/xmlrpc`, { method: "POST", headers: { authorization: auth, "content-type": "text/xml" }, body });
    }
    await check("REST deep JSON", `${s.url}/api/2.0/customers`, { method: "POST", headers: { authorization: auth, "content-type": "application/json" }, body: `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}` });
    assert.ok(n > 100);
    assert.deepEqual(failures, [], `${failures.length} of ${n} answers were server errors`);
  });
});
