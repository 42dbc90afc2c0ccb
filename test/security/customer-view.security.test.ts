import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";


const PASSWORD = "Sturdy-Password-7";

/**
 * Issue 10, items 7 and 9 and the audit-view item: what a customer sees of itself and may change.
 */
forEachDialect("a customer's view of itself", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  async function customerWithNotes(email: string) {
    const r = await fixture.world.reseller("Notes");
    const created = await api(fixture.server.url, "POST", "/v1/customers", { key: r.key, body: { email, company: "Notes Co", notes: "pays late; do not extend credit", notes_visible: false } });
    assert.equal(created.status, 201, created.text);
    const key = await fixture.world.keyFor("customer", created.body.id);
    return { id: created.body.id as number, login: created.body.login as string, key: key.key, reseller: r };
  }

  it("hides internal notes from the customer's own record when notes_visible is false (item 7)", async () => {
    const c = await customerWithNotes("notes1@view.example");
    const own = await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: c.key });
    assert.equal(own.status, 200);
    assert.equal(own.body.notes, null);
    assert.ok(!own.text.includes("pays late"));
    const list = await api(fixture.server.url, "GET", "/v1/customers", { key: c.key });
    assert.ok(!list.text.includes("pays late"));
    const byOwner = await api(fixture.server.url, "GET", `/v1/customers/${c.id}`, { key: c.reseller.key });
    assert.equal(byOwner.body.notes, "pays late; do not extend credit");
  });

  it("hides internal notes, operator key ids and client addresses from the customer's audit view", async () => {
    const c = await customerWithNotes("notes2@view.example");
    const audit = await api(fixture.server.url, "GET", `/v1/audit?target_id=${c.id}`, { key: c.key });
    assert.equal(audit.status, 200, audit.text);
    assert.ok(audit.body.data.length > 0);
    assert.ok(!audit.text.includes("pays late"), audit.text);
    for (const e of audit.body.data) {
      if (e.actor.kind !== "customer") {
        assert.equal(e.actor.key_id, null);
        assert.equal(e.client_ip, null);
      }
    }
    const asReseller = await api(fixture.server.url, "GET", `/v1/audit?target_id=${c.id}`, { key: c.reseller.key });
    assert.ok(asReseller.text.includes("pays late"), "the owner still reads its notes in the audit");
  });

  it("refuses a customer's own e-mail change outside the confirmed flow, over REST and INWX (item 9)", async () => {
    const c = await customerWithNotes("mail@view.example");
    const patch = await api(fixture.server.url, "PATCH", `/v1/customers/${c.id}`, { key: c.key, body: { email: "hijack@view.example" } });
    assert.equal(patch.status, 403, patch.text);
    assert.equal(patch.body.errors[0].field, "email");
    assert.equal((await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: PASSWORD } })).status, 204);
    const login = await fetch(`${fixture.server.url}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ method: "account.login", params: { user: c.login, pass: PASSWORD } }) });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const rpc = await fetch(`${fixture.server.url}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ method: "customer.update", params: { email: "hijack@view.example" } }) });
    const body = (await rpc.json()) as { code: number };
    assert.notEqual(body.code, 1000, JSON.stringify(body));
    const after = await api(fixture.server.url, "GET", `/v1/customers/${c.id}`);
    assert.equal(after.body.email, "mail@view.example");
  });
});
