/**
 * npm run bench:import -- [--rows=1000000] [--db=sqlite,postgres] [--batch=1000] [--rerun]
 *
 * Writes a CSV of `rows` customers (data/bench/import-<rows>.csv, reused), then runs the real
 * command line, `custos import customers FILE`, against a fresh database of each kind and times
 * it end to end (process start to exit, schema validation, handles, audit entries included).
 * `--rerun` imports the same file a second time, which must create nobody (idempotence) and
 * shows what a resumed or repeated import costs. Results: bench/results/import-<timestamp>.{json,md}.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { seedRow } from "./data.js";
import { ADMIN_URL } from "./seed.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DATA = join(ROOT, "data", "bench");
const RESULTS = join(ROOT, "bench", "results");

const get = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const rows = Number((get("rows") ?? "1000000").replace(/k$/i, "000").replace(/m$/i, "000000"));
const dbs = (get("db") ?? "sqlite").split(",").filter((d) => d === "sqlite" || d === "postgres");
const batch = get("batch") ?? "1000";
const rerun = process.argv.includes("--rerun");

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
  summary: string;
}

function runCli(env: NodeJS.ProcessEnv, file: string): Promise<{ seconds: number; summary: string }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "import", "customers", file, "--batch", batch], {
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
  for (const db of dbs) {
    let env: NodeJS.ProcessEnv;
    if (db === "sqlite") {
      const dir = join(DATA, `import-sqlite-${rows}`);
      rmSync(dir, { recursive: true, force: true });
      env = { CUSTOS_DATA_DIR: dir, DATABASE_URL: "" };
    } else {
      env = { DATABASE_URL: await freshPg(`custos_bench_import_${rows}`) };
    }
    for (const pass of rerun ? (["first", "rerun"] as const) : (["first"] as const)) {
      process.stderr.write(`== ${db}: import ${rows} customers (${pass} pass)\n`);
      const r = await runCli(env, file);
      runs.push({ db, pass, seconds: r.seconds, rowsPerSecond: Math.round(rows / r.seconds), summary: r.summary });
    }
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  const md = [
    `# Import benchmark ${new Date().toISOString()}`,
    "",
    `${rows} customers from CSV via \`custos import customers\` (batch ${batch}), wall time from process start to exit. ${machine}.`,
    "",
    "| database | pass | seconds | rows/s | summary |",
    "|---|---|---|---|---|",
    ...runs.map((r) => `| ${r.db} | ${r.pass} | ${r.seconds.toFixed(1)} | ${r.rowsPerSecond} | ${r.summary.replace(/\|/g, "/")} |`),
    "",
  ].join("\n");
  writeFileSync(join(RESULTS, `import-${stamp}.json`), `${JSON.stringify({ rows, batch: Number(batch), machine, runs }, null, 2)}\n`);
  writeFileSync(join(RESULTS, `import-${stamp}.md`), md);
  process.stdout.write(md);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
