import { existsSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import SQLite from "better-sqlite3";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { systemClock } from "../src/core/clock.js";
import { bootstrapOperator } from "../src/modules/auth/service.js";
import { openStorage } from "../src/storage/db.js";
import { migrateToLatest } from "../src/storage/migrate.js";
import { SEED_COLUMNS, type SeedRow, seedRow } from "./data.js";

export const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** Name prefix of the PostgreSQL bench databases; branches with other migrations use their own. */
const DB_PREFIX = process.env.BENCH_PG_DB_PREFIX ?? "custos_bench";
if (!/^[a-z_][a-z0-9_]{0,40}$/.test(DB_PREFIX)) throw new Error("BENCH_PG_DB_PREFIX: lowercase letters, digits and _ only");

export interface SeedTarget {
  dialect: "sqlite" | "postgres";
  /** SQLite: the data directory; PostgreSQL: the database URL. */
  location: string;
}

export interface SeedResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  reused: boolean;
}

export type Progress = (done: number, total: number) => void;

export function pgUrlFor(size: number): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB_PREFIX}_${size}`;
  return u.toString();
}

async function ensurePgDatabase(url: string, fresh: boolean): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    if (fresh) await admin.query(`drop database if exists "${name}" with (force)`);
    const r = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (r.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
}

export async function dropPgDatabase(size: number): Promise<void> {
  const name = `${DB_PREFIX}_${size}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Creates the schema with Custos's own migrations and the operator account, then bulk-loads
 * `size` customers. A database that already holds them is reused, so the 1M seed is paid once.
 */
export async function seed(target: SeedTarget, size: number, operatorKey: string, onProgress: Progress, fresh = false): Promise<SeedResult> {
  if (target.dialect === "postgres") await ensurePgDatabase(target.location, fresh);
  else if (fresh && existsSync(join(target.location, "custos.sqlite"))) {
    const { rmSync } = await import("node:fs");
    rmSync(target.location, { recursive: true, force: true });
  }
  const storage = openStorage({ url: target.dialect === "postgres" ? target.location : undefined, dataDir: target.location });
  let ownerId: number;
  let existing: number;
  try {
    await migrateToLatest(storage);
    await bootstrapOperator(storage, systemClock, operatorKey);
    const op = await storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").orderBy("id").executeTakeFirstOrThrow();
    ownerId = op.id;
    const c = await storage.db
      .selectFrom("customers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("id", "<=", size)
      .executeTakeFirstOrThrow();
    existing = Number(c.n);
  } finally {
    await storage.close();
  }
  if (existing === size) return { rows: size, seconds: 0, rowsPerSecond: 0, reused: true };
  if (existing !== 0) throw new Error(`bench database for ${size} holds ${existing} of the seeded customers; rerun with --fresh`);
  const started = performance.now();
  if (target.dialect === "sqlite") seedSqlite(join(target.location, "custos.sqlite"), size, ownerId, onProgress);
  else await seedPostgres(target.location, size, ownerId, onProgress);
  const seconds = (performance.now() - started) / 1000;
  return { rows: size, seconds, rowsPerSecond: size / seconds, reused: false };
}

const BATCH = 500;

function seedSqlite(file: string, size: number, ownerId: number, onProgress: Progress): void {
  const db = new SQLite(file);
  try {
    // Loading is a one-off: durability during it buys nothing, speed does.
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    const indexes = db
      .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'customers' and sql is not null")
      .all() as { name: string; sql: string }[];
    // Building each index once over sorted data beats maintaining 17 of them row by row.
    for (const ix of indexes) db.exec(`drop index "${ix.name}"`);
    const cols = SEED_COLUMNS.join(", ");
    const one = `(${SEED_COLUMNS.map(() => "?").join(", ")})`;
    const full = db.prepare(`insert into customers (${cols}) values ${Array.from({ length: BATCH }, () => one).join(", ")}`);
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let start = from; start <= to; start += BATCH) {
        const end = Math.min(start + BATCH - 1, to);
        const values: unknown[] = [];
        for (let id = start; id <= end; id++) pushValues(values, seedRow(id, ownerId, size));
        if (end - start + 1 === BATCH) full.run(values);
        else db.prepare(`insert into customers (${cols}) values ${Array.from({ length: end - start + 1 }, () => one).join(", ")}`).run(values);
      }
    });
    const CHUNK = 50_000;
    for (let from = 1; from <= size; from += CHUNK) {
      insertBatch(from, Math.min(from + CHUNK - 1, size));
      onProgress(Math.min(from + CHUNK - 1, size), size);
    }
    for (const ix of indexes) db.exec(ix.sql);
    db.exec("analyze");
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

function pushValues(values: unknown[], row: SeedRow): void {
  for (const c of SEED_COLUMNS) values.push(row[c]);
}

function copyField(v: unknown): string {
  return String(v).replace(/[\\\t\n\r]/g, (m) => (m === "\\" ? "\\\\" : m === "\t" ? "\\t" : m === "\n" ? "\\n" : "\\r"));
}

async function seedPostgres(url: string, size: number, ownerId: number, onProgress: Progress): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("set synchronous_commit = off");
    const ix = await client.query<{ indexname: string; indexdef: string }>(
      "select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = 'customers' and indexname not in (select conname from pg_constraint)",
    );
    for (const r of ix.rows) await client.query(`drop index "${r.indexname}"`);
    // COPY streams rows in PostgreSQL's text format: far faster than any INSERT.
    const stream = client.query(copyFrom(`copy customers (${SEED_COLUMNS.join(", ")}) from stdin`));
    const source = Readable.from(
      (function* () {
        let chunk = "";
        for (let id = 1; id <= size; id++) {
          const row = seedRow(id, ownerId, size);
          chunk += `${SEED_COLUMNS.map((c) => copyField(row[c])).join("\t")}\n`;
          if (id % 5000 === 0 || id === size) {
            onProgress(id, size);
            yield chunk;
            chunk = "";
          }
        }
      })(),
    );
    await pipeline(source, stream);
    await client.query("set maintenance_work_mem = '256MB'");
    for (const r of ix.rows) await client.query(r.indexdef);
    // Ids were given explicitly: move the sequence past them so Custos's inserts do not collide.
    await client.query("select setval(pg_get_serial_sequence('customers', 'id'), (select max(id) from customers))");
    // VACUUM sets the visibility map, so counts can be answered from the index alone, as they
    // would be on a database that autovacuum has been looking after.
    await client.query("vacuum analyze customers");
  } finally {
    await client.end();
  }
}
