import { createApp } from "../src/app.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const dialect = process.argv[2] ?? "sqlite";
const KEY = "bench-operator-key-0123456789abcdef0123456789";
let url: string | undefined;
if (dialect === "postgres") {
  const name = `custos_trace_${process.pid}`;
  const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  url = `postgres://postgres@127.0.0.1:5432/${name}`;
}
const app = await createApp({ port: 0, host: "127.0.0.1", databaseUrl: url, dataDir: mkdtempSync(join(tmpdir(), "trace-")), bootstrapKey: KEY, logLevel: "silent", loginPrefix: "cust", bodyLimit: 262144, trustProxy: false, dbPool: 5, rateLimit: 0, events: { dispatch: false }, audit: { seal: false } });
const h = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const body = (i: number) => JSON.stringify({ email: `bench.t${i}-${process.pid}@example.com`, first_name: "Bench", last_name: "Load", country: "NL", phone: "+31201234567" });
const ids: { id: number; version: number }[] = [];
const run = async (label: string, n: number, fn: (i: number) => Promise<unknown>) => {
  const texts: string[] = [];
  app.storage.traceStatements(null);
  for (let i = 0; i < 3; i++) await fn(1000 + i + (label === "patch" ? 50 : 0));
  app.storage.traceStatements((s) => texts.push(s));
  for (let i = 0; i < n; i++) await fn(i);
  app.storage.traceStatements(null);
  console.log(`== ${dialect} ${label}: ${(texts.length / n).toFixed(1)} stmts/req`);
  const per = texts.slice(0, texts.length / n);
  for (const t of per) console.log("  ", t.slice(0, 160).replace(/\s+/g, " "));
};
await run("create", 10, async (i) => {
  const r = await app.http.inject({ method: "POST", url: "/v1/customers", headers: h, payload: body(i) });
  if (r.statusCode !== 201) throw new Error(r.body);
  const b = JSON.parse(r.body); ids.push({ id: b.id, version: b.version });
});
let k = 0;
await run("patch", 10, async () => {
  const c = ids[k++ % ids.length] as { id: number; version: number };
  const r = await app.http.inject({ method: "PATCH", url: `/v1/customers/${c.id}`, headers: { ...h, "if-match": `"v${c.version}"` }, payload: JSON.stringify({ city: `City ${k}` }) });
  if (r.statusCode !== 200) throw new Error(r.body);
  c.version = JSON.parse(r.body).version;
});
await app.close();
