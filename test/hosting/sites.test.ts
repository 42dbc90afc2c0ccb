import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect, type TestServer } from "../helpers/harness.js";

let n = 0;
const wizard = (over: Record<string, unknown> = {}) => {
  const i = ++n;
  return {
    site_name: `shop${i}`,
    site_hostname: `shop${i}.example.com`,
    container_name: `web${i}`,
    environment_names: ["production", "staging"],
    alias_names: [`www.shop${i}.example.com`],
    container_type: "php",
    container_os_id: "debian-12",
    container_disk_space: 1024,
    container_size: 2,
    ...over,
  };
};

async function count(s: TestServer, table: "sites" | "environments" | "containers" | "dns_records" | "site_hostnames"): Promise<number> {
  const r = await s.app.storage.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(r.n);
}

forEachDialect("hosting: sites, environments and containers (CP_Wizard)", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("creates a site, its environments, a container and DNS records in one call", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    await api(fixture.server.url, "POST", "/v1/ip-pools", { body: { name: `sites-${dialect}`, cidr: "192.0.2.128/28" } });
    assert.equal((await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { body: {} })).status, 201);
    const body = wizard({ site_hostname: "Blog.Example.ORG.", alias_names: ["www.blog.example.org"], create_dns: true });
    const res = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { key: c.key, body });
    assert.equal(res.status, 201, res.text);
    const site = res.body;
    assert.equal(site.hostname, "blog.example.org");
    assert.deepEqual(site.aliases, ["www.blog.example.org"]);
    assert.deepEqual(site.environments.map((e: { name: string; status: string }) => [e.name, e.status]), [["production", "requested"], ["staging", "requested"]]);
    assert.deepEqual([site.containers[0].type.name, site.containers[0].os.name, site.containers[0].disk_space_mb, site.containers[0].size], ["php", "debian-12", 1024, 2]);
    assert.deepEqual(site.dns_records.map((d: { name: string; type: string; content: string; ttl: number }) => [d.name, d.type, d.content, d.ttl]), [
      ["blog.example.org", "A", "192.0.2.129", 3600],
      ["www.blog.example.org", "CNAME", "blog.example.org", 3600],
    ]);
    assert.equal(site.status, "requested");
    const got = await api(fixture.server.url, "GET", `/v1/sites/${site.id}`, { key: r.key });
    assert.equal(got.headers.get("etag"), '"v1"');
    assert.deepEqual(got.body, site);
    const list = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/sites`, { key: c.key });
    assert.deepEqual(list.body.data.map((x: { id: number }) => x.id), [site.id]);
  });

  it("leaves nothing behind when the wizard fails after the container insert", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const tables = ["sites", "environments", "containers", "dns_records", "site_hostnames"] as const;
    const before = await Promise.all(tables.map((t) => count(fixture.server, t)));
    fixture.server.app.services.hosting.sites.faultAfter = (step) => {
      if (step === "container") throw new Error("injected failure after the container insert");
    };
    try {
      const res = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { body: wizard() });
      assert.equal(res.status, 500, res.text);
      assert.ok(!res.text.includes("injected"), "no internals in the answer");
    } finally {
      fixture.server.app.services.hosting.sites.faultAfter = undefined;
    }
    assert.deepEqual(await Promise.all(tables.map((t) => count(fixture.server, t))), before);
    const list = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/sites`);
    assert.deepEqual(list.body.data, []);
  });

  it("checks everything on a dry run and shows the would-be site without creating it", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const dry = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { key: r.key, body: wizard(), headers: { prefer: "return=dry-run" } });
    assert.equal(dry.status, 201, dry.text);
    assert.equal(dry.headers.get("preference-applied"), "return=dry-run");
    assert.equal(dry.body.environments.length, 2);
    assert.deepEqual((await api(fixture.server.url, "GET", `/v1/customers/${c.id}/sites`)).body.data, []);
    const bad = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites?dry_run=true`, { key: r.key, body: wizard({ container_type: "cobol" }) });
    assert.equal(bad.status, 422);
  });

  it("answers a retried wizard with the same Idempotency-Key with the first site, creating one", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const body = wizard();
    const first = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { key: r.key, body, headers: { "idempotency-key": `wiz-${dialect}-1` } });
    const again = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { key: r.key, body, headers: { "idempotency-key": `wiz-${dialect}-1` } });
    assert.equal(first.status, 201, first.text);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(again.body.id, first.body.id);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}/sites`)).body.data.length, 1);
  });

  it("refuses bad host names, unknown catalogue entries, oversize containers, taken names and an exceeded disk quota", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    assert.equal((await api(fixture.server.url, "PATCH", `/v1/customers/${c.id}`, { body: { resources: { diskspace_mb: 3000 } } })).status, 200);
    const cases: [Record<string, unknown>, string][] = [
      [{ site_hostname: "-bad-.example.com" }, "site_hostname"],
      [{ site_hostname: "under_score.example.com" }, "site_hostname"],
      [{ site_hostname: `${"a".repeat(64)}.example.com` }, "site_hostname"],
      [{ alias_names: ["ok.example.com", "bad..example.com"] }, "alias_names.1"],
      [{ container_type: "cobol" }, "container_type"],
      [{ container_os_id: 999 }, "container_os_id"],
      [{ container_size: 3, container_type: "static" }, "container_size"],
      [{ environment_names: [] }, "environment_names"],
      [{ environment_names: ["prod", "prod"] }, "environment_names"],
      [{ container_disk_space: 5000 }, "container_disk_space"],
      [{ create_dns: true }, "create_dns"],
    ];
    for (const [over, field] of cases) {
      const res = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { body: wizard(over) });
      assert.equal(res.status, 422, `${JSON.stringify(over)}: ${res.text}`);
      assert.ok(res.body.errors.some((e: { field: string }) => e.field === field), `${JSON.stringify(over)}: ${res.text}`);
    }
    const ok = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { body: wizard({ container_disk_space: 2000 }) });
    assert.equal(ok.status, 201, ok.text);
    const over = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { body: wizard({ container_disk_space: 1001 }) });
    assert.equal(over.status, 422, "2000 + 1001 MB exceeds the 3000 MB quota");
    const dup = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { body: wizard({ site_hostname: ok.body.hostname, container_disk_space: 10 }) });
    assert.equal(dup.status, 422);
    assert.deepEqual(dup.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]), [["site_hostname", "already_exists"]]);
    const sameName = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { body: wizard({ site_name: ok.body.name, container_disk_space: 10 }) });
    assert.equal(sameName.status, 409);
  });

  it("takes provisioning status reports from operators only, in allowed order, and deletes in two steps once built", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const site = (await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { body: wizard() })).body;
    const byReseller = await api(fixture.server.url, "PUT", `/v1/provisioning/site/${site.id}/status`, { key: r.key, body: { status: "active" } });
    assert.equal(byReseller.status, 403);
    const active = await api(fixture.server.url, "PUT", `/v1/provisioning/site/${site.id}/status`, { body: { status: "active", message: "built on node 7" } });
    assert.equal(active.status, 200, active.text);
    const cont = await api(fixture.server.url, "PUT", `/v1/provisioning/container/${site.containers[0].id}/status`, { body: { status: "failed", message: "image pull failed" } });
    assert.equal(cont.status, 200, cont.text);
    const env = await api(fixture.server.url, "PUT", `/v1/provisioning/environment/${site.environments[0].id}/status`, { body: { status: "provisioning" } });
    assert.equal(env.status, 200, env.text);
    const read = await api(fixture.server.url, "GET", `/v1/sites/${site.id}`, { key: c.key });
    assert.deepEqual([read.body.status, read.body.status_message, read.body.containers[0].status, read.body.environments[0].status], ["active", "built on node 7", "failed", "provisioning"]);
    assert.equal(read.headers.get("etag"), '"v2"');
    const bad = await api(fixture.server.url, "PUT", `/v1/provisioning/site/${site.id}/status`, { body: { status: "bogus" } });
    assert.equal(bad.status, 422);
    const missing = await api(fixture.server.url, "PUT", "/v1/provisioning/site/99999999/status", { body: { status: "active" } });
    assert.equal(missing.status, 404);
    const stale = await api(fixture.server.url, "DELETE", `/v1/sites/${site.id}`, { key: c.key, headers: { "if-match": '"v1"' } });
    assert.equal(stale.status, 412);
    const asked = await api(fixture.server.url, "DELETE", `/v1/sites/${site.id}`, { key: c.key });
    assert.equal(asked.status, 202, asked.text);
    assert.equal(asked.body.status, "deleting");
    const back = await api(fixture.server.url, "PUT", `/v1/provisioning/site/${site.id}/status`, { body: { status: "active" } });
    assert.equal(back.status, 409, "deleting -> active is not a transition");
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/sites/${site.id}`)).status, 204, "the operator confirms the teardown");
    assert.equal((await api(fixture.server.url, "GET", `/v1/sites/${site.id}`)).status, 404);
    const fresh = (await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, { body: wizard() })).body;
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/sites/${fresh.id}`, { key: c.key })).status, 204, "nothing built yet: gone at once");
  });

  it("keeps the catalogue to operators and another tenant's site looks missing", async () => {
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const b1 = await fixture.world.customer(b.id);
    assert.equal((await api(fixture.server.url, "POST", "/v1/container-types", { key: a.key, body: { name: "go" } })).status, 403);
    const type = await api(fixture.server.url, "POST", "/v1/container-types", { body: { name: `go-${dialect}`, max_size: 4 } });
    assert.equal(type.status, 201, type.text);
    const os = await api(fixture.server.url, "POST", "/v1/os-images", { body: { name: `alpine-${dialect}` } });
    assert.equal(os.status, 201, os.text);
    assert.ok((await api(fixture.server.url, "GET", "/v1/container-types", { key: b.key })).body.data.some((t: { name: string }) => t.name === `go-${dialect}`));
    const site = await api(fixture.server.url, "POST", `/v1/customers/${b1.id}/sites`, { key: b.key, body: wizard({ container_type: type.body.id, container_os_id: `alpine-${dialect}` }) });
    assert.equal(site.status, 201, site.text);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/container-types/${type.body.id}`)).status, 409, "in use");
    const foreign = await api(fixture.server.url, "GET", `/v1/sites/${site.body.id}`, { key: a.key });
    const absent = await api(fixture.server.url, "GET", "/v1/sites/99999999", { key: a.key });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail, absent.body.detail);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/sites/${site.body.id}`, { key: a.key })).status, 404);
    assert.equal((await api(fixture.server.url, "POST", `/v1/customers/${b1.id}/sites`, { key: a.key, body: wizard() })).status, 404);
  });
});
