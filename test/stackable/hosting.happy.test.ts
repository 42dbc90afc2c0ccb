import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import * as gen from "../../src/protocols/stackable/gen/customer.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { jsonCall, type SigningKey, thriftClient } from "./client.js";

/**
 * The hosting functions of Stackable's Customer service (issue 14's commands) through npm thrift
 * (code generated from customer.thrift) and the signed JSON proxy. Catalogue entries, an address
 * pool and notices are made over REST, as a provider would.
 */
const sys = systemContext("test");

forEachDialect("Stackable hosting functions (Thrift over HTTP, JSON proxy)", (dialect) => {
  let server: TestServer;
  let key: SigningKey;
  let typeId: number;
  let osId: number;
  before(async () => {
    server = await startServer(dialect, { rateLimit: 0, secretKey: "stackable-test-secret-key-0123456789abcdef" });
    const op = await server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").executeTakeFirstOrThrow();
    const k = await server.app.services.keys.create(sys, { name: "hosting", signing: true, principal: { kind: "operator", id: Number(op.id) } });
    key = { keyId: k.id, secret: k.signing_secret ?? "" };
    assert.equal((await api(server.url, "POST", "/v1/ip-pools", { body: { name: `st-${dialect}`, cidr: "192.0.2.0/28" } })).status, 201);
    typeId = (await api(server.url, "POST", "/v1/container-types", { body: { name: `node-${dialect}`, max_size: 4 } })).body.id;
    osId = (await api(server.url, "POST", "/v1/os-images", { body: { name: `alpine-${dialect}` } })).body.id;
  });
  after(() => server.close());

  it("answers all 23 hosting functions through npm thrift", async () => {
    const c = await server.app.services.customers.create(sys, { email: `host.${Date.now()}@stackable.example`, company: "Host Co" });
    const { client, close } = thriftClient(server.url, key);
    try {
      // Settings
      await client.setSettings(c.id, [new gen.Setting({ key: "backup.retention_days", value: "30" }), new gen.Setting({ key: "backup.enabled", value: "false" })]);
      const got = await client.getSettings(c.id);
      assert.equal(got.find((s) => s.key === "backup.retention_days")?.value, "30");
      assert.equal(got.find((s) => s.key === "backup.enabled")?.value, "false");
      await assert.rejects(client.setSettings(c.id, [new gen.Setting({ key: "no.such.setting", value: "1" })]), (e: unknown) => e instanceof gen.InvalidArguments && e.fields.includes("settings"));

      // IP addresses
      const address = await client.addIpAddress(c.id);
      assert.match(address, /^192\.0\.2\./);
      assert.deepEqual(await client.getIpAddresses(c.id), [address]);
      const detailed = await client.getDetailedIpAddresses(c.id);
      assert.equal(detailed[0]?.address, address);
      assert.equal(detailed[0]?.pool, `st-${dialect}`);

      // CP_Wizard
      const site = await client.CP_Wizard(c.id, "shop", "shop.example.com", "web", typeId, osId, 512, 2, ["production", "staging"], ["www.shop.example.com"], false);
      assert.ok(site instanceof gen.Site);
      assert.equal(site.hostname, "shop.example.com");
      assert.deepEqual(site.environments.map((e) => e.name).sort(), ["production", "staging"]);
      await assert.rejects(client.CP_Wizard(c.id, "shop", "shop.example.com", "web", typeId, osId, 512, 2, ["production"]), (e: unknown) => e instanceof gen.InvalidArguments);

      // FTP users
      const ftp = await client.createFTPUser(c.id, "Deploy", `deploy${c.id}`, "long-enough-password", "htdocs", gen.FTPUserType.READ_WRITE, site.id);
      assert.equal(ftp.type, gen.FTPUserType.READ_WRITE);
      assert.equal(ftp.siteId, site.id);
      const upd = await client.updateFTPUser(ftp.id, undefined, undefined, undefined, "logs", gen.FTPUserType.READ_ONLY);
      assert.equal(upd.relativeRoot, "logs");
      assert.equal(upd.type, gen.FTPUserType.READ_ONLY);
      assert.equal((await client.listFTPUsers(c.id, site.id)).length, 1);
      await client.destroyFTPUser(ftp.id);
      assert.equal((await client.listFTPUsers(c.id)).length, 0);

      // Bandwidth
      assert.equal(await client.currentBillableBandwidth(c.id), 0);

      // Notices: made by the provider over REST, read over Thrift, acknowledged by the customer itself
      const made = await api(server.url, "POST", "/v1/notices", { body: { customer_id: c.id, type: "maintenance", title: "Reboot", severity: "warning" } });
      assert.equal(made.status, 201, made.text);
      const notices = await client.listNotices(c.id);
      const mine = notices.find((n) => n.id === made.body.id);
      assert.equal(mine?.acknowledged, false);
      await assert.rejects(client.acknowledgeNotice(made.body.id), (e: unknown) => e instanceof gen.InvalidArguments && e.fields[0] === "noticeId");
      const own = await client.createKey(c.id);
      const asCustomer = thriftClient(server.url, { keyId: own.id, secret: own.signingSecret ?? "" });
      try {
        await asCustomer.client.acknowledgeNotice(made.body.id);
        assert.equal((await asCustomer.client.listNotices(c.id)).find((n) => n.id === made.body.id)?.acknowledged, true);
      } finally {
        asCustomer.close();
      }

      // Contacts
      const methods = await client.listContactMethods();
      const email = methods.find((m) => m.name === "email");
      assert.ok(email);
      const types = await client.listContactNoticeTypes();
      const maintenance = types.find((t) => t.name === "maintenance");
      assert.ok(maintenance);
      const contactId = await client.createContact(c.id, "Ops");
      const methodId = await client.createContactMethod(contactId, email.id, new Map([["address", "ops@example.com"]]) as never);
      const subId = await client.createContactMethodNotice(methodId, maintenance.id, new Map([["min_severity", "warning"]]) as never);
      const contacts = await client.listContacts(c.id);
      assert.equal(contacts[0]?.name, "Ops");
      assert.equal(contacts[0]?.methods[0]?.method, "email");
      assert.equal(contacts[0]?.methods[0]?.options.get("address"), "ops@example.com");
      assert.equal(contacts[0]?.methods[0]?.notices[0]?.noticeType, "maintenance");
      await client.destroyContactMethodNotice(subId);
      await client.destroyContactMethod(methodId);
      await client.destroyContact(contactId);
      assert.deepEqual(await client.listContacts(c.id), []);

      // getKeys / listRoles (issue 14's AccessCommands)
      assert.equal((await client.getKeys(c.id)).length, 1);
      assert.ok((await client.listRoles(c.id)).some((r) => r.name === "owner"));

      await client.freeIpAddress(c.id, address);
      assert.deepEqual(await client.getIpAddresses(c.id), []);
    } finally {
      close();
    }
  });

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
