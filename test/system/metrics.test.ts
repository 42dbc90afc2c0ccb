import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const TOKEN = "metrics-token-0123456789abcdef";

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== "{" && rest[0] !== " ") continue;
    if (Object.entries(labels).every(([k, v]) => rest.includes(`${k}="${v}"`))) return Number(line.split(" ").pop());
  }
  return undefined;
}

forEachDialect("GET /metrics", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { metricsToken: TOKEN });
  });
  after(async () => s.close());

  it("is refused without the metrics token, also with an operator key", async () => {
    assert.equal((await api(s.url, "GET", "/metrics", { key: null })).status, 401);
    const r = await api(s.url, "GET", "/metrics");
    assert.equal(r.status, 401);
    assert.equal(r.headers.get("content-type"), "application/problem+json; charset=utf-8");
  });

  it("counts requests per protocol, operation and status class, statements, the pool and refusals", async () => {
    const created = await api(s.url, "POST", "/v1/customers", { body: { email: "metrics@example.com", first_name: "M", last_name: "Etrics", country: "NL" }, headers: { "idempotency-key": "m-1" } });
    assert.equal(created.status, 201, created.text);
    assert.equal((await api(s.url, "GET", `/v1/customers/${created.body.id}`)).status, 200);
    assert.equal((await api(s.url, "GET", "/v1/customers/999999")).status, 404);
    const r = await api(s.url, "GET", "/metrics", { key: TOKEN });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const t = r.text;
    assert.equal(sample(t, "custos_requests_total", { protocol: "rest", operation: "customer.create", status_class: "2xx" }), 1);
    assert.equal(sample(t, "custos_requests_total", { protocol: "rest", operation: "customer.get", status_class: "2xx" }), 1);
    assert.equal(sample(t, "custos_requests_total", { protocol: "rest", operation: "customer.get", status_class: "4xx" }), 1);
    assert.equal(sample(t, "custos_request_duration_seconds_count", { protocol: "rest", operation: "customer.create" }), 1);
    assert.ok((sample(t, "custos_db_statements_total") ?? 0) > 5, "statements are counted");
    const trips = sample(t, "custos_db_round_trips_total") ?? 0;
    assert.ok(trips > 0 && trips <= (sample(t, "custos_db_statements_total") ?? 0), "round trips are counted, at most one per statement");
    assert.ok((sample(t, "custos_db_pool_connections", { state: "size" }) ?? 0) >= 1);
    assert.equal(sample(t, "custos_db_pool_connections", { state: "waiting" }), 0);
    const acquired = sample(t, "custos_db_pool_acquisitions_total") ?? -1;
    if (dialect === "postgres") assert.ok(acquired > 0, "pool acquisitions are counted");
    else assert.equal(acquired, 0, "SQLite has one connection and no pool");
    assert.ok((sample(t, "custos_db_pool_wait_seconds_total") ?? -1) >= 0, "pool wait is summed");
    assert.equal(sample(t, "custos_idempotency_keys"), 1);
    assert.ok(sample(t, "custos_process_resident_memory_bytes") !== undefined, "process metrics");
  });

  it("counts rate-limit refusals", async () => {
    // 60 requests with bad keys a minute per address; the 61st and 62nd are refused.
    for (let i = 0; i < 62; i++) await api(s.url, "GET", "/v1/roles", { key: `ck_000000000000_bad${i}` });
    const t = (await api(s.url, "GET", "/metrics", { key: TOKEN })).text;
    assert.equal(sample(t, "custos_rate_limit_refusals_total", { limiter: "bad_credentials" }), 2);
  });

  it("labels RPC requests by wire method", async () => {
    const r = await fetch(`${s.url}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ method: "customer.info", params: {} }) });
    assert.equal(r.status, 200);
    const t = (await api(s.url, "GET", "/metrics", { key: TOKEN })).text;
    assert.equal(sample(t, "custos_requests_total", { protocol: "inwx", operation: "customer.info", status_class: "2xx" }), 1);
  });
});

forEachDialect("GET /metrics, not configured", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect);
  });
  after(async () => s.close());

  it("is not served on the API listener", async () => {
    assert.equal((await api(s.url, "GET", "/metrics")).status, 404);
  });
});
