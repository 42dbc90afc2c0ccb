import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { type App, createApp } from "../../src/app.js";
import { systemContext } from "../../src/core/context.js";
import { WebhookCommands } from "../../src/modules/events/commands.js";
import { createTestDatabase, forEachDialect, OPERATOR_KEY, type TestDatabase, testConfig } from "../helpers/harness.js";
import { Receiver } from "./receiver.js";

const ROOT = join(import.meta.dirname, "../..");

/** A real Custos process (src/main.ts) on the database, dispatching with a short lease. */
function spawnCustos(db: TestDatabase, extra: Record<string, string> = {}): ChildProcess {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: "0",
    CUSTOS_DATA_DIR: db.dataDir,
    CUSTOS_BOOTSTRAP_KEY: OPERATOR_KEY,
    CUSTOS_LOG_LEVEL: process.env.CRASH_LOG ?? "silent",
    CUSTOS_WEBHOOK_ALLOW_PRIVATE: "true",
    CUSTOS_EVENTS_POLL_MS: "20",
    CUSTOS_WEBHOOK_LEASE: "2",
    ...extra,
  };
  if (db.url) env.DATABASE_URL = db.url;
  else delete env.DATABASE_URL;
  return spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/main.ts")], { cwd: ROOT, env, stdio: ["ignore", process.env.CRASH_LOG ? "inherit" : "ignore", "inherit"] });
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  await exited;
}

/** Sets up the database in this process (no dispatcher here), then lets go of it. */
async function queueEvents(db: TestDatabase, receiverUrl: string, count: number): Promise<string[]> {
  const app: App = await createApp(testConfig(db, { events: { dispatch: false, allowPrivateTargets: true } }));
  try {
    const ctx = systemContext("test");
    await app.services.commands.execute(WebhookCommands.create, ctx, { url: receiverUrl, event_types: ["customer.created"] }, undefined);
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push((await app.services.customers.create(ctx, { email: `crash${i}@events.example`, company: `Crash ${i}` })).id);
    const events = await app.services.events.list(ctx, { type: "customer.created", limit: 200 });
    return events.data.map((e) => e.id);
  } finally {
    await app.close();
  }
}

async function deliveryStates(db: TestDatabase): Promise<Record<string, number>> {
  const app = await createApp(testConfig(db, { events: { dispatch: false } }));
  try {
    const rows = await app.storage.db.selectFrom("webhook_deliveries").select(["status"]).execute();
    const out: Record<string, number> = {};
    for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
    return out;
  } finally {
    await app.close();
  }
}

forEachDialect("dispatcher: kill -9 mid-delivery loses nothing", (dialect) => {
  let db: TestDatabase;
  let rx: Receiver;
  const children: ChildProcess[] = [];
  before(async () => {
    db = await createTestDatabase(dialect);
    rx = await new Receiver().start();
  });
  after(async () => {
    for (const c of children) await stop(c, "SIGKILL");
    await rx.close();
    await db.drop();
  });

  it("redelivers, after the lease runs out, what a killed process had in flight; every event arrives", async () => {
    const expected = await queueEvents(db, rx.url, 30);
    assert.equal(expected.length, 30);
    let killed = false;
    // Hold every request until the process is dead, so it dies with deliveries in flight.
    rx.answer = () => (killed ? 200 : "hold");
    const first = spawnCustos(db);
    children.push(first);
    await rx.until(() => rx.received.length >= 1, "the first process to start delivering", 60_000);
    await new Promise((r) => setTimeout(r, 100));
    await stop(first, "SIGKILL");
    killed = true;
    // Everything received so far was held unanswered: it was in flight when the process died.
    const inFlight = new Set(rx.received.map((r) => r.event.id));
    const killedAt = Date.now();
    assert.ok(inFlight.size > 0);

    const second = spawnCustos(db);
    children.push(second);
    const arrivedSince = () => new Set(rx.received.filter((r) => r.at >= killedAt).map((r) => r.event.id));
    await rx.until(() => expected.every((id) => arrivedSince().has(id)), "every event after the restart", 60_000);
    await stop(second, "SIGTERM");
    const counts = new Map<string, number>();
    for (const r of rx.received) counts.set(r.event.id, (counts.get(r.event.id) ?? 0) + 1);
    for (const id of expected) assert.ok((counts.get(id) ?? 0) >= 1, `${id} arrived`);
    for (const [id, n] of counts) if (n > 1) assert.ok(inFlight.has(id), `${id} arrived ${n} times but was not in flight at the kill`);
    assert.deepEqual(await deliveryStates(db), { delivered: 30 });
  });
});

forEachDialect("dispatcher: two processes share one outbox", (dialect) => {
  let db: TestDatabase;
  let rx: Receiver;
  const children: ChildProcess[] = [];
  before(async () => {
    db = await createTestDatabase(dialect);
    rx = await new Receiver().start();
  });
  after(async () => {
    for (const c of children) await stop(c, "SIGKILL");
    await rx.close();
    await db.drop();
  });

  it("delivers each event exactly once although both processes dispatch at the same time", async () => {
    const expected = await queueEvents(db, rx.url, 120);
    // Each request takes a little while, so both processes have deliveries in flight together.
    rx.answer = () => 200;
    children.push(spawnCustos(db, { CUSTOS_WEBHOOK_LEASE: "60" }), spawnCustos(db, { CUSTOS_WEBHOOK_LEASE: "60" }));
    await rx.until(() => new Set(rx.received.map((r) => r.event.id)).size === expected.length, "all events", 90_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const c of children) await stop(c, "SIGTERM");
    const ids = rx.received.map((r) => r.event.id);
    assert.equal(ids.length, new Set(ids).size, "no event delivered twice");
    assert.deepEqual(new Set(ids), new Set(expected));
    assert.deepEqual(await deliveryStates(db), { delivered: 120 });
  });
});
