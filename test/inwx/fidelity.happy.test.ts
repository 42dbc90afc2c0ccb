import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiClient } from "domrobot-client";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

const PASSWORD = "Correct-Horse-Battery-9";

forEachDialect("INWX customer.info field fidelity", (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startServer(dialect);
  });
  after(async () => server.close());

  async function infoOf(login: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    const c = await api(server.url, "POST", "/v1/customers", { body: { email: `${login}@example.com`, login, company: "Fidelity SA", ...fields } });
    assert.equal(c.status, 201, c.text);
    assert.equal((await api(server.url, "PUT", `/v1/customers/${c.body.id}/password`, { body: { password: PASSWORD } })).status, 204);
    const client = new ApiClient(`${server.url}/jsonrpc/`, "en", false);
    assert.equal((await client.login(login, PASSWORD)).code, 1000);
    const info = await client.callApi("customer.info");
    assert.equal(info.code, 1000, JSON.stringify(info));
    assert.equal(info.resData.accountId, c.body.id, "accountId is the logged-in account, which is the customer");
    return info.resData;
  }

  test("language is always present: DE, EN or ES, and EN for any other or no locale", async () => {
    assert.equal((await infoOf("fidelde", { locale: "de-AT" })).language, "DE");
    assert.equal((await infoOf("fidelfr", { locale: "fr-FR" })).language, "EN");
    assert.equal((await infoOf("fidelnone", {})).language, "EN");
  });

  test("customerNo is an int when the customer number is all digits, text otherwise", async () => {
    assert.equal((await infoOf("fidelnum", { customer_number: "4711" })).customerNo, 4711);
    assert.equal((await infoOf("fideltext", { customer_number: "K-4711" })).customerNo, "K-4711");
  });

  test("a locale that is not a language tag with an optional region is refused, not shortened", async () => {
    const r = await api(server.url, "POST", "/v1/customers", { body: { email: "fidelloc@example.com", company: "Fidelity SA", locale: "xx-yy-zz" } });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.errors[0].field, "locale");
  });
});
