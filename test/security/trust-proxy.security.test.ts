import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { loadConfig } from "../../src/config.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { World } from "./world.js";

/** Issue 10, item 11: behind CUSTOS_TRUST_PROXY=true the client cannot choose its own address. */
forEachDialect("client address behind a trusted proxy", (dialect) => {
  let s: TestServer;
  let key: string;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0, trustProxy: loadConfig({ CUSTOS_TRUST_PROXY: "true" }).trustProxy });
    const w = new World(s);
    const k = await w.keyFor("operator", await w.operatorId());
    await s.app.services.keys.createAcl(systemContext("test"), k.keyId, { address: "198.51.100.7/32", description: "the only allowed client" });
    key = k.key;
  });
  after(async () => s.close());

  it("takes the address the proxy appended, not an entry the client wrote", async () => {
    const spoofed = await api(s.url, "GET", "/v1/roles", { key, headers: { "x-forwarded-for": "198.51.100.7, 203.0.113.5" } });
    assert.equal(spoofed.status, 403, spoofed.text);
    const real = await api(s.url, "GET", "/v1/roles", { key, headers: { "x-forwarded-for": "198.51.100.7" } });
    assert.equal(real.status, 200, real.text);
  });
});
