import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiClient } from "domrobot-client";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

const PASSWORD = "Correct-Horse-Battery-9";

// account.login is one command run outside a transaction on purpose: a refused guess must stay
// counted. Were it rolled back with the refusal, guessing over INWX would never reach the lockout.
forEachDialect("INWX account.login keeps refused guesses counted", (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startServer(dialect, { loginMaxFailures: 3 });
  });
  after(async () => server.close());

  test("after the account's budget of wrong passwords even the right one is refused, and customer.info needs a session", async () => {
    const c = await api(server.url, "POST", "/v1/customers", { body: { email: "inwxguess@example.com", login: "inwxguess", company: "Guess GmbH", country: "DE" } });
    assert.equal(c.status, 201, c.text);
    assert.equal((await api(server.url, "PUT", `/v1/customers/${c.body.id}/password`, { body: { password: PASSWORD } })).status, 204);
    const client = new ApiClient(`${server.url}/jsonrpc/`, "en", false);
    const first = await client.login("inwxguess", PASSWORD);
    assert.equal(first.code, 1000, JSON.stringify(first));
    assert.equal(first.resData.customerId, c.body.id);
    assert.equal(first.resData.tfa, "0");
    for (let i = 0; i < 3; i++) assert.equal((await new ApiClient(`${server.url}/jsonrpc/`, "en", false).login("inwxguess", `wrong-${i}`)).code, 2200);
    const locked = await new ApiClient(`${server.url}/jsonrpc/`, "en", false).login("inwxguess", PASSWORD);
    assert.equal(locked.code, 2200, "the right password is refused once the budget is spent");
    const anonymous = await new ApiClient(`${server.url}/jsonrpc/`, "en", false).callApi("customer.info");
    assert.equal(anonymous.code, 2002);
  });
});
