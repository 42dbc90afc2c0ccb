import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import type SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement, type Transaction } from "kysely";
import type pg from "pg";
import { type Ambient, type Controlled, groupCommit } from "./group-commit.js";
import { withNamedStatements } from "./pg-statements.js";
import type { Dialect, Tables } from "./schema.js";

export type Db = Kysely<Tables>;
export type Executor = Kysely<Tables> | Transaction<Tables>;

export interface DatabaseConfig {
  /** postgres://... selects PostgreSQL; anything else means the embedded SQLite default. */
  url: string | undefined;
  /** Directory for the SQLite file. */
  dataDir: string;
  /** SQLite file name inside dataDir. */
  sqliteFile?: string;
  /** PostgreSQL pool size per process. */
  poolSize?: number;
}

export interface TransactionOptions {
  /** Roll back at the end even when `fn` succeeds (a dry run): `fn`'s result is returned, nothing stays written. */
  rollback?: boolean;
  /**
   * Joining an open transaction, skip the savepoint (two statements). Then a failure of `fn`
   * cannot be undone alone: it dooms the outer transaction, which rolls back at its end and
   * rethrows the failure even if a caller caught it. For writes whose callers never recover
   * from their failure (a command's main write).
   */
  savepoint?: boolean;
}

export interface Storage {
  /** The database, or the transaction the current call runs in (see `transaction`). */
  readonly db: Db;
  dialect: Dialect;
  /**
   * Run `fn` in one transaction; everything it writes commits or nothing does. Called while a
   * transaction is open in the same async call chain (a command running several services), it
   * joins that transaction through a savepoint: an inner failure undoes only the inner writes,
   * and nothing is committed before the outermost transaction is.
   */
  transaction<T>(fn: (trx: Transaction<Tables>) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs `fn` once the current transaction commits (at once outside one; never after a rollback). */
  afterCommit(fn: () => void): void;
  /**
   * Runs `fn` as one unit of work: every `transaction()` and every query through `db` made while
   * it runs join one database transaction, which commits when `fn` resolves. The idempotency
   * layer uses it so a request's writes and its stored answer commit together or not at all.
   */
  unitOfWork<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` outside any transaction of the calling chain (background work such as the audit sealer). */
  detached<T>(fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  describe(): string;
  /**
   * Tells every Custos process on this database (this one included) that `topic` changed, so
   * they can drop what they cached about it. PostgreSQL carries it with NOTIFY; SQLite is one
   * process, so it is delivered in process.
   */
  broadcast(topic: BroadcastTopic): Promise<void>;
  /** Calls `listener` for every broadcast of `topic`, from any process. */
  subscribe(topic: BroadcastTopic, listener: () => void): void;
  /**
   * Readies this process's connection for a bulk load (an import): on SQLite a page cache large
   * enough to hold the indexes being filled, so inserts at random index positions stay in memory
   * (`cacheMb`, default 256; a million customers' indexes take about 500 MB).
   */
  prepareBulkLoad(cacheMb?: number): void;
  /** Counters for metrics and the bench: statements run so far, and the connection pool's state. */
  stats(): StorageStats;
  /** Calls `fn` with the text of every statement sent from now on (profiling, statement-count tests); null stops. */
  traceStatements(fn: ((sql: string, ms: number) => void) | null): void;
}

export interface StorageStats {
  /** SQL statements sent since start: queries, and BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE. */
  statements: number;
  /**
   * Exchanges with the database server since start. PostgreSQL: a statement sent on its own, or
   * statements sent together in one write (a held-back BEGIN or deferred write with the next
   * statement), count once. SQLite runs in the process: the same as `statements`.
   */
  roundTrips: number;
  /** Connections open, idle, and requests waiting for one (SQLite: one connection, none waiting). */
  pool: { size: number; total: number; idle: number; waiting: number; acquired: number; waitSeconds: number };
}

/** Counts statements: Kysely's `log` hook sees every one, transaction control included. */
interface StatementCounter {
  n: number;
  trace?: ((sql: string, ms: number) => void) | null;
}

/** Topics processes tell each other about. */
export type BroadcastTopic = "auth";

// Each process loads only the driver of the database it uses.
const requireDriver = createRequire(import.meta.url);
let pgModule: typeof pg | undefined;
function loadPg(): typeof pg {
  if (!pgModule) {
    pgModule = requireDriver("pg") as typeof pg;
    // int8 (bigint, count(*)) as JS numbers: ids and counts stay far below 2^53.
    pgModule.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  }
  return pgModule;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}

export function openStorage(config: DatabaseConfig): Storage {
  if (isPostgresUrl(config.url)) {
    // Pipeline mode lets a connection send a statement before the previous one is answered
    // (see withNamedStatements: BEGIN and deferred writes travel with the next statement).
    const pool = new (loadPg().Pool)({ connectionString: config.url, max: config.poolSize ?? 10, pipeline: true });
    // An idle client losing its connection must not crash the process.
    pool.on("error", () => {});
    // Time spent waiting for a connection, summed, for the metrics (Kysely acquires through connect()).
    const wait = { acquired: 0, seconds: 0 };
    const trips = { n: 0 };
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    pool.connect = (async () => {
      const started = performance.now();
      try {
        return withNamedStatements(await connect(), trips);
      } finally {
        wait.acquired++;
        wait.seconds += (performance.now() - started) / 1000;
      }
    }) as typeof pool.connect;
    const counter: StatementCounter = { n: 0 };
    const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), log: (e) => {
        counter.n++;
        counter.trace?.(e.query.sql, e.queryDurationMillis);
      },
    });
    const safeUrl = config.url.replace(/\/\/[^@/]*@/, "//***@");
    const poolStats = () => ({ size: config.poolSize ?? 10, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, acquired: wait.acquired, waitSeconds: wait.seconds });
    return makeStorage(db, "postgres", `PostgreSQL ${safeUrl}`, counter, poolStats, pgBus(config.url), undefined, false, trips);
  }
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, config.sqliteFile ?? "custos.sqlite");
  const SQLiteDatabase = requireDriver("better-sqlite3") as typeof SQLite;
  const sqlite = new SQLiteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Case-sensitive LIKE lets SQLite use an index for prefix filters, as PostgreSQL with "C" collation does.
  sqlite.pragma("case_sensitive_like = ON");
  const counter: StatementCounter = { n: 0 };
  const db = new Kysely<Tables>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    log: (e) => {
      counter.n++;
      counter.trace?.(e.query.sql, e.queryDurationMillis);
    },
  });
  const prepareBulkLoad = (cacheMb = 256) => {
    sqlite.pragma(`cache_size = -${Math.round(Math.max(2, cacheMb) * 1024)}`);
  };
  return makeStorage(db, "sqlite", `SQLite ${file}`, counter, () => ({ size: 1, total: 1, idle: 1, waiting: 0, acquired: 0, waitSeconds: 0 }), localBus(), prepareBulkLoad, true);
}

/**
 * Kysely prepares every query anew; on SQLite preparing costs about as much as running a point
 * select. Repositories produce a small, fixed set of SQL texts, so prepared statements are kept
 * by text (bounded, oldest evicted first). Safe because the driver runs one statement at a time.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string): SqliteStatement {
      let stmt = cache.get(sqlText);
      if (stmt === undefined) {
        stmt = sqlite.prepare(sqlText) as unknown as SqliteStatement;
        if (cache.size >= max) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

interface Bus {
  publish(topic: BroadcastTopic): Promise<void>;
  subscribe(topic: BroadcastTopic, listener: () => void): void;
  close(): Promise<void>;
}

function localBus(): Bus {
  const listeners = new Map<string, (() => void)[]>();
  return {
    async publish(topic) {
      for (const l of listeners.get(topic) ?? []) l();
    },
    subscribe(topic, listener) {
      listeners.set(topic, [...(listeners.get(topic) ?? []), listener]);
    },
    close: async () => {},
  };
}

const CHANNEL_PREFIX = "custos_";

/**
 * LISTEN/NOTIFY on one dedicated connection, opened on first subscription. If it drops, it is
 * opened again after a pause; meanwhile caches fall back to their own short expiry.
 */
function pgBus(url: string): Bus {
  const local = localBus();
  const topics = new Set<BroadcastTopic>();
  let client: pg.Client | undefined;
  let closed = false;
  let pool: pg.Pool | undefined;
  const connect = async (): Promise<void> => {
    if (closed || client) return;
    const c = new (loadPg().Client)({ connectionString: url });
    c.on("notification", (msg) => {
      const topic = msg.channel.slice(CHANNEL_PREFIX.length) as BroadcastTopic;
      void local.publish(topic);
    });
    c.on("error", () => {
      client = undefined;
      void c.end().catch(() => {});
      if (!closed) setTimeout(() => void connect().catch(() => {}), 2000).unref();
    });
    await c.connect();
    for (const t of topics) await c.query(`listen ${CHANNEL_PREFIX}${t}`);
    client = c;
  };
  return {
    async publish(topic) {
      if (!pool) {
        pool = new (loadPg().Pool)({ connectionString: url, max: 1 });
        pool.on("error", () => {});
      }
      await pool.query("select pg_notify($1, '')", [`${CHANNEL_PREFIX}${topic}`]);
    },
    subscribe(topic, listener) {
      local.subscribe(topic, listener);
      const fresh = !topics.has(topic);
      topics.add(topic);
      if (client && fresh) void client.query(`listen ${CHANNEL_PREFIX}${topic}`).catch(() => {});
      else void connect().catch(() => {});
    },
    async close() {
      closed = true;
      await client?.end().catch(() => {});
      await pool?.end().catch(() => {});
    },
  };
}

function makeStorage(db: Db, dialect: Dialect, description: string, counter: StatementCounter, poolStats: () => StorageStats["pool"], bus: Bus = localBus(), prepareBulkLoad: (cacheMb?: number) => void = () => {}, groupCommits = false, trips: { n: number } = counter): Storage {
  const ambient = new AsyncLocalStorage<Ambient>();
  const current = (): Ambient | undefined => {
    const a = ambient.getStore();
    return a?.open ? a : undefined;
  };
  const nested = async <T>(outer: Ambient, fn: (trx: Transaction<Tables>) => Promise<T>, rollback: boolean, savepoint: boolean): Promise<T> => {
    if (!savepoint && !rollback) {
      try {
        return await fn(outer.trx);
      } catch (error) {
        outer.doomed ??= error;
        throw error;
      }
    }
    const name = `sp${++outer.savepoints}`;
    await outer.trx.savepoint(name).execute();
    try {
      const result = await fn(outer.trx);
      if (rollback) await outer.trx.rollbackToSavepoint(name).execute();
      else await outer.trx.releaseSavepoint(name).execute();
      return result;
    } catch (error) {
      await outer.trx.rollbackToSavepoint(name).execute();
      throw error;
    }
  };
  /** Runs `fn` as its own database transaction (PostgreSQL: each on its own pooled connection). */
  const solo = async <T>(fn: (trx: Transaction<Tables>) => Promise<T>, rollback: boolean): Promise<T> => {
    const trx = (await db.startTransaction().execute()) as unknown as Controlled;
    const scope: Ambient = { trx, open: true, afterCommit: [], savepoints: 0 };
    let result: T;
    try {
      result = await ambient.run(scope, () => fn(trx));
    } catch (error) {
      scope.open = false;
      await trx.rollback().execute().catch(() => {});
      throw error;
    }
    scope.open = false;
    if (scope.doomed !== undefined) {
      await trx.rollback().execute().catch(() => {});
      throw scope.doomed;
    }
    if (rollback) {
      await trx.rollback().execute();
      return result;
    }
    try {
      await trx.commit().execute();
    } catch (error) {
      // A refused commit (a deferred constraint, a serialization failure) leaves the connection
      // checked out until the transaction is rolled back.
      await trx.rollback().execute().catch(() => {});
      throw error;
    }
    for (const after of scope.afterCommit) after();
    return result;
  };
  const grouped = groupCommits ? groupCommit(db, ambient) : undefined;
  const transaction = async <T>(fn: (trx: Transaction<Tables>) => Promise<T>, options: TransactionOptions = {}): Promise<T> => {
    const rollback = options.rollback ?? false;
    const outer = current();
    if (outer) return nested(outer, fn, rollback, options.savepoint ?? true);
    return grouped ? grouped.run(fn, rollback) : solo(fn, rollback);
  };
  return {
    get db(): Db {
      return current()?.trx ?? db;
    },
    dialect,
    transaction,
    unitOfWork: (fn) => transaction(() => fn()),
    detached: (fn) => ambient.exit(fn),
    afterCommit(fn) {
      const a = current();
      if (a) a.afterCommit.push(fn);
      else fn();
    },
    async ping() {
      await db.selectNoFrom((eb) => eb.lit(1).as("ok")).execute();
    },
    async close() {
      await grouped?.flush();
      await bus.close();
      await db.destroy();
    },
    describe: () => description,
    broadcast: (topic) => bus.publish(topic),
    subscribe: (topic, listener) => bus.subscribe(topic, listener),
    prepareBulkLoad,
    stats: () => ({ statements: counter.n, roundTrips: trips.n, pool: poolStats() }),
    traceStatements(fn) {
      counter.trace = fn;
    },
  };
}
