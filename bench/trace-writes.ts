/**
 * Lists the SQL statements of one create, one create with an Idempotency-Key and one PATCH, as
 * sent by the request itself (the sealer and the dispatcher, which run after commit, are off):
 *
 *   node --import tsx bench/trace-writes.ts [sqlite|postgres] [--time=N]
 *
 * With --time=N it also runs N creates and N PATCHes one after another and prints each
 * statement's mean time per request (in process, through inject: no sockets, no concurrency, so
 * SQLite's group commit never groups; these are the costs one request pays on its own).
 *
 * Counts, not timings: the figures hold on a loaded machine. The bench's stmts/req also counts
 * the sealer's and dispatcher's background statements, spread over the requests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createApp } from "../src/app.js";

const dialect = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "sqlite";
const timeN = Number(process.argv.find((a) => a.startsWith("--time="))?.slice(7) ?? 0);
const KEY = "bench-operator-key-0123456789abcdef0123456789";
const ADMIN = process.env.CUSTOS_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = `custos_trace_${process.pid}`;
const admin = async (q: string) => {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  await c.query(q);
  await c.end();
};
let url: string | undefined;
if (dialect === "postgres") {
  await admin(`create database ${dbName}`);
  url = ADMIN.replace(/\/[^/]*$/, `/${dbName}`);
}
const dataDir = mkdtempSync(join(tmpdir(), "custos-trace-"));
const app = await createApp({
  port: 0,
  host: "127.0.0.1",
  databaseUrl: url,
  dataDir,
  bootstrapKey: KEY,
  logLevel: "silent",
  loginPrefix: "cust",
  bodyLimit: 262144,
  trustProxy: false,
  dbPool: 5,
  rateLimit: 0,
  events: { dispatch: false },
  audit: { seal: false },
});
const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const body = (i: number) => JSON.stringify({ email: `bench.t${i}-${process.pid}@example.com`, first_name: "Bench", last_name: "Load", country: "NL", phone: "+31201234567" });
const created: { id: number; version: number }[] = [];

async function trace(label: string, n: number, fn: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < 3; i++) await fn(100_000 + i); // warm: the key's verification is cached
  const texts: string[] = [];
  app.storage.traceStatements((s) => texts.push(s));
  const tripsBefore = app.storage.stats().roundTrips;
  for (let i = 0; i < n; i++) await fn(i);
  const trips = app.storage.stats().roundTrips - tripsBefore;
  app.storage.traceStatements(null);
  console.log(`== ${dialect} ${label}: ${(texts.length / n).toFixed(1)} stmts/req${dialect === "postgres" ? `, ${(trips / n).toFixed(1)} round trips/req` : ""}`);
  for (const t of texts.slice(0, Math.round(texts.length / n))) console.log(`   ${t.replace(/\s+/g, " ").slice(0, 150)}`);
}

/** Runs `fn` n times (after a warm-up) and prints each statement text's mean time per request. */
async function time(label: string, n: number, fn: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < 200; i++) await fn(1_000_000 + i);
  const byText = new Map<string, { n: number; ms: number }>();
  app.storage.traceStatements((s, ms) => {
    const k = s.replace(/\s+/g, " ").slice(0, 70);
    const a = byText.get(k) ?? { n: 0, ms: 0 };
    a.n++;
    a.ms += ms;
    byText.set(k, a);
  });
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn(2_000_000 + i);
  const wall = performance.now() - started;
  app.storage.traceStatements(null);
  let sqlMs = 0;
  console.log(`== ${dialect} ${label}: ${((wall / n) * 1000).toFixed(0)} µs per request`);
  for (const [k, a] of [...byText].sort((x, y) => y[1].ms - x[1].ms)) {
    sqlMs += a.ms;
    console.log(`  ${((a.ms / n) * 1000).toFixed(0).padStart(5)} µs  ${(a.n / n).toFixed(1)}x  ${k}`);
  }
  console.log(`  SQL ${((sqlMs / n) * 1000).toFixed(0)} µs per request, ${((100 * sqlMs) / wall).toFixed(0)}% of the time`);
}

const create = async (i: number) => {
  const r = await app.http.inject({ method: "POST", url: "/v1/customers", headers, payload: body(i) });
  if (r.statusCode !== 201) throw new Error(r.body);
  const c = JSON.parse(r.body) as { id: number; version: number };
  created.push({ id: c.id, version: c.version });
};
let k = 0;
const patch = async () => {
  const c = created[k++ % created.length] as { id: number; version: number };
  const r = await app.http.inject({ method: "PATCH", url: `/v1/customers/${c.id}`, headers: { ...headers, "if-match": `"v${c.version}"` }, payload: JSON.stringify({ city: `City ${k}` }) });
  if (r.statusCode !== 200) throw new Error(r.body);
  c.version = (JSON.parse(r.body) as { version: number }).version;
};

try {
  await trace("create", 10, create);
  await trace("create_idem", 10, async (i) => {
    const r = await app.http.inject({ method: "POST", url: "/v1/customers", headers: { ...headers, "idempotency-key": `trace-${process.pid}-${i}` }, payload: body(200_000 + i) });
    if (r.statusCode !== 201) throw new Error(r.body);
  });
  await trace("patch", 10, patch);
  if (timeN > 0) {
    await time("create", timeN, create);
    await time("patch", timeN, patch);
  }
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (dialect === "postgres") await admin(`drop database if exists ${dbName} with (force)`);
}
