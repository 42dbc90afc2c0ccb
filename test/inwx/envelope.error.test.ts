import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

forEachDialect("INWX envelopes for bad requests", (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startServer(dialect);
  });
  after(async () => server.close());

  const post = (path: string, body: string, type: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: "POST", body, headers: { "content-type": type, ...headers } });

  test("malformed JSON answers HTTP 200 with code 2001, never a 500", async () => {
    const res = await post("/jsonrpc/", "{not json", "application/json");
    assert.equal(res.status, 200);
    const body = (await res.json()) as { code: number; resData?: unknown; svTRID: string };
    assert.equal(body.code, 2001);
    assert.deepEqual(body.resData, undefined);
    assert.equal(typeof body.svTRID, "string");
  });

  test("malformed XML answers a compact methodResponse with code 2001, not a fault", async () => {
    const res = await post("/xmlrpc/", "<methodCall><methodName>account.info", "text/xml");
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.doesNotMatch(text, /<fault>/);
    assert.doesNotMatch(text, />\s+</);
    assert.match(text, /<member><name>code<\/name><value><int>2001<\/int><\/value><\/member>/);
  });

  test("a call without a session (Cookie: null) answers 2002", async () => {
    const res = await post("/jsonrpc/", JSON.stringify({ method: "customer.info", params: {} }), "application/json", { cookie: "null" });
    assert.equal(((await res.json()) as { code: number }).code, 2002);
  });

  test("bad credentials answer 2200 and set no cookie", async () => {
    const res = await post("/jsonrpc/", JSON.stringify({ method: "account.login", params: { user: "nobody", pass: "wrong-password-1" } }), "application/json");
    assert.equal(((await res.json()) as { code: number }).code, 2200);
    assert.equal(res.headers.get("set-cookie"), null);
  });

  test("an unknown method over XML-RPC answers 2000", async () => {
    const xml = "<?xml version=\"1.0\"?><methodCall><methodName>domain.nope</methodName><params><param><value><struct></struct></value></param></params></methodCall>";
    const text = await (await post("/xmlrpc/", xml, "text/xml")).text();
    assert.match(text, /<int>2000<\/int>/);
  });
});
