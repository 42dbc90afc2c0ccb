import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiClient } from "domrobot-client";
import xmlrpc from "xmlrpc";
import { customerWithPassword } from "../helpers/fixtures.js";
import { forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

const PASSWORD = "Correct-Horse-Battery-9";

const createLoginCustomer = async (server: TestServer, login: string): Promise<number> =>
  (await customerWithPassword(server, { email: `${login}@example.com`, login, first_name: "Ina", last_name: "Wex", country: "DE", phone: "+49.301234567" }, PASSWORD)).id;

function xmlCall(client: xmlrpc.Client, method: string, params: Record<string, unknown> = {}): Promise<any> {
  return new Promise((resolve, reject) => client.methodCall(method, [params], (err, value) => (err ? reject(err) : resolve(value))));
}

forEachDialect("INWX DomRobot with the real clients", (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startServer(dialect);
  });
  after(async () => server.close());

  test("domrobot-client logs in, reads, updates with good and bad values and logs out", async () => {
    const id = await createLoginCustomer(server, "inwxjson");
    const client = new ApiClient(`${server.url}/jsonrpc/`, "en", false);
    const login = await client.login("inwxjson", PASSWORD);
    assert.equal(login.code, 1000, JSON.stringify(login));
    assert.equal(login.resData.customerId, id);
    assert.equal(login.resData.tfa, "0");
    assert.equal(typeof login.svTRID, "string");

    const info = await client.callApi("customer.info", { wide: 1 });
    assert.equal(info.code, 1000);
    assert.equal(info.resData.username, "inwxjson");
    assert.equal(info.resData.voice, "+49.301234567");
    assert.equal(info.resData.servicePin, undefined);

    const ok = await client.callApi("customer.update", { firstname: "Irene", pc: "10115", city: "Berlin", summaryInvoice: 1, lowBalance: -5.5, mailListId: [1, 2], language: "DE", defaultRenewalMode: "AUTORENEW", org: "" });
    assert.equal(ok.code, 1000, JSON.stringify(ok));
    const after = await client.callApi("customer.info", { wide: 1 });
    assert.equal(after.resData.firstname, "Irene");
    assert.equal(after.resData.language, "DE");
    assert.equal(after.resData.summaryInvoice, true);
    assert.deepEqual(after.resData.mailListId, [1, 2]);
    assert.equal(after.resData.lowBalance, -5.5);

    const wrongType = await client.callApi("customer.update", { summaryInvoice: "maybe" });
    assert.equal(wrongType.code, 2005);
    assert.match(wrongType.reason, /summaryInvoice/);
    const outOfRange = await client.callApi("customer.update", { cc: "QQ" });
    assert.equal(outOfRange.code, 2004);
    assert.match(outOfRange.reason, /\bcc\b/);
    const badPhone = await client.callApi("customer.update", { voice: "call me" });
    assert.equal(badPhone.code, 2005);
    const tooLong = await client.callApi("customer.update", { firstname: "x".repeat(65) });
    assert.equal(tooLong.code, 2004);
    const unknownParam = await client.callApi("customer.update", { shoeSize: 44 });
    assert.equal(unknownParam.code, 2001);
    const missing = await client.callApi("account.unlock", {});
    assert.equal(missing.code, 2003);

    // The client overwrites lang and clTRID in params with its own arguments when they are present.
    const de = await client.callApi("no.such.method", { lang: "de", clTRID: "x" }, "abc-1", "de");
    assert.equal(de.code, 2000);
    assert.equal(de.msg, "Unbekannter Befehl");
    assert.equal(de.clTRID, "abc-1");

    const settings = await client.callApi("customer.contactverificationsettingsupdate", { supportEmail: "help@example.com", supportName: "Help", signature: "Bye\nTeam" });
    assert.equal(settings.code, 1000, JSON.stringify(settings));
    const read = await client.callApi("customer.contactverificationsettingsinfo");
    assert.deepEqual(read.resData, { supportEmail: "help@example.com", supportName: "Help", signature: "Bye\nTeam" });

    const exp = await client.callApi("customer.requestdataexport");
    assert.equal(exp.code, 1000);
    const list = await client.callApi("customer.listdownloads", { type: "gdpr" });
    assert.equal(list.code, 1000);
    assert.equal(list.resData.downloads.length, 1);
    assert.match(list.resData.downloads[0].token, /^dl_/);

    const out = await client.logout();
    assert.equal(out, null);
    const afterLogout = await new ApiClient(`${server.url}/jsonrpc/`, "en", false).callApi("customer.info");
    assert.equal(afterLogout.code, 2002);
  });

  test("xmlrpc client with cookies logs in, reads, updates with good and bad values and logs out", async () => {
    const id = await createLoginCustomer(server, "inwxxml");
    const u = new URL(`${server.url}/xmlrpc/`);
    const client = xmlrpc.createClient({ host: u.hostname, port: Number(u.port), path: u.pathname, cookies: true });
    const login = await xmlCall(client, "account.login", { user: "inwxxml", pass: PASSWORD });
    assert.equal(login.code, 1000);
    assert.equal(login.resData.customerId, id);
    assert.equal(login.resData.tfa, "0");

    const info = await xmlCall(client, "customer.info", { wide: 1 });
    assert.equal(info.code, 1000);
    assert.equal(info.resData.email, "inwxxml@example.com");
    assert.ok(info.resData.crDate instanceof Date);

    const ok = await xmlCall(client, "customer.update", { city: "München", defaultImportNS: true, rowsPerPage: 50 });
    assert.equal(ok.code, 1000);
    const again = await xmlCall(client, "customer.info", { wide: 1 });
    assert.equal(again.resData.city, "München");
    assert.equal(again.resData.rowsPerPage, 50);

    const wrongType = await xmlCall(client, "customer.update", { rowsPerPage: "many" });
    assert.equal(wrongType.code, 2005);
    const outOfRange = await xmlCall(client, "customer.update", { rowsPerPage: 0 });
    assert.equal(outOfRange.code, 2004);
    const enumValue = await xmlCall(client, "customer.update", { isReseller: "perhaps" });
    assert.equal(enumValue.code, 2004);

    const out = await xmlCall(client, "account.logout");
    assert.equal(out.code, 1500);
    const gone = await xmlCall(client, "customer.info");
    assert.equal(gone.code, 2002);
  });
});
