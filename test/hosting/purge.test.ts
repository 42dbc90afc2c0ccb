import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

forEachDialect("hosting: purging a customer removes its hosting objects", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("leaves no settings, addresses, sites, FTP users, samples, notices or contacts of a purged customer", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const ok = (res: { status: number; text: string }) => assert.ok(res.status < 300, res.text);
    ok(await api(fixture.server.url, "PUT", `/v1/customers/${c.id}/settings`, { body: { settings: [{ key: "php.version", value: "8.2" }] } }));
    ok(await api(fixture.server.url, "POST", "/v1/ip-pools", { body: { name: `purge-${dialect}`, cidr: "198.18.0.0/24" } }));
    ok(await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { body: {} }));
    const site = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, {
      body: { site_name: "p", site_hostname: `purge-${dialect}.example.net`, container_name: "web", environment_names: ["production"], container_type: "static", container_os_id: "debian-12", container_disk_space: 10, container_size: 1, create_dns: true },
    });
    ok(site);
    ok(await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { body: { name: "p", username: `purge${dialect}`, password: "a long enough password", relative_root: "www", type: "read_write", site_id: site.body.id } }));
    ok(await api(fixture.server.url, "POST", "/v1/bandwidth/samples", { body: { samples: [{ customer_id: c.id, start: 1767225600, bytes_in: 1, bytes_out: 2 }] } }));
    const notice = await api(fixture.server.url, "POST", "/v1/notices", { body: { customer_id: c.id, title: "bye" } });
    ok(notice);
    ok(await api(fixture.server.url, "POST", `/v1/customers/${c.id}/notices/${notice.body.id}/acknowledge`));
    const contact = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/contacts`, { body: { name: "p" } });
    const method = await api(fixture.server.url, "POST", `/v1/contacts/${contact.body.id}/methods`, { body: { method_id: "email", options: { address: "p@example.com" } } });
    ok(await api(fixture.server.url, "POST", `/v1/contact-methods/${method.body.id}/notices`, { body: { notice_type_id: "billing" } }));
    ok(await api(fixture.server.url, "DELETE", `/v1/customers/${c.id}`));
    const purge = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/purge`);
    assert.ok(purge.status < 300, purge.text);
    const db = fixture.server.app.storage.db;
    const left = async (table: "customer_settings" | "ip_addresses" | "sites" | "containers" | "ftp_users" | "bandwidth_samples" | "notices" | "notice_acknowledgements" | "contacts") =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("customer_id", "=", c.id).executeTakeFirstOrThrow()).n);
    for (const t of ["customer_settings", "ip_addresses", "sites", "containers", "ftp_users", "bandwidth_samples", "notices", "notice_acknowledgements", "contacts"] as const) assert.equal(await left(t), 0, t);
    for (const t of ["environments", "site_hostnames", "dns_records"] as const) {
      const n = await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).where("site_id", "=", site.body.id).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0, t);
    }
    assert.equal(Number((await db.selectFrom("contact_methods").select((eb) => eb.fn.countAll<number>().as("n")).where("id", "=", method.body.id).executeTakeFirstOrThrow()).n), 0);
  });
});
