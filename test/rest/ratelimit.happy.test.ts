import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { Redis } from "ioredis";
import { ManualClock } from "../../src/core/clock.js";
import { hashKey } from "../../src/modules/auth/service.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

const REDIS_URL = process.env.CUSTOS_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisReachable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0 });
  r.on("error", () => {});
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function exhaust(base: string, key: string, limit: number, count = limit): Promise<void> {
  for (let i = 0; i < count; i++) {
    const r = await api(base, "GET", "/v1/roles", { key });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get("x-ratelimit-limit"), String(limit));
    assert.equal(r.headers.get("x-ratelimit-remaining"), String(limit - i - 1));
  }
}

function assertLimited(r: Awaited<ReturnType<typeof api>>): void {
  assert.equal(r.status, 429, r.text);
  assert.equal(r.body.code, "rate_limited");
  const retry = Number(r.headers.get("retry-after"));
  assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  assert.equal(r.headers.get("x-ratelimit-remaining"), "0");
}

forEachDialect("REST rate limiting per principal", (dialect) => {
  describeMemory(dialect);
  describeRedis(dialect);
});

function describeMemory(dialect: "sqlite" | "postgres"): void {
  let s: TestServer;
  // A clock that stands still keeps the whole test inside one rate window.
  const clock = new ManualClock(new Date("2026-03-01T10:00:30Z"));
  before(async () => {
    s = await startServer(dialect, { rateLimit: 5 }, clock);
  });
  after(async () => s.close());

  it("in memory: answers 429 with Retry-After past the limit, per principal", async () => {
    const a = await api(s.url, "POST", "/v1/resellers", { body: { name: "Limited A", email: "limited-a@example.com" } });
    const b = await api(s.url, "POST", "/v1/resellers", { body: { name: "Limited B", email: "limited-b@example.com" } });
    const mint = async (id: number, name: string) => (await api(s.url, "POST", "/v1/api-keys", { body: { name, principal: { kind: "reseller", id } } })).body;
    const k = await mint(a.body.id, "limited");
    const sibling = await mint(a.body.id, "sibling");
    const other = await mint(b.body.id, "other");
    await exhaust(s.url, k.secret, 5);
    assertLimited(await api(s.url, "GET", "/v1/roles", { key: k.secret }));
    assertLimited(await api(s.url, "GET", "/v1/roles", { key: sibling.secret }));
    assert.equal((await api(s.url, "GET", "/v1/roles", { key: other.secret })).status, 200, "another principal has its own budget");
    clock.advance(60_000);
    assert.equal((await api(s.url, "GET", "/v1/roles", { key: k.secret })).status, 200, "the next window starts afresh");
  });

  it("in memory: limits a login session's requests like a key's", async () => {
    clock.advance(60_000);
    const c = (await api(s.url, "POST", "/v1/customers", { body: { email: "limited-session@example.com", company: "Limited" } })).body;
    assert.equal((await api(s.url, "PUT", `/v1/customers/${c.id}/password`, { body: { password: "Correct-Horse-Battery-9" } })).status, 204);
    const session = await api(s.url, "POST", "/v1/sessions", { key: null, body: { identifier: c.login, password: "Correct-Horse-Battery-9" } });
    assert.equal(session.status, 201, session.text);
    await exhaust(s.url, session.body.token, 5);
    assertLimited(await api(s.url, "GET", "/v1/roles", { key: session.body.token }));
  });
}

function describeRedis(dialect: "sqlite" | "postgres"): void {
  let s1: TestServer | undefined;
  let s2: TestServer | undefined;
  let reachable = false;
  before(async () => {
    reachable = await redisReachable();
    if (!reachable) {
      process.stderr.write(`\n!!!!! SKIPPING Redis rate-limit test: no Redis at ${REDIS_URL} !!!!!\n\n`);
      return;
    }
    const clock = new ManualClock(new Date("2026-03-01T10:00:30Z"));
    s1 = await startServer(dialect, { rateLimit: 6, redisUrl: REDIS_URL }, clock);
    // A second process with the same key and Redis: one shared budget.
    s2 = await startServer(dialect, { rateLimit: 6, redisUrl: REDIS_URL }, clock);
  });
  after(async () => {
    await s1?.close();
    await s2?.close();
  });

  it("with Redis: two servers share one principal's limit", async (t) => {
    if (!reachable || !s1 || !s2) {
      t.skip("Redis unreachable");
      return;
    }
    // The same key and principal in both databases under ids no other run uses, since Redis
    // counters (per principal) outlive a test.
    const accountId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
    for (const s of [s1, s2]) {
      await s.app.storage.db.insertInto("accounts").values({ id: accountId, kind: "operator", name: "shared", email: "", parent_id: null, status: "active", created_at: "2026-03-01T00:00:00.000Z", updated_at: "2026-03-01T00:00:00.000Z" }).execute();
    }
    const secret = `ck_shared_${Math.random().toString(36).slice(2)}_${Date.now()}`;
    const row = {
      id: 1_000_000 + Math.floor(Math.random() * 1_000_000_000),
      prefix: `ck_${Math.random().toString(36).slice(2, 10)}`,
      secret_hash: hashKey(secret),
      principal_kind: "operator",
      principal_id: accountId,
      name: "shared",
      type: "standard",
      roles: JSON.stringify(["owner"]),
      expires_at: null,
      revoked_at: null,
      last_used_at: null,
      created_at: "2026-03-01T00:00:00.000Z",
    };
    for (const s of [s1, s2]) await s.app.storage.db.insertInto("api_keys").values(row).execute();
    const k = { secret };
    await exhaust(s1.url, k.secret, 6, 3);
    for (let i = 0; i < 3; i++) {
      const r = await api(s2.url, "GET", "/v1/roles", { key: k.secret });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get("x-ratelimit-remaining"), String(2 - i));
    }
    assertLimited(await api(s1.url, "GET", "/v1/roles", { key: k.secret }));
    assertLimited(await api(s2.url, "GET", "/v1/roles", { key: k.secret }));
  });
}
