import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "node:test";
import pg from "pg";
import { type App, createApp } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import type { Clock } from "../../src/core/clock.js";
import type { Dialect } from "../../src/storage/schema.js";
import { type Reply, send } from "./client.js";

/** The operator key every test server is seeded with (CUSTOS_BOOTSTRAP_KEY). */
export const OPERATOR_KEY = "test-operator-key-0123456789abcdef0123456789";

const PG_ADMIN_URL = process.env.CUSTOS_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let pgReachable: Promise<boolean> | undefined;
async function postgresReachable(): Promise<boolean> {
  // Retried with a generous timeout: under a loaded machine a single short probe can fail while
  // the server is fine, and a false "unreachable" would silently skip half the suite.
  pgReachable ??= (async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 10_000 });
      try {
        await client.connect();
        await client.end();
        return true;
      } catch {
        await client.end().catch(() => {});
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
    return false;
  })();
  return pgReachable;
}

export interface TestDatabase {
  dialect: Dialect;
  /** DATABASE_URL for postgres, undefined for SQLite. */
  url: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the dialect: its own SQLite file, or its own PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), "custos-test-"));
  if (dialect === "sqlite") {
    return { dialect, url: undefined, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `custos_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    dialect,
    url,
    dataDir,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function testConfig(db: TestDatabase, overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: "127.0.0.1",
    databaseUrl: db.url,
    dataDir: db.dataDir,
    bootstrapKey: OPERATOR_KEY,
    logLevel: "silent",
    loginPrefix: "cust",
    bodyLimit: 256 * 1024,
    trustProxy: false,
    dbPool: 5,
    ...overrides,
  };
}

export interface TestServer {
  app: App;
  db: TestDatabase;
  /** http://127.0.0.1:<port> of the listening server. */
  url: string;
  close(): Promise<void>;
}

/** Starts a real Custos on a real database, listening on a free port. */
export async function startServer(dialect: Dialect, overrides: Partial<Config> = {}, clock?: Clock): Promise<TestServer> {
  const db = await createTestDatabase(dialect);
  const app = await createApp(testConfig(db, overrides), clock);
  const address = await app.http.listen({ port: 0, host: "127.0.0.1" });
  return {
    app,
    db,
    url: address,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * Runs `suite` once per database. PostgreSQL is skipped only when no server is reachable, and
 * says so loudly; under CI (CI=true) an unreachable PostgreSQL is a failure, not a skip.
 */
export function forEachDialect(name: string, suite: (dialect: Dialect) => void): void {
  describe(`${name} [sqlite]`, () => suite("sqlite"));
  describe(`${name} [postgres]`, async () => {
    const ok = await postgresReachable();
    if (!ok) {
      if (process.env.CI === "true") throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}; CI requires it`);
      process.stderr.write(`\n!!!!! SKIPPING PostgreSQL tests for "${name}": no server reachable at ${PG_ADMIN_URL} !!!!!\n\n`);
      return;
    }
    suite("postgres");
  });
}

/**
 * Small fetch wrapper for JSON APIs, as the operator unless `key` says otherwise. Its body is
 * untyped; new tests use the typed `TestClient` (client.ts) and the fixtures (fixtures.ts).
 */
export function api(
  base: string,
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Reply<any>> {
  return send<any>(base, method, path, { ...options, key: options.key === undefined ? OPERATOR_KEY : options.key });
}
