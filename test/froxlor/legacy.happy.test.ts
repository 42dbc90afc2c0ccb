import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { type Actor, World } from "../security/world.js";
import { froxlorPair } from "./client.js";

/** Froxlor 0.10's envelope, as envoyr/php-froxlor-client sends it: credentials in the body, no Basic. */
async function legacy(base: string, header: Record<string, unknown>, command: string, params: unknown) {
  const res = await fetch(`${base}/api.php`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ header, body: { command, params } }) });
  return { status: res.status, statusText: res.statusText, body: (await res.json()) as any };
}

forEachDialect("Froxlor 0.10 envelope (header + body)", (dialect) => {
  let s: TestServer;
  let admin: Actor;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    const w = new World(s);
    admin = await w.keyFor("operator", await w.operatorId());
  });
  after(async () => s.close());

  it("creates a customer and answers {status, status_message, data}", async () => {
    const { user, secret } = froxlorPair(admin.key);
    const r = await legacy(s.url, { apikey: user, secret }, "Customers.add", { email: "old-client@froxlor.example", firstname: "Old", name: "Client", new_loginname: "oldclient", new_customer_password: "0ld-Client-Passw0rd" });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 200);
    assert.equal(r.body.status_message, "successful");
    assert.equal(r.body.data.loginname, "oldclient");
  });

  it("puts the error in status_message and on the status line", async () => {
    const { user } = froxlorPair(admin.key);
    const bad = await legacy(s.url, { apikey: user, secret: "wrong" }, "Customers.listing", {});
    assert.equal(bad.status, 403);
    assert.deepEqual(bad.body, { status: 403, status_message: "Invalid authorization credentials" });
    assert.equal(bad.statusText, "Invalid authorization credentials");
    const { secret } = froxlorPair(admin.key);
    const missing = await legacy(s.url, { apikey: user, secret }, "Customers.get", { id: 987654 });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.status_message, "Customer with id #987654 could not be found");
  });
});
