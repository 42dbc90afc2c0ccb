import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { api, createTestDatabase, forEachDialect, OPERATOR_KEY, type TestDatabase } from "../helpers/harness.js";

const ROOT = join(import.meta.dirname, "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      const port = typeof a === "object" && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A real Custos process (node src/main.ts) that can be killed with SIGKILL. */
async function spawnCustos(db: TestDatabase, port: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", CUSTOS_DATA_DIR: db.dataDir, CUSTOS_BOOTSTRAP_KEY: OPERATOR_KEY, CUSTOS_LOG_LEVEL: "silent", CUSTOS_RATE_LIMIT: "0" };
  if (db.url) env.DATABASE_URL = db.url;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`custos exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("custos did not start within 30 s");
}

/**
 * Issue 10, item 4: kill -9 in the middle of Idempotency-Key writes. After a restart every retry
 * either replays the committed answer or runs the request once: no key is stuck, nothing is
 * created twice, nothing acknowledged is lost.
 */
forEachDialect("Idempotency-Keys across kill -9", (dialect) => {
  let db: TestDatabase;
  let child: ChildProcess | undefined;
  before(async () => {
    db = await createTestDatabase(dialect);
  });
  after(async () => {
    child?.kill("SIGKILL");
    await db.drop();
  });

  it("after a restart every retry is replayed or run once, never stuck or doubled", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = await spawnCustos(db, port);
    const N = 60;
    const run = Date.now().toString(36);
    const body = (i: number) => ({ email: `crash${i}.${run}@example.com`, company: `Crash ${i}` });
    const headers = (i: number) => ({ "idempotency-key": `crash-${run}-${i}` });
    const acked = new Map<number, number>();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      inFlight.push(
        api(url, "POST", "/v1/customers", { body: body(i), headers: headers(i) })
          .then((r) => {
            if (r.status === 201) acked.set(i, r.body.id);
          })
          .catch(() => {}),
      );
      if (i === N / 3) await new Promise((r) => setTimeout(r, 30));
    }
    // Kill while writes are still going: wait for a few acknowledgements first.
    for (let t = 0; t < 200 && acked.size < 5; t++) await new Promise((r) => setTimeout(r, 10));
    const victim = child;
    victim.kill("SIGKILL");
    await new Promise((r) => victim.once("exit", r));
    await Promise.allSettled(inFlight);
    assert.ok(acked.size < N, `the kill came too late to prove anything (${acked.size} of ${N} acknowledged)`);

    child = await spawnCustos(db, port);
    let replayed = 0;
    let ranOnce = 0;
    for (let i = 0; i < N; i++) {
      const r = await api(url, "POST", "/v1/customers", { body: body(i), headers: headers(i) });
      assert.equal(r.status, 201, `retry ${i}: ${r.text}`);
      if (r.headers.get("idempotent-replayed") === "true") replayed++;
      else ranOnce++;
      const before = acked.get(i);
      if (before !== undefined) {
        assert.equal(r.headers.get("idempotent-replayed"), "true", `acknowledged request ${i} must replay`);
        assert.equal(r.body.id, before);
      }
    }
    const count = await api(url, "GET", `/v1/customers/count?filter[email]=${encodeURIComponent(`crash0.${run}@example.com`)}`);
    assert.equal(count.body.count, 1);
    const ours = await api(url, "GET", `/v1/customers/count?filter[company][prefix]=Crash%20`);
    assert.equal(ours.body.count, N, "every request ran exactly once");
    process.stderr.write(`  kill -9 [${dialect}]: ${acked.size} acknowledged before the kill; after restart ${replayed} replayed, ${ranOnce} ran once\n`);
    const victim2 = child;
    victim2.kill("SIGKILL");
    await new Promise((r) => victim2.once("exit", r));
    child = undefined;
  });
});
