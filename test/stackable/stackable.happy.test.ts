import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { jsonCall, phpDateC, type SigningKey, sign, signatureHeaders, thriftClient } from "./client.js";

/**
 * Stackable's Customer service on the signed JSON proxy and Thrift over HTTP, with the clients a
 * Stackable customer had: a PHP-style signer (base64 HMAC-SHA1 over date('c') . body), Apache's
 * npm `thrift` with code generated from customer.thrift, and Debian's python3-thrift. Signing,
 * refusals and the secret's storage here; every function on every transport in all-functions.test.ts.
 */
const sys = systemContext("test");

async function operatorSigningKey(server: TestServer): Promise<SigningKey> {
  const op = await server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").executeTakeFirstOrThrow();
  const k = await server.app.services.keys.create(sys, { name: "stackable operator", signing: true, principal: { kind: "operator", id: Number(op.id) } });
  assert.ok(k.signing_secret, "a key created with signing: true carries its signing secret once");
  return { keyId: k.id, secret: k.signing_secret };
}

async function newCustomer(server: TestServer): Promise<number> {
  const c = await server.app.services.customers.create(sys, { email: `st.${Math.random().toString(36).slice(2, 9)}@stackable.example`, company: "Stack Co" });
  return c.id;
}

forEachDialect("Stackable JSON proxy and Thrift over HTTP", (dialect) => {
  let server: TestServer;
  let key: SigningKey;
  before(async () => {
    server = await startServer(dialect, { secretKey: "stackable-test-secret-key-0123456789abcdef" });
    key = await operatorSigningKey(server);
  });
  after(() => server.close());

  it("answers getUsername on the JSON proxy signed exactly like the PHP client (date('c') with +02:00)", async () => {
    const id = await newCustomer(server);
    const login = (await server.app.services.customers.get(sys, `id:${id}`)).login;
    const r = await jsonCall(server.url, "getUsername", { id }, key);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { result: login });
  });

  it("stores the signing secret sealed, never in clear, and never answers it after creation", async () => {
    const row = await server.app.storage.db.selectFrom("api_key_signing_secrets").selectAll().where("key_id", "=", Number(key.keyId)).executeTakeFirstOrThrow();
    assert.ok(row.sealed_secret.startsWith("v1:"), "sealed with CUSTOS_SECRET_KEY");
    assert.ok(!row.sealed_secret.includes(key.secret));
    const id = await newCustomer(server);
    const created = await jsonCall(server.url, "createKey", { id }, key);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const issued = created.body.result as { id: number; signingSecret: string; key: string };
    assert.match(issued.signingSecret, /^ss_/);
    const listed = await jsonCall(server.url, "getKeys", { id }, key);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    const keys = listed.body.result as Record<string, unknown>[];
    assert.equal(keys.length, 1);
    assert.equal(keys[0]?.signingSecret, undefined);
    assert.equal(keys[0]?.key, undefined);
    // The customer's new key signs its own calls.
    const own = await jsonCall(server.url, "getUsername", { id }, { keyId: issued.id, secret: issued.signingSecret });
    assert.equal(own.status, 200, JSON.stringify(own.body));
  });

  it("refuses a stale timestamp, a replay, a wrong key id, a changed body and an empty key id", async () => {
    const id = await newCustomer(server);
    const body = JSON.stringify({ id });
    const post = (headers: Record<string, string>, b = body) => fetch(`${server.url}/Customer/getUsername`, { method: "POST", headers: { "Content-type": "application/json", ...headers }, body: b });

    const stale = phpDateC(new Date(Date.now() - 6 * 60_000));
    const r1 = await post(signatureHeaders(key, body, stale));
    assert.equal(r1.status, 401);
    assert.equal(((await r1.json()) as { error: { type: string } }).error.type, "Unauthorized");

    const fresh = signatureHeaders(key, body);
    assert.equal((await post(fresh)).status, 200);
    const replay = await post(fresh);
    assert.equal(replay.status, 401);
    assert.match(((await replay.json()) as { error: { message: string } }).error.message, /used before/);

    assert.equal((await post({ ...signatureHeaders(key, body), "Customer-Key-ID": "999999" })).status, 401);
    assert.equal((await post(signatureHeaders(key, body), JSON.stringify({ id: id + 1 }))).status, 401);
    const date = phpDateC();
    assert.equal((await post({ "Customer-Key-ID": "", Signature: sign("", date, body), "Signature-Version": "1", "Signature-Method": "HMAC/SHA1", "Signature-Created": date })).status, 401);
    assert.equal((await post({ ...signatureHeaders(key, body), "Signature-Method": "HMAC/SHA256" })).status, 401);
  });

  it("answers InvalidArguments naming the argument, and an unknown function", async () => {
    const r = await jsonCall(server.url, "changePassword", { id: "x", password: 5 }, key);
    assert.equal(r.status, 400);
    assert.equal(r.body.error?.type, "InvalidArguments");
    assert.deepEqual(r.body.error?.fields.sort(), ["id", "password"]);
    const missing = await jsonCall(server.url, "requestCancellation", { id: 1 }, key);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error?.fields, ["reason"]);
    const unknown = await jsonCall(server.url, "noSuchFunction", {}, key);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error?.type, "UnknownFunction");
    const nf = await jsonCall(server.url, "getUsername", { id: 987654 }, key);
    assert.equal(nf.status, 404);
    assert.equal(nf.body.error?.type, "NotFound");
  });

  it("refuses an unsigned or wrongly signed Thrift call with TApplicationException, over HTTP 200", async () => {
    const bad = thriftClient(server.url, { keyId: key.keyId, secret: "not-the-secret" });
    try {
      await assert.rejects(bad.client.getUsername(1), (e: unknown) => e instanceof Error && /Authentication failed/.test(e.message) && e.constructor.name === "TApplicationException");
    } finally {
      bad.close();
    }
    const none = thriftClient(server.url, null);
    try {
      await assert.rejects(none.client.getUsername(1), (e: unknown) => e instanceof Error && /Authentication failed/.test(e.message));
    } finally {
      none.close();
    }
  });

  it("answers a python3-thrift client (Debian's, an independent implementation) with a signed binary call", async () => {
    const id = await newCustomer(server);
    const login = (await server.app.services.customers.get(sys, `id:${id}`)).login;
    const { stdout: out } = await promisify(execFile)("/usr/bin/python3", [new URL("./python_client.py", import.meta.url).pathname, server.url, String(key.keyId), key.secret, String(id)], { encoding: "utf8", timeout: 30_000 });
    assert.deepEqual(JSON.parse(out), { username: login, bad_pin: "validation_failed", bad_pin_fields: ["pin"] });
  });
});
