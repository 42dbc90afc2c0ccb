import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { ApiClient } from "domrobot-client";
import { generate } from "otplib";
import { customerWithPassword } from "../helpers/fixtures.js";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

const PASSWORD = "Correct-Horse-Battery-9";

const createLoginCustomer = async (server: TestServer, login: string): Promise<number> =>
  (await customerWithPassword(server, { email: `${login}@example.com`, login, company: "Inwx Cred GmbH", country: "DE" }, PASSWORD)).id;

forEachDialect("INWX DomRobot credentials with domrobot-client", (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startServer(dialect);
  });
  after(async () => server.close());

  test("a logged-in customer changes its password and service PIN with customer.update", async () => {
    const id = await createLoginCustomer(server, "inwxcred");
    const client = new ApiClient(`${server.url}/jsonrpc/`, "en", false);
    assert.equal((await client.login("inwxcred", PASSWORD)).code, 1000);
    const pin1 = await client.callApi("customer.update", { servicePin: "4711" });
    assert.equal(pin1.code, 1000, JSON.stringify(pin1));
    const pin2 = await client.callApi("customer.update", { servicePin: "0815" });
    assert.equal(pin2.code, 1000, JSON.stringify(pin2));
    const verify = await api(server.url, "POST", `/v1/customers/${id}/pin/verify`, { body: { pin: "0815" } });
    assert.equal(verify.body.valid, true, verify.text);
    const weak = await client.callApi("customer.update", { city: "Bonn", password: "short" });
    assert.ok([2004, 2005].includes(weak.code), JSON.stringify(weak));
    const untouched = await client.callApi("customer.info");
    assert.notEqual(untouched.resData.city, "Bonn", "a refused password leaves the other fields of the update unwritten");
    const changed = await client.callApi("customer.update", { password: "An0ther-Long-Passphrase" });
    assert.equal(changed.code, 1000, JSON.stringify(changed));
    const old = await new ApiClient(`${server.url}/jsonrpc/`, "en", false).login("inwxcred", PASSWORD);
    assert.equal(old.code, 2200);
    const fresh = await new ApiClient(`${server.url}/jsonrpc/`, "en", false).login("inwxcred", "An0ther-Long-Passphrase");
    assert.equal(fresh.code, 1000);
  });

  test("login with TOTP on completes through account.unlock with the client's shared secret", async () => {
    await createLoginCustomer(server, "inwxtotp");
    const session = await api(server.url, "POST", "/v1/sessions", { key: null, body: { identifier: "inwxtotp", password: PASSWORD } });
    assert.equal(session.status, 201, session.text);
    const token = session.body.token as string;
    const enrol = await api(server.url, "POST", "/v1/me/totp", { key: token });
    assert.equal(enrol.status, 201, enrol.text);
    const secret = enrol.body.secret as string;
    const confirm = await api(server.url, "POST", "/v1/me/totp/confirm", { key: token, body: { code: await generate({ secret }) } });
    assert.equal(confirm.status, 200, confirm.text);
    // The confirming code's time step is spent (replays are refused): let the next step begin.
    await sleep(30_000 - (Date.now() % 30_000) + 500);

    const noCode = new ApiClient(`${server.url}/jsonrpc/`, "en", false);
    // The client's login() refuses to go on without a shared secret, so call account.login itself.
    const pending = await noCode.callApi("account.login", { user: "inwxtotp", pass: PASSWORD });
    assert.equal(pending.code, 1000);
    assert.equal(pending.resData.tfa, "GOOGLE-AUTH");
    const blocked = await noCode.callApi("customer.info");
    assert.equal(blocked.code, 2002, "no access before the second factor");
    const wrong = await noCode.callApi("account.unlock", { tan: "000000" });
    assert.equal(wrong.code, 2200);

    const client = new ApiClient(`${server.url}/jsonrpc/`, "en", false);
    const login = await client.login("inwxtotp", PASSWORD, secret);
    assert.equal(login.code, 1000, JSON.stringify(login));
    const info = await client.callApi("customer.info");
    assert.equal(info.code, 1000, JSON.stringify(info));
    assert.equal(info.resData.username, "inwxtotp");
    assert.equal(info.resData.tfa, "GOOGLE-AUTH");
  });
});
