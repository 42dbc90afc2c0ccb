import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

let poolSeq = 0;

forEachDialect("hosting: IP address pools (addIpAddress, getIpAddresses, getDetailedIpAddresses, freeIpAddress)", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  async function pool(cidr: string): Promise<{ id: number; name: string }> {
    const r = await api(fixture.server.url, "POST", "/v1/ip-pools", { body: { name: `pool-${++poolSeq}`, cidr } });
    assert.equal(r.status, 201, r.text);
    return r.body;
  }

  it("assigns the next free address, lists it plain and detailed, and takes it back on free", async () => {
    const p = await pool("198.51.100.0/29");
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const first = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { key: r.key, body: { pool_id: p.id, reverse_dns: "Host1.Example.com." } });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.address, "198.51.100.1", "the network address is skipped");
    assert.equal(first.body.reverse_dns, "host1.example.com");
    const second = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { key: c.key, body: { pool_id: p.id } });
    assert.equal(second.body.address, "198.51.100.2");
    const plain = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/ip-address-list`, { key: c.key });
    assert.deepEqual(plain.body.data, ["198.51.100.1", "198.51.100.2"]);
    const detailed = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/ip-addresses`, { key: c.key });
    assert.deepEqual(
      detailed.body.data.map((a: { address: string; version: number; pool: { id: number } }) => [a.address, a.version, a.pool.id]),
      [
        ["198.51.100.1", 4, p.id],
        ["198.51.100.2", 4, p.id],
      ],
    );
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/customers/${c.id}/ip-addresses/198.51.100.1`, { key: c.key })).status, 204);
    const again = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { key: c.key, body: { pool_id: p.id } });
    assert.equal(again.body.address, "198.51.100.1", "a freed address is free again");
    const pools = await api(fixture.server.url, "GET", "/v1/ip-pools");
    const mine = pools.body.data.find((x: { id: number }) => x.id === p.id);
    assert.deepEqual([mine.size, mine.assigned], ["6", 2]);
  });

  it("gives exactly 10 of 20 concurrent requests an address from a pool with 10 free, the rest a clear pool-exhausted error", async () => {
    // A /28 holds 14 assignable addresses; 4 are taken first so 10 remain.
    const p = await pool("203.0.113.16/28");
    const r = await fixture.world.reseller();
    const holder = await fixture.world.customer(r.id);
    for (let i = 0; i < 4; i++) assert.equal((await api(fixture.server.url, "POST", `/v1/customers/${holder.id}/ip-addresses`, { body: { pool_id: p.id } })).status, 201);
    const customers = await Promise.all(Array.from({ length: 5 }, () => fixture.world.customer(r.id)));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api(fixture.server.url, "POST", `/v1/customers/${customers[i % 5]?.id}/ip-addresses`, { key: r.key, body: { pool_id: p.id } })),
    );
    const ok = results.filter((x) => x.status === 201);
    const refused = results.filter((x) => x.status !== 201);
    assert.equal(ok.length, 10, results.map((x) => `${x.status} ${x.text.slice(0, 80)}`).join("\n"));
    assert.equal(new Set(ok.map((x) => x.body.address)).size, 10, "no address assigned twice");
    for (const x of refused) {
      assert.equal(x.status, 409, x.text);
      assert.match(x.body.detail, /pool exhausted/);
    }
  });

  it("lets only operators assign a specific address, inside a pool and not already taken", async () => {
    const p = await pool("2001:db8:77::/120");
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const byReseller = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { key: r.key, body: { address: "2001:db8:77::10" } });
    assert.equal(byReseller.status, 403);
    const byOperator = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { body: { address: "2001:DB8:77:0::10" } });
    assert.equal(byOperator.status, 201, byOperator.text);
    assert.deepEqual([byOperator.body.address, byOperator.body.version, byOperator.body.pool.id], ["2001:db8:77::10", 6, p.id]);
    const twice = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { body: { address: "2001:db8:77::10" } });
    assert.equal(twice.status, 409);
    const outside = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { body: { address: "192.0.2.200" } });
    assert.equal(outside.status, 422);
    assert.equal(outside.body.errors[0].field, "address");
    const junk = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ip-addresses`, { body: { address: "300.1.1.1" } });
    assert.equal(junk.status, 422);
  });

  it("refuses bad and overlapping pools, deleting a pool in use, and other tenants' addresses", async () => {
    const p = await pool("192.0.2.64/30");
    for (const cidr of ["192.0.2.64/29", "not-a-range", "192.0.2.1/33"]) {
      const bad = await api(fixture.server.url, "POST", "/v1/ip-pools", { body: { name: `bad-${++poolSeq}`, cidr } });
      assert.equal(bad.status, 422, `${cidr}: ${bad.text}`);
    }
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const b1 = await fixture.world.customer(b.id);
    const got = await api(fixture.server.url, "POST", `/v1/customers/${b1.id}/ip-addresses`, { key: b.key, body: { pool_id: p.id } });
    assert.equal(got.status, 201);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/ip-pools/${p.id}`)).status, 409);
    const foreign = await api(fixture.server.url, "DELETE", `/v1/customers/${b1.id}/ip-addresses/${got.body.address}`, { key: a.key });
    assert.equal(foreign.status, 404);
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${b1.id}/ip-addresses`, { key: a.key })).status, 404);
    assert.equal((await api(fixture.server.url, "GET", "/v1/ip-pools", { key: a.key })).status, 403);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/customers/${b1.id}/ip-addresses/${got.body.address}`, { key: b.key })).status, 204);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/ip-pools/${p.id}`)).status, 204);
  });
});
