import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { sql } from "kysely";
import { systemContext } from "../../src/core/context.js";
import { systemClock } from "../../src/core/clock.js";
import { AuditSealer, DEFAULT_SEALER_OPTIONS } from "../../src/modules/audit/sealer.js";
import { run } from "../../src/cli/program.js";
import { io } from "../../src/cli/runtime.js";
import { CheckpointSigner } from "../../src/modules/audit/checkpoints.js";
import { api, forEachDialect, OPERATOR_KEY, type TestServer, startServer } from "../helpers/harness.js";

const SIGNING_KEY = "audit-signing-key-for-tests-0123456789";
const METRICS_TOKEN = "metrics-token-0123456789";

/** Issue 16: audit entries appended unsealed, chained after commit by one sealer at a time. */
forEachDialect("Audit sealer: no shared head on the write path, signed checkpoints, verify", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { audit: { signingKey: SIGNING_KEY, checkpointSeconds: 1 }, metricsToken: METRICS_TOKEN });
  });
  after(async () => s.close());

  it("a mutation appends its entry without touching the chain head; the sealer chains it after commit", async () => {
    const { storage, services } = s.app;
    await services.auditSealer.drain();
    const headBefore = await storage.db.selectFrom("audit_chain").selectAll().executeTakeFirstOrThrow();
    await storage.transaction(async (trx) => {
      await services.audit.record(trx, systemContext(), { operation: "test.append", targetType: "test", targetId: 1 });
      const headInside = await trx.selectFrom("audit_chain").selectAll().executeTakeFirstOrThrow();
      assert.deepEqual(headInside, headBefore, "the head is not read-locked nor written by the mutation");
      const mine = await trx.selectFrom("audit_log").select(["seq", "hash"]).where("operation", "=", "test.append").executeTakeFirstOrThrow();
      assert.deepEqual(mine, { seq: null, hash: "" });
    });
    await services.auditSealer.drain();
    const sealed = await storage.db.selectFrom("audit_log").select(["seq", "hash"]).where("operation", "=", "test.append").executeTakeFirstOrThrow();
    assert.ok(sealed.seq !== null && sealed.hash.length === 64);
    const v = await api(s.url, "GET", "/v1/audit/verify");
    assert.equal(v.body.ok, true, v.text);
    assert.equal(v.body.unsealed, 0);
  });

  if (dialect === "postgres") {
    it("a create through another connection commits while a write transaction holding an audit entry stays open", async () => {
      const { storage, services } = s.app;
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let wrote: () => void = () => {};
      const written = new Promise<void>((r) => {
        wrote = r;
      });
      const open = storage.transaction(async (trx) => {
        await services.audit.record(trx, systemContext(), { operation: "test.held", targetType: "test", targetId: 2 });
        // The audit insert is a deferred write: it reaches the server with the next statement.
        await sql`select 1`.execute(trx);
        wrote();
        await held;
      });
      await written;
      const create = api(s.url, "POST", "/v1/customers", { body: { email: "while-held@sealer.example", company: "Held" } });
      const timeout = new Promise<"waited">((r) => setTimeout(() => r("waited"), 5000).unref());
      const first = await Promise.race([create.then(() => "done" as const), timeout]);
      assert.equal(first, "done", "the create did not wait for the open transaction");
      assert.equal((await create).status, 201);
      // The create's entry is sealed before the older, still uncommitted one: chain order is commit order.
      await services.auditSealer.drain();
      const heldRow = await storage.db.selectFrom("audit_log").select("id").where("operation", "=", "test.held").executeTakeFirst();
      assert.equal(heldRow, undefined, "not visible before commit");
      release();
      await open;
      await services.auditSealer.drain();
      const rows = await storage.db.selectFrom("audit_log").select(["id", "seq", "operation"]).where("operation", "in", ["test.held", "customer.create"]).orderBy("id", "desc").limit(2).execute();
      const heldEntry = rows.find((r) => r.operation === "test.held");
      const createEntry = rows.find((r) => r.operation === "customer.create");
      assert.ok(heldEntry && createEntry && heldEntry.id < createEntry.id && Number(heldEntry.seq) > Number(createEntry.seq), JSON.stringify(rows));
      assert.equal((await api(s.url, "GET", "/v1/audit/verify")).body.ok, true);
      // The event feed is in commit order too: the later-committed event comes later.
      const feed = await api(s.url, "GET", "/v1/events?limit=200");
      assert.equal(feed.status, 200, feed.text);
    });

    it("elects one sealer: while another transaction holds the sealer lock, a sealer does nothing", async () => {
      const { storage } = s.app;
      await api(s.url, "POST", "/v1/customers", { body: { email: "elect@sealer.example", company: "Elect" } });
      const other = new AuditSealer(storage, systemClock, null, { ...DEFAULT_SEALER_OPTIONS, intervalMs: 0 });
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let locked: () => void = () => {};
      const haveLock = new Promise<void>((r) => {
        locked = r;
      });
      const holder = storage.transaction(async (trx) => {
        // The server's own sealer, woken by the create above, may hold the lock for a moment.
        let ok = false;
        for (let i = 0; i < 100 && !ok; i++) {
          const r = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${(0x637573746f7301n).toString()}::bigint) as ok`.execute(trx);
          ok = r.rows[0]?.ok === true;
          if (!ok) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal(ok, true, "the sealer lock was never free");
        locked();
        await held;
      });
      await haveLock;
      const round = await storage.detached(() => other.sealOnce());
      assert.equal(round.busy, true);
      assert.equal(round.sealed, 0);
      release();
      await holder;
      await other.drain();
      assert.equal((await api(s.url, "GET", "/v1/audit/verify")).body.unsealed, 0);
    });
  }

  it("two sealers running at once build one chain: every entry sealed once", async () => {
    const { storage, services } = s.app;
    const ctx = systemContext();
    await storage.transaction(async (trx) => {
      await services.audit.recordMany(
        trx,
        ctx,
        Array.from({ length: 300 }, (_, i) => ({ operation: "test.bulk", targetType: "test", targetId: i, tenantId: 1, after: { n: i } })),
      );
    });
    const a = new AuditSealer(storage, systemClock, null, { ...DEFAULT_SEALER_OPTIONS, intervalMs: 0, batch: 50 });
    const b = new AuditSealer(storage, systemClock, null, { ...DEFAULT_SEALER_OPTIONS, intervalMs: 0, batch: 50 });
    await Promise.all([a.drain(), b.drain(), services.auditSealer.drain()]);
    const v = await services.auditReader.verifyChain();
    assert.equal(v.ok, true, v.reason ?? "");
    assert.equal(v.unsealed, 0);
    const seqs = await storage.db.selectFrom("audit_log").select("seq").where("operation", "=", "test.bulk").execute();
    assert.equal(new Set(seqs.map((r) => r.seq)).size, 300);
  });

  it("writes signed checkpoints an operator can export and check with the public key alone", async () => {
    const { services } = s.app;
    await services.auditSealer.drain();
    await services.auditSealer.checkpoint();
    const cps = await services.auditReader.checkpoints();
    assert.ok(cps.length >= 1);
    const last = cps[cps.length - 1];
    assert.ok(last?.signature && last.public_key === services.auditReader.publicKey);
    const v = await api(s.url, "GET", "/v1/audit/verify");
    assert.equal(v.body.ok, true, v.text);
    assert.equal(v.body.signed_checkpoints, v.body.checkpoints);
    const metrics = await api(s.url, "GET", "/metrics", { key: METRICS_TOKEN });
    assert.match(metrics.text, /custos_audit_unsealed_entries \d+/);
    assert.match(metrics.text, /custos_audit_sealer_lag_seconds \d/);
  });

  it("verify finds a bad checkpoint signature and a removed tail (a tampered entry: audit.happy.test.ts)", async () => {
    const { storage, services } = s.app;
    const db = storage.db;
    await api(s.url, "POST", "/v1/customers", { body: { email: "tail@sealer.example", company: "Tail" } });
    await services.auditSealer.drain();
    await services.auditSealer.checkpoint();
    const cp = await db.selectFrom("audit_checkpoints").selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();

    // A forged checkpoint (right hash, signature of another key) is refused.
    const sig = cp.signature ?? "";
    const forged = `${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
    await db.updateTable("audit_checkpoints").set({ signature: forged }).where("id", "=", cp.id).execute();
    let v = await services.auditReader.verifyChain();
    assert.equal(v.ok, false);
    assert.match(v.reason ?? "", /bad signature/);
    await db.updateTable("audit_checkpoints").set({ signature: cp.signature }).where("id", "=", cp.id).execute();
    assert.equal((await services.auditReader.verifyChain()).ok, true);

    // The newest entry removed and the head moved back to match: the checkpoint still names it.
    const lastEntry = await db.selectFrom("audit_log").selectAll().where("seq", "is not", null).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const head = await db.selectFrom("audit_chain").selectAll().executeTakeFirstOrThrow();
    await db.deleteFrom("audit_log").where("id", "=", lastEntry.id).execute();
    await db
      .updateTable("audit_chain")
      .set({ last_hash: lastEntry.prev_hash, count: Number(head.count) - 1, last_seq: Number(lastEntry.seq) - 1 })
      .execute();
    v = await services.auditReader.verifyChain();
    assert.equal(v.ok, false);
    assert.match(v.reason ?? "", /removed from the end/);
  });
});

forEachDialect("Audit sealer switched off: verify reports unsealed entries", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { audit: { seal: false } });
  });
  after(async () => s.close());

  it("counts entries not sealed yet and shows them without a hash", async () => {
    const c = await api(s.url, "POST", "/v1/customers", { body: { email: "unsealed@sealer.example", company: "Unsealed" } });
    assert.equal(c.status, 201, c.text);
    const v = await api(s.url, "GET", "/v1/audit/verify");
    assert.equal(v.body.ok, true, v.text);
    assert.ok(v.body.unsealed >= 1);
    assert.ok(v.body.oldest_unsealed_at);
    const list = await api(s.url, "GET", `/v1/audit?target_id=${c.body.id}`);
    assert.equal(list.body.data[0].hash, null);
    await s.app.services.auditSealer.drain();
    const after = await api(s.url, "GET", "/v1/audit/verify");
    assert.equal(after.body.unsealed, 0);
    assert.equal(after.body.ok, true);
  });
});

/** The CLI: `custos audit checkpoints` exports them, `custos audit verify --public-key` checks them with the exported key. */
forEachDialect("Audit checkpoints from the command line", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { audit: { signingKey: SIGNING_KEY } });
  });
  after(async () => s.close());

  async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
    const vars: Record<string, string> = { CUSTOS_DATA_DIR: s.db.dataDir, DATABASE_URL: s.db.url ?? "", CUSTOS_BOOTSTRAP_KEY: OPERATOR_KEY, CUSTOS_API_KEY: "", CUSTOS_AUDIT_SIGNING_KEY: SIGNING_KEY };
    const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const saved = { ...io };
    let stdout = "";
    io.out = (t) => {
      stdout += t;
    };
    io.err = () => {};
    Object.assign(process.env, vars);
    try {
      return { code: await run(args), stdout };
    } finally {
      Object.assign(io, saved);
      for (const [k, v] of Object.entries(previous)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  it("exports signed checkpoints and verifies them with the exported public key; another key is refused", async () => {
    await api(s.url, "POST", "/v1/customers", { body: { email: "cli@sealer.example", company: "Cli" } });
    await s.app.services.auditSealer.drain();
    await s.app.services.auditSealer.checkpoint();
    const exported = await cli(["audit", "checkpoints"]);
    assert.equal(exported.code, 0);
    const lines = exported.stdout.trim().split("\n").map((l) => JSON.parse(l) as { object: string; public_key: string; signature: string });
    assert.ok(lines.length >= 1 && lines.every((l) => l.object === "audit_checkpoint" && l.signature));
    const publicKey = lines[0]?.public_key ?? "";
    const ok = await cli(["audit", "verify", "--public-key", publicKey]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /audit chain intact: \d+ entries; \d+ checkpoints \(\d+ signatures verified\); 0 unsealed/);
    const other = new CheckpointSigner("some-other-signing-key-0123456789abcdef").publicKey;
    const bad = await cli(["audit", "verify", "--public-key", other]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /bad signature/);
  });
});
