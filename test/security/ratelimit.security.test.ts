import assert from "node:assert/strict";
import { it } from "node:test";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";


/** Issue 10, item 14: more keys buy no more requests, and bad credentials are limited per address. */
forEachDialect("rate limits that cannot be walked around", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 10 });

  it("gives five keys of one reseller one budget, not five", async () => {
    const r = await fixture.world.reseller("Five");
    const keys = [r, ...(await Promise.all(Array.from({ length: 4 }, () => fixture.world.keyFor("reseller", r.id))))];
    let ok = 0;
    for (let round = 0; round < 4; round++) for (const k of keys) if ((await api(fixture.server.url, "GET", "/v1/roles", { key: k.key })).status === 200) ok++;
    assert.equal(ok, 10);
  });

  it("answers 429 to an address that keeps sending bad keys, and refuses it before checking them", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 90; i++) statuses.push((await api(fixture.server.url, "GET", "/v1/roles", { key: `ck_000000000000_bad${i}` })).status);
    assert.ok(statuses.slice(0, 60).every((x) => x === 401), "the first 60 are plain refusals");
    assert.ok(statuses.slice(61).every((x) => x === 429), "then the address is limited");
    const session = await api(fixture.server.url, "GET", "/v1/roles", { key: "cs_not-a-session" });
    assert.equal(session.status, 429, "whatever credential kind it tries");
  });
});
