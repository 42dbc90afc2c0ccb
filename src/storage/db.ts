import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement, type Transaction } from "kysely";
import type pg from "pg";
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

export interface Storage {
  db: Db;
  dialect: Dialect;
  /** Run `fn` in one transaction; everything it writes commits or nothing does. */
  transaction<T>(fn: (trx: Transaction<Tables>) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  describe(): string;
}

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
    const pool = new (loadPg().Pool)({ connectionString: config.url, max: config.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process.
    pool.on("error", () => {});
    const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
    const safeUrl = config.url.replace(/\/\/[^@/]*@/, "//***@");
    return makeStorage(db, "postgres", `PostgreSQL ${safeUrl}`);
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
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return makeStorage(db, "sqlite", `SQLite ${file}`);
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

function makeStorage(db: Db, dialect: Dialect, description: string): Storage {
  return {
    db,
    dialect,
    transaction: (fn) => db.transaction().execute(fn),
    async ping() {
      await db.selectNoFrom((eb) => eb.lit(1).as("ok")).execute();
    },
    close: () => db.destroy(),
    describe: () => description,
  };
}
