import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { jsonCall, type SigningKey } from "./client.js";
import { prepareCatalogue } from "./scenario.js";

/**
 * The hosting functions of Stackable's Customer service (issue 14's commands) on the signed JSON
 * proxy: JSON-only leniency (numbers for text settings, missing arguments named). Every function
 * on every transport, npm thrift included, is in all-functions.test.ts.
 */
const sys = systemContext("test");

forEachDialect("Stackable hosting functions (JSON proxy)", (dialect) => {
  let server: TestServer;
  let key: SigningKey;
  let typeId: number;
  let osId: number;
  before(async () => {
    server = await startServer(dialect, { rateLimit: 0, secretKey: "stackable-test-secret-key-0123456789abcdef" });
    const op = await server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").executeTakeFirstOrThrow();
    const k = await server.app.services.keys.create(sys, { name: "hosting", signing: true, principal: { kind: "operator", id: Number(op.id) } });
    key = { keyId: k.id, secret: k.signing_secret ?? "" };
    ({ typeId, osId } = await prepareCatalogue(server, dialect));
  });
  after(() => server.close());

  it("answers hosting functions on the JSON proxy with IDL names and types", async () => {
    const c = await server.app.services.customers.create(sys, { email: `hostj.${Date.now()}@stackable.example`, company: "Host Co" });
    assert.deepEqual((await jsonCall(server.url, "setSettings", { id: c.id, settings: [{ key: "backup.retention_days", value: 7 }] }, key)).body, { result: null });
    const got = (await jsonCall(server.url, "getSettings", { id: c.id }, key)).body.result as { key: string; value: string }[];
    assert.equal(got.find((s) => s.key === "backup.retention_days")?.value, "7");
    const site = await jsonCall(server.url, "CP_Wizard", { customerId: c.id, siteName: "blog", siteHostname: "blog.example.com", containerName: "web", containerType: typeId, containerOSId: osId, containerDiskSpace: 256, containerSize: 1, environmentNames: ["production"] }, key);
    assert.equal(site.status, 200, JSON.stringify(site.body));
    assert.equal((site.body.result as { name: string }).name, "blog");
    const missing = await jsonCall(server.url, "CP_Wizard", { customerId: c.id, siteName: "x" }, key);
    assert.equal(missing.status, 400);
    assert.ok(missing.body.error?.fields.includes("siteHostname"));
    const ftp = await jsonCall(server.url, "createFTPUser", { customerId: c.id, name: "Up", username: `up${c.id}`, password: "long-enough-password", relativeRoot: "", type: 3 }, key);
    assert.equal(ftp.status, 200, JSON.stringify(ftp.body));
    assert.equal((ftp.body.result as { type: number }).type, 3);
    const bad = await jsonCall(server.url, "createFTPUser", { customerId: c.id, name: "Up", username: "UP!", password: "short", relativeRoot: "../etc", type: 9 }, key);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error?.fields, ["type"]);
    const types = (await jsonCall(server.url, "listContactNoticeTypes", {}, key)).body.result as { name: string }[];
    assert.ok(types.length > 0);
    assert.equal(typeof (await jsonCall(server.url, "currentBillableBandwidth", { customerId: c.id }, key)).body.result, "number");
  });
});
