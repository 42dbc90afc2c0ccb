import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiClient } from "domrobot-client";
import { AppError } from "../../src/core/errors.js";
import { customerWithPassword } from "../helpers/fixtures.js";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

const PASSWORD = "Correct-Horse-Battery-9";
const NEW_PASSWORD = "An0ther-Long-Passphrase";

async function loggedIn(server: TestServer, login: string): Promise<{ id: number; client: ApiClient }> {
  const c = await customerWithPassword(server, { email: `${login}@example.com`, login, company: "Atomic GmbH", country: "DE", city: "Berlin" }, PASSWORD);
  const client = new ApiClient(`${server.url}/jsonrpc/`, "en", false);
  assert.equal((await client.login(login, PASSWORD)).code, 1000);
  return { id: c.id, client };
}

async function unchanged(server: TestServer, id: number, login: string, version: number): Promise<void> {
  const c = await api(server.url, "GET", `/v1/customers/${id}`);
  assert.equal(c.body.city, "Berlin", "the profile was not written");
  assert.equal(c.body.version, version, "the customer was not touched");
  const old = await new ApiClient(`${server.url}/jsonrpc/`, "en", false).login(login, PASSWORD);
  assert.equal(old.code, 1000, "the old password still works: the new one was not written");
  const fresh = await new ApiClient(`${server.url}/jsonrpc/`, "en", false).login(login, NEW_PASSWORD);
  assert.equal(fresh.code, 2200);
}

forEachDialect("INWX customer.update: profile, password and PIN in one command", (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startServer(dialect);
  });
  after(async () => server.close());

  test("an invalid PIN writes neither the profile nor the password", async () => {
    const { id, client } = await loggedIn(server, "atomicpin");
    const res = await client.callApi("customer.update", { city: "Bonn", password: NEW_PASSWORD, servicePin: "12ab" });
    assert.equal(res.code, 2005, JSON.stringify(res));
    assert.match(res.reason, /Parameter servicePin:/);
    await unchanged(server, id, "atomicpin", 1);
  });

  test("a PIN refused after the profile and password were written rolls both back", async () => {
    const { id, client } = await loggedIn(server, "atomicinject");
    const credentials = server.app.services.credentials;
    const original = credentials.setPin;
    let reached = false;
    credentials.setPin = async () => {
      reached = true;
      throw new AppError("validation_failed", "pin: refused", { issues: [{ field: "pin", code: "invalid_value", message: "refused by the test" }] });
    };
    try {
      const res = await client.callApi("customer.update", { city: "Bonn", password: NEW_PASSWORD, servicePin: "4711" });
      assert.equal(reached, true, "the failure happened after the profile and password writes");
      assert.equal(res.code, 2004, JSON.stringify(res));
      assert.equal(res.reason, "Parameter servicePin: refused by the test");
    } finally {
      credentials.setPin = original;
    }
    await unchanged(server, id, "atomicinject", 1);
    const info = await client.callApi("customer.info");
    assert.equal(info.code, 1000, "the session survived: the password change that ends sessions was rolled back");
  });

  test("testing=1 runs the update as a dry run: checked, answered 1000, nothing written", async () => {
    const { id, client } = await loggedIn(server, "atomicdry");
    const dry = await client.callApi("customer.update", { city: "Bonn", password: NEW_PASSWORD, servicePin: "4711", testing: 1 });
    assert.equal(dry.code, 1000, JSON.stringify(dry));
    await unchanged(server, id, "atomicdry", 1);
    const pin = await api(server.url, "POST", `/v1/customers/${id}/pin/verify`, { body: { pin: "4711" } });
    assert.notEqual(pin.body?.valid, true, pin.text);
    const refused = await client.callApi("customer.update", { cc: "XY", testing: 1 });
    assert.equal(refused.code, 2004, JSON.stringify(refused));
    assert.match(refused.reason, /Parameter cc:/);
    const real = await client.callApi("customer.update", { city: "Bonn", testing: 0 });
    assert.equal(real.code, 1000);
    assert.equal((await api(server.url, "GET", `/v1/customers/${id}`)).body.city, "Bonn");
  });
});
