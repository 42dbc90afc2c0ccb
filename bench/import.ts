/**
 * npm run bench:import -- [--rows=1000000] [--db=sqlite,postgres] [--batch=N] [--rerun] [--no-ceiling]
 *
 * Writes a CSV of `rows` customers (data/bench/import-<rows>.csv, reused), then runs the real
 * command line, `custos import customers FILE`, against a fresh database of each kind and times
 * it end to end (process start to exit, schema validation, create rules, handles, audit entries
 * and events included). `--rerun` imports the same file a second time, which must create nobody
 * (idempotence) and shows what a resumed or repeated import costs.
 *
 * The ceiling, on SQLite, measured in the same run: the database engine alone writing the rows
 * the import wrote (customers, audit entries, events) into an empty copy of the schema, in
 * transactions of the same size — no Node.js work at all. The import is reported as a share of
 * it. The machine is shared, so the load average before and after each pass is recorded too.
 * Results: bench/results/import-<timestamp>.{json,md}.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import pg from "pg";
import { seedRow } from "./data.js";
import { ADMIN_URL } from "./seed.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DATA = join(ROOT, "data", "bench");
const RESULTS = join(ROOT, "bench", "results");

const get = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const rows = Number((get("rows") ?? "1000000").replace(/k$/i, "000").replace(/m$/i, "000000"));
const dbs = (get("db") ?? "sqlite").split(",").filter((d) => d === "sqlite" || d === "postgres");
const batch = get("batch");
const rerun = process.argv.includes("--rerun");
const ceilingWanted = !process.argv.includes("--no-ceiling");
/** The CLI's own default batch size (src/cli/bulk.ts), for the ceiling's transactions when --batch is not given. */
const CLI_DEFAULT_BATCH = 5000;
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

const HEADER = ["External ID", "E-Mail", "First Name", "Last Name", "Company", "Street", "House Number", "Postcode", "City", "Country", "Phone", "Locale", "tag:source"];

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

async function writeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write(`${HEADER.join(",")}\n`);
  let chunk = "";
  for (let id = 1; id <= rows; id++) {
    const r = seedRow(id, 1, rows);
    chunk += `${[`crm-${id}`, r.email, r.first_name, r.last_name, r.company, r.street, r.house_number, r.zipcode, r.city, r.country, r.phone, r.locale, "bench"].map(csvCell).join(",")}\n`;
    if (id % 10_000 === 0 || id === rows) {
      await write(chunk);
      chunk = "";
      process.stderr.write(`\rwriting ${file}: ${id}/${rows}`);
    }
  }
  process.stderr.write("\n");
  await new Promise<void>((r) => out.end(() => r()));
}

async function freshPg(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

interface Run {
  db: string;
  pass: "first" | "rerun";
  seconds: number;
  rowsPerSecond: number;
  /** CPU seconds of the import process, from its own summary line. */
  cpuSeconds: number | null;
  loadBefore: string;
  loadAfter: string;
  summary: string;
}

/**
 * The engine-only ceiling: copies what the import wrote into an empty database with the same
 * tables and indexes, `size` customers (with their audit entries and events) per transaction.
 */
export function sqliteCeiling(dir: string, size: number): { seconds: number; rows: number } {
  const source = join(dir, "custos.sqlite");
  const target = join(dir, "ceiling.sqlite");
  for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
  const db = new SQLite(target);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("cache_size = -1048576");
    // The copy holds only these three tables; the rows were checked when the import wrote them.
    db.pragma("foreign_keys = OFF");
    db.exec(`attach database '${source.replace(/'/g, "''")}' as src`);
    const tables = ["customers", "audit_log", "events"];
    // Tables sort before their indexes ("table" > "index" descending).
    const ddl = db.prepare("select sql from src.sqlite_master where tbl_name = ? and sql is not null order by type desc");
    for (const t of tables) for (const { sql } of ddl.all(t) as { sql: string }[]) db.exec(sql);
    const bounds = db.prepare("select min(id) as lo, max(id) as hi, count(*) as n from src.customers").get() as { lo: number; hi: number; n: number };
    // Rowid ranges only, so the copy reads no more than it writes.
    const copy = {
      customers: db.prepare("insert into main.customers select * from src.customers where id between ? and ?"),
      audit: db.prepare("insert into main.audit_log select * from src.audit_log where id > ? order by id limit ?"),
      events: db.prepare("insert into main.events select * from src.events where id > ? order by id limit ?"),
    };
    const top = (t: string) => (db.prepare(`select coalesce(max(id), 0) as id from main.${t}`).get() as { id: number }).id;
    const started = performance.now();
    for (let lo = bounds.lo; lo <= bounds.hi; lo += size) {
      db.transaction(() => {
        copy.customers.run(lo, lo + size - 1);
        copy.audit.run(top("audit_log"), size);
        copy.events.run(top("events"), size);
      }).immediate();
    }
    return { seconds: (performance.now() - started) / 1000, rows: bounds.n };
  } finally {
    db.close();
    for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
  }
}

function runCli(env: NodeJS.ProcessEnv, file: string): Promise<{ seconds: number; summary: string }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "import", "customers", file, ...(batch ? ["--batch", batch] : [])], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "pipe"],
    });
    let last = "";
    child.stderr.on("data", (d: Buffer) => {
      process.stderr.write(d);
      const lines = d.toString().split("\n").filter((l) => l.trim() !== "");
      if (lines.length > 0) last = lines[lines.length - 1] as string;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`import exited with ${code}: ${last}`));
      else resolvePromise({ seconds, summary: last.trim() });
    });
  });
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  const file = join(DATA, `import-${rows}.csv`);
  if (!existsSync(file)) await writeCsv(file);
  const runs: Run[] = [];
  let ceiling: { seconds: number; rows: number; loadBefore: string; loadAfter: string } | undefined;
  for (const db of dbs) {
    let env: NodeJS.ProcessEnv;
    let sqliteDir: string | undefined;
    if (db === "sqlite") {
      const dir = join(DATA, `import-sqlite-${rows}`);
      rmSync(dir, { recursive: true, force: true });
      env = { CUSTOS_DATA_DIR: dir, DATABASE_URL: "" };
      sqliteDir = dir;
    } else {
      env = { DATABASE_URL: await freshPg(`custos_bench_import_${rows}`) };
    }
    for (const pass of rerun ? (["first", "rerun"] as const) : (["first"] as const)) {
      process.stderr.write(`== ${db}: import ${rows} customers (${pass} pass), load ${load()}\n`);
      const loadBefore = load();
      const r = await runCli(env, file);
      const cpu = /([\d.]+) s CPU/.exec(r.summary)?.[1];
      runs.push({ db, pass, seconds: r.seconds, rowsPerSecond: Math.round(rows / r.seconds), cpuSeconds: cpu ? Number(cpu) : null, loadBefore, loadAfter: load(), summary: r.summary });
    }
    if (sqliteDir && ceilingWanted) {
      process.stderr.write(`== sqlite: ceiling (engine only, same rows and transactions), load ${load()}\n`);
      const loadBefore = load();
      const c = sqliteCeiling(sqliteDir, Number(batch ?? CLI_DEFAULT_BATCH));
      ceiling = { ...c, loadBefore, loadAfter: load() };
    }
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  const c = ceiling;
  const md = [
    `# Import benchmark ${new Date().toISOString()}`,
    "",
    `${rows} customers from CSV via \`custos import customers\` (batch ${batch ?? `${CLI_DEFAULT_BATCH} (default)`}), wall time from process start to exit. ${machine}. Load averages (1, 5, 15 min) are the shared machine's.`,
    "",
    "| database | pass | seconds | rows/s | CPU s | load before | load after | summary |",
    "|---|---|---|---|---|---|---|---|",
    ...runs.map((r) => `| ${r.db} | ${r.pass} | ${r.seconds.toFixed(1)} | ${r.rowsPerSecond} | ${r.cpuSeconds ?? "?"} | ${r.loadBefore} | ${r.loadAfter} | ${r.summary.replace(/\|/g, "/")} |`),
    "",
    ...(c
      ? [
          `Ceiling (SQLite engine alone copying the same ${c.rows} customers, audit entries and events in transactions of the same size): ${c.seconds.toFixed(1)} s, ${Math.round(c.rows / c.seconds)} rows/s (load ${c.loadBefore} → ${c.loadAfter}).`,
          ...runs
            .filter((r) => r.db === "sqlite" && r.pass === "first")
            .map((r) => `The SQLite import runs at ${((100 * c.seconds) / r.seconds).toFixed(0)}% of the ceiling's speed; the goal (1M rows in 60 s, ${Math.round(1e6 / 60)} rows/s) is ${((100 * (1e6 / 60)) / Math.round(c.rows / c.seconds)).toFixed(0)}% of the ceiling here.`),
          "",
        ]
      : []),
  ].join("\n");
  writeFileSync(join(RESULTS, `import-${stamp}.json`), `${JSON.stringify({ rows, batch: batch ? Number(batch) : CLI_DEFAULT_BATCH, machine, runs, ceiling }, null, 2)}\n`);
  writeFileSync(join(RESULTS, `import-${stamp}.md`), md);
  process.stdout.write(md);
}

// Run as a script, not when imported (a ceiling alone: `sqliteCeiling(dir, batch)`).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
