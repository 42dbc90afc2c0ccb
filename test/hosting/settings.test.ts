import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

forEachDialect("hosting: customer settings (setSettings/getSettings)", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("lists every registered setting with its default until one is set, then the typed value", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const fresh = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/settings`);
    assert.equal(fresh.status, 200, fresh.text);
    const php = fresh.body.data.find((x: { key: string }) => x.key === "php.version");
    assert.deepEqual({ value: php.value, is_default: php.is_default }, { value: "8.3", is_default: true });
    const set = await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/settings`, {
      key: c.key,
      body: { settings: [{ key: "php.version", value: "8.4" }, { key: "backup.retention_days", value: "30" }, { key: "backup.enabled", value: false }] },
    });
    assert.equal(set.status, 200, set.text);
    const byKey = Object.fromEntries(set.body.data.map((x: { key: string; value: unknown }) => [x.key, x.value]));
    assert.equal(byKey["php.version"], "8.4");
    assert.equal(byKey["backup.retention_days"], 30, "a numeric string becomes an integer");
    assert.equal(byKey["backup.enabled"], false);
    const again = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/settings`, { key: r.key });
    assert.equal(again.body.data.find((x: { key: string }) => x.key === "php.version").is_default, false);
    const registry = await api(fixture.server.url, "GET", "/v1/settings-registry", { key: c.key });
    assert.ok(registry.body.data.some((d: { key: string; admin_only: boolean }) => d.key === "bandwidth.billing_method" && d.admin_only));
  });

  it("refuses unknown keys, wrong types and duplicates naming each entry, and writes nothing", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const bad = await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/settings`, {
      body: {
        settings: [
          { key: "php.version", value: "8.4" },
          { key: "php.verison", value: "8.4" },
          { key: "backup.retention_days", value: 9999 },
          { key: "timezone", value: "Mars/Olympus" },
          { key: "php.version", value: "8.2" },
        ],
      },
    });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.headers.get("content-type")?.startsWith("application/problem+json"), true);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field), ["settings.1.key", "settings.2.value", "settings.3.value", "settings.4.key"]);
    const after = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/settings`);
    assert.equal(after.body.data.find((x: { key: string }) => x.key === "php.version").value, "8.3", "nothing half-written");
    const empty = await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/settings`, { body: { settings: [] } });
    assert.equal(empty.status, 422);
  });

  it("lets the provider, not the customer, pick the bandwidth billing method", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const body = { settings: [{ key: "bandwidth.billing_method", value: "total" }] };
    const own = await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/settings`, { key: c.key, body });
    assert.equal(own.status, 422, own.text);
    assert.equal(own.body.errors[0].code, "not_allowed");
    const byReseller = await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/settings`, { key: r.key, body });
    assert.equal(byReseller.status, 200, byReseller.text);
  });

  it("another reseller's customer answers like a missing one, and every change is audited", async () => {
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const b1 = await fixture.world.customer(b.id);
    const foreign = await api(fixture.server.url, "GET", `/v1/customers/${b1.id}/settings`, { key: a.key });
    const absent = await api(fixture.server.url, "GET", "/v1/customers/99999999/settings", { key: a.key });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail, absent.body.detail);
    await api(fixture.server.url, "PUT", `/v1/customers/${b1.id}/settings`, { key: b.key, body: { settings: [{ key: "notices.digest", value: "weekly" }] } });
    const audit = await api(fixture.server.url, "GET", `/v1/audit?operation=settings.set&target_id=${b1.id}`);
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.body.data.length, 1);
  });
});
