/**
 * npm run bench -- [--sizes=10000,100000,1000000] [--db=sqlite,postgres,postgres2] [--duration=10]
 *                  [--connections=20] [--scenarios=get_id,list_prefix,...] [--warmup=1] [--fresh] [--cpu-prof]
 *                  [--bandwidth-days=30] [--bandwidth-customers=10000] [--skip-load]
 *                  [--events=2000]   (webhook deliveries per second; 0 skips it)
 *
 * Seeds each size once per database, measures the bare ceiling, then starts Custos as a real
 * process (one, or two for postgres2) and drives every scenario. Results go to
 * bench/results/<timestamp>.{json,md} and bench/results/latest.md; each completed (db, size) is
 * written at once so a long run that is cut short keeps what it measured.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CEILING, drive, type LoadFigures, OPERATOR_KEY, SCENARIOS, type Scenario, type Target, WRITE_CEILING } from "./load.js";
import { type BandwidthFigures, benchBandwidth } from "./bandwidth.js";
import { pgUrlFor, seed, type SeedResult } from "./seed.js";
import { benchEventDelivery } from "./events.js";

/** Custos serves /metrics to this token; the bench reads the statement counter from it. */
const METRICS_TOKEN = "bench_metrics_token_0123456789";
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS = join(ROOT, "bench", "results");
// Under data/, which git ignores, like every other local database.
const DATA = join(ROOT, "data", "bench");

type Db = "sqlite" | "postgres" | "postgres2";

interface Args {
  sizes: number[];
  dbs: Db[];
  duration: number;
  connections: number;
  scenarios: string[];
  warmup: number;
  fresh: boolean;
  cpuProf: boolean;
  /** Days of 5-minute samples the bandwidth ingestion scenario loads (0: skip it). */
  bandwidthDays: number;
  bandwidthCustomers: number;
  /** Only the bandwidth ingestion scenario, not the HTTP load matrix. */
  skipLoad: boolean;
  /** Events queued and delivered by the webhook bench (0: skip it). */
  events: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (name: string, def: string) => (get(name) ?? def).split(",").map((s) => s.trim()).filter((s) => s !== "");
  const sizes = list("sizes", "10000,100000,1000000").map((s) => Number(s.replace(/k$/i, "000").replace(/m$/i, "000000")));
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error("--sizes: integers of at least 100");
  const dbs = list("db", "sqlite,postgres,postgres2");
  for (const d of dbs) if (!["sqlite", "postgres", "postgres2"].includes(d)) throw new Error(`--db: unknown ${d}`);
  const scenarios = list("scenarios", SCENARIOS.map((s) => s.name).join(","));
  const known = new Set(SCENARIOS.map((s) => s.name));
  for (const s of scenarios) if (!known.has(s)) throw new Error(`--scenarios: unknown ${s} (known: ${[...known].join(", ")})`);
  return {
    sizes,
    dbs: dbs as Db[],
    duration: Number(get("duration") ?? 10),
    connections: Number(get("connections") ?? 20),
    scenarios,
    warmup: Number(get("warmup") ?? 1),
    fresh: argv.includes("--fresh"),
    cpuProf: argv.includes("--cpu-prof"),
    bandwidthDays: Number(get("bandwidth-days") ?? 30),
    bandwidthCustomers: Number(get("bandwidth-customers") ?? 10_000),
    skipLoad: argv.includes("--skip-load"),
    events: Number(get("events") ?? 2000),
  };
}

const tty = process.stderr.isTTY;
let lastLine = 0;
/** One progress line, redrawn in place on a terminal and throttled to every 5 s in a log file. */
function progress(line: string): void {
  if (tty) process.stderr.write(`\r\x1b[K${line}`);
  else if (Date.now() - lastLine > 5000) {
    process.stderr.write(`${line}\n`);
    lastLine = Date.now();
  }
}
function say(line: string): void {
  if (tty) process.stderr.write("\r\x1b[K");
  process.stderr.write(`${line}\n`);
  lastLine = 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(port: number, child: ChildProcess, path: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`process on port ${port} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`process on port ${port} did not become ready`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

function memOf(pid: number | undefined): { rss: number; hwm: number } {
  if (pid === undefined) return { rss: 0, hwm: 0 };
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

let nextPort = 18_500 + Math.floor(Math.random() * 500);

interface Procs {
  children: ChildProcess[];
  targets: Target[];
}

function envFor(db: Db, size: number, port: number): NodeJS.ProcessEnv {
  // The rate limit is set to its maximum: the bench measures throughput, not the limiter refusing it.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CUSTOS_BOOTSTRAP_KEY: OPERATOR_KEY, CUSTOS_LOG_LEVEL: "warn", HOST: "127.0.0.1", CUSTOS_RATE_LIMIT: "1000000", CUSTOS_METRICS_TOKEN: METRICS_TOKEN };
  if (db === "sqlite") {
    env.CUSTOS_DATA_DIR = join(DATA, `sqlite-${size}`);
    delete env.DATABASE_URL;
  } else env.DATABASE_URL = pgUrlFor(size);
  return env;
}

async function startProcs(db: Db, size: number, argsFor: (port: number) => string[], readyPath: string, log: string[]): Promise<Procs> {
  const count = db === "postgres2" ? 2 : 1;
  const children: ChildProcess[] = [];
  const targets: Target[] = [];
  for (let i = 0; i < count; i++) {
    const port = nextPort++;
    const child = spawn(process.execPath, argsFor(port), { cwd: ROOT, env: envFor(db, size, port), stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => {
      if (log.length < 50) log.push(d.toString().trim());
    });
    children.push(child);
    targets.push({ port, index: i });
    try {
      await waitReady(port, child, readyPath);
    } catch (error) {
      for (const c of children) await stop(c);
      throw new Error(`${(error as Error).message}: ${log.join(" | ")}`);
    }
  }
  return { children, targets };
}

interface Row extends LoadFigures {
  db: Db;
  size: number;
  scenario: string;
  /** Connections in total the scenario ran with. */
  connections?: number;
  /** The ceiling the ratio is taken against: the point select (read) or the one-INSERT write. */
  ceiling?: "read" | "write";
  /** Custos req/s divided by that ceiling's in the same run. */
  ratioToCeiling: number | null;
  /** SQL statements Custos sent per answered request (its custos_db_statements_total over the run). */
  statementsPerRequest?: number | null;
  /** PostgreSQL: exchanges with the server per answered request (custos_db_round_trips_total). */
  roundTripsPerRequest?: number | null;
  /** Peak VmRSS sampled during the scenario, the largest of the Custos processes (bytes). */
  peakRss: number | null;
  note?: string;
}

interface Report {
  startedAt: string;
  finishedAt?: string;
  machine: { cpus: number; cpuModel: string; memory: number; node: string };
  args: Args;
  custosCommand: string;
  notes: string[];
  seeding: { db: string; size: number; rows: number; seconds: number; rowsPerSecond: number; reused: boolean }[];
  /** Per Custos process: RSS right after start (idle) and the high-water mark after all scenarios. */
  peakRssPerProcess: { db: Db; size: number; idleRss: number; vmHwm: number }[];
  rows: Row[];
  bandwidth: BandwidthFigures[];
}

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (b: number | null) => (b === null ? "" : fmt(b / 1024 / 1024, 0));
const sizeLabel = (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

function markdown(r: Report): string {
  const out: string[] = [];
  out.push(`# Custos benchmark ${r.startedAt}`, "");
  out.push(
    `Machine: ${r.machine.cpus} CPU (${r.machine.cpuModel}), ${fmt(r.machine.memory / 1024 ** 3, 1)} GiB, Node ${r.machine.node}. ` +
      `Duration ${r.args.duration} s per scenario (after ${r.args.warmup} s warm-up), ${r.args.connections} connections in total.`,
    "",
  );
  for (const n of r.notes) out.push(`- ${n}`);
  out.push("", "## Seeding", "", "| db | customers | seconds | rows/s |", "|---|---:|---:|---:|");
  for (const s of r.seeding) out.push(`| ${s.db} | ${sizeLabel(s.size)} | ${s.reused ? "reused" : fmt(s.seconds, 1)} | ${s.reused ? "" : fmt(s.rowsPerSecond)} |`);
  out.push(
    "",
    "## Load",
    "",
    "| db | customers | scenario | conns | req/s | share of ceiling | p50 ms | p99 ms | stmts/req | trips/req | non-2xx | errors | peak RSS MB | note |",
    "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  );
  for (const x of r.rows) {
    const share = x.ratioToCeiling === null ? "" : `${fmt(x.ratioToCeiling * 100)}% ${x.ceiling ?? "read"}`;
    const stmts = x.statementsPerRequest == null ? "" : fmt(x.statementsPerRequest, 1);
    const trips = x.roundTripsPerRequest == null ? "" : fmt(x.roundTripsPerRequest, 1);
    out.push(
      `| ${x.db} | ${sizeLabel(x.size)} | ${x.scenario} | ${x.connections ?? r.args.connections} | ${fmt(x.rps)} | ${share} | ${fmt(x.p50, 1)} | ${fmt(x.p99, 1)} | ${stmts} | ${trips} | ${x.non2xx} | ${x.errors + x.timeouts} | ${mb(x.peakRss)} | ${x.note ?? ""} |`,
    );
  }
  if (r.bandwidth.length > 0) {
    out.push("", "## Bandwidth ingestion", "", "5-minute samples in hourly batches of 833 customers x 12 intervals, through BandwidthService.ingest (one transaction per batch); see bench/bandwidth.ts.", "");
    out.push("| db | customers | days | rows | seconds | rows/s | billable p50 ms | billable p99 ms |", "|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const b of r.bandwidth) out.push(`| ${b.db} | ${fmt(b.customers)} | ${b.days} | ${fmt(b.rows)} | ${fmt(b.seconds, 1)} | ${fmt(b.rowsPerSecond)} | ${fmt(b.billableP50, 1)} | ${fmt(b.billableP99, 1)} |`);
  }
  out.push("", "## Targets", "");
  for (const line of targetLines(r)) out.push(`- ${line}`);
  out.push("");
  return out.join("\n");
}

function targetLines(r: Report): string[] {
  const lines: string[] = [];
  const find = (db: Db, size: number, s: string) => r.rows.find((x) => x.db === db && x.size === size && x.scenario === s && x.requests > 0);
  const pct = (x: number) => `${fmt(x * 100)}%`;
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  const dbs = [...new Set(r.rows.map((x) => x.db))];
  const sizes = [...new Set(r.rows.map((x) => x.size))].sort((a, b) => a - b);
  for (const size of sizes) {
    for (const db of dbs) {
      const g = find(db, size, "get_id");
      const rc = find(db, size, CEILING.name);
      if (g?.ratioToCeiling != null) lines.push(`GET by id, ${db} ${sizeLabel(size)}: ${fmt(g.rps)} req/s = ${pct(g.ratioToCeiling)} of the read ceiling ${fmt(rc?.rps ?? 0)} (target >= 70%): ${verdict(g.ratioToCeiling >= 0.7)}`);
      const wc = find(db, size, WRITE_CEILING.name);
      for (const name of ["create", "create_idem", "patch"]) {
        const w = find(db, size, name);
        if (w?.ratioToCeiling != null && wc) lines.push(`${name}, ${db} ${sizeLabel(size)}: ${fmt(w.rps)} req/s = ${pct(w.ratioToCeiling)} of the write ceiling ${fmt(wc.rps)} (target >= 50%): ${verdict(w.ratioToCeiling >= 0.5)}`);
      }
    }
    const one = find("postgres", size, "create");
    const two = find("postgres2", size, "create");
    if (one && two) lines.push(`PostgreSQL create, two processes vs one, ${sizeLabel(size)}: ${fmt(two.rps)} vs ${fmt(one.rps)} req/s = ${fmt(two.rps / one.rps, 2)}x (target: not slower): ${verdict(two.rps >= one.rps * 0.95)}`);
  }
  const big = sizes[sizes.length - 1];
  if (big !== undefined) {
    for (const db of dbs) {
      const l1 = find(db, big, "list_prefix_1c");
      const l20 = find(db, big, "list_prefix");
      if (l1 || l20) {
        const part = (x: Row | undefined, c: string) => (x ? `${c}: p50 ${fmt(x.p50, 1)} ms, p99 ${fmt(x.p99, 1)} ms` : `${c}: not run`);
        const goal = db === "sqlite" && l1 ? ` (target p99 at 1 connection <= 5 ms on SQLite: ${verdict(l1.p99 <= 5)})` : "";
        lines.push(`List page, ${db} ${sizeLabel(big)}: ${part(l1, "1 connection")}; ${part(l20, `${r.args.connections} connections`)}${goal}`);
      }
    }
  }
  const peak = Math.max(0, ...r.peakRssPerProcess.map((p) => p.vmHwm));
  const idle = Math.max(0, ...r.peakRssPerProcess.map((p) => p.idleRss));
  if (peak > 0) lines.push(`Peak RSS of a Custos process (VmHWM): ${mb(peak)} MB, ${mb(idle)} MB idle after start (target <= 200 MB under load): ${verdict(peak <= 200 * 1024 * 1024)}`);
  return lines;
}

/** custos_db_statements_total and custos_db_round_trips_total summed over the processes, from their /metrics. */
async function dbCountersOf(targets: Target[]): Promise<{ statements: number; trips: number } | null> {
  const sum = { statements: 0, trips: 0 };
  for (const t of targets) {
    try {
      const res = await fetch(`http://127.0.0.1:${t.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      if (!res.ok) return null;
      const text = await res.text();
      const statements = /^custos_db_statements_total (\d+(?:\.\d+)?)/m.exec(text);
      const trips = /^custos_db_round_trips_total (\d+(?:\.\d+)?)/m.exec(text);
      if (!statements || !trips) return null;
      sum.statements += Number(statements[1]);
      sum.trips += Number(trips[1]);
    } catch {
      return null;
    }
  }
  return sum;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(RESULTS, { recursive: true });
  mkdirSync(DATA, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const report: Report = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "?", memory: totalmem(), node: process.version },
    args,
    custosCommand: "",
    notes: [
      `Load generator (autocannon), Custos and the database share ${cpus().length} CPU cores: absolute figures are bounded by that; ratios to the ceiling are the comparable figures.`,
      "postgres2: two Custos processes on one database, each driven by its own autocannon instance with half the connections; req/s summed, p50 request-weighted, p99 the worse of the two.",
      "The ceilings are bench/ceiling.ts, run with as many processes as Custos: read = Fastify + the same driver, select * by id; write = Fastify + the same driver, parse the JSON body, one INSERT into the same customers table (all its indexes) in its own transaction, 201 (SQLite: WAL, synchronous=NORMAL). No auth, validation, mapping or audit. Reads are compared with the read ceiling, create/create_idem/patch with the write ceiling.",
      "stmts/req: Custos's SQL statements (custos_db_statements_total from /metrics, transaction control included) over the scenario, divided by the requests autocannon counted. trips/req (PostgreSQL): exchanges with the server (custos_db_round_trips_total), where statements written together count once.",
    ],
    seeding: [],
    peakRssPerProcess: [],
    rows: [],
    bandwidth: [],
  };

  // Custos runs as it ships: compiled. If the shared tree does not build right now, fall back to tsx.
  let custosArgs: (port: number) => string[] = () => [];
  if (!args.skipLoad) try {
    say("building Custos (npm run build) ...");
    execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    // The same heap cap `npm start` uses, so peak RSS is measured as it is in production.
    const heap = `--max-old-space-size=${process.env.CUSTOS_MAX_HEAP_MB ?? "160"}`;
    const young = `--max-semi-space-size=${process.env.CUSTOS_SEMI_SPACE_MB ?? "8"}`;
    custosArgs = () => [heap, young, ...(args.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${join(RESULTS, "prof")}`] : []), "dist/main.js"];
    report.custosCommand = `node ${heap} ${young} dist/main.js`;
  } catch (error) {
    say(`build failed, running Custos from source through tsx instead: ${String((error as { stderr?: Buffer }).stderr ?? error).slice(0, 300)}`);
    custosArgs = () => [...(args.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${join(RESULTS, "prof")}`] : []), "--import", "tsx", "src/main.ts"];
    report.custosCommand = "node --import tsx src/main.ts";
    report.notes.push("The build failed at the time of this run, so Custos ran from source through tsx.");
  }

  const save = () => {
    writeFileSync(join(RESULTS, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
    const md = markdown(report);
    writeFileSync(join(RESULTS, `${stamp}.md`), md);
    writeFileSync(join(RESULTS, "latest.md"), md);
  };
  // postgres and postgres2 share a database: their created customers need distinct e-mails.
  const runStamp = Date.now().toString(36);

  for (const size of args.skipLoad ? [] : args.sizes) {
    for (const db of args.dbs) {
      const label = `[${db} ${sizeLabel(size)}]`;
      const runId = `${runStamp}${db}`;
      const dialect = db === "sqlite" ? "sqlite" : "postgres";
      const seedKey = `${dialect}`;
      if (!report.seeding.some((s) => s.db === seedKey && s.size === size)) {
        say(`${label} seeding ${fmt(size)} customers ...`);
        const t0 = Date.now();
        const r: SeedResult = await seed(
          { dialect, location: dialect === "sqlite" ? join(DATA, `sqlite-${size}`) : pgUrlFor(size) },
          size,
          OPERATOR_KEY,
          (done, total) => {
            const s = (Date.now() - t0) / 1000;
            progress(`${label} seeding ${fmt(done)}/${fmt(total)} (${fmt((100 * done) / total)}%) ${fmt(done / Math.max(s, 0.001))} rows/s`);
          },
          args.fresh,
        );
        report.seeding.push({ db: seedKey, size, ...r });
        say(r.reused ? `${label} reusing the seeded database` : `${label} seeded ${fmt(r.rows)} rows in ${fmt(r.seconds, 1)} s = ${fmt(r.rowsPerSecond)} rows/s (indexes rebuilt after load)`);
      }

      const loadOpts = (name: string, connections = args.connections) => ({ duration: args.duration, connections, label: `${label} ${name}`, onProgress: progress });
      // A fresh process is cold (lazy compilation, JIT, pool connections): its first scenario gets
      // a longer warm-up, or whichever scenario runs first is measured at a discount.
      const warm = async (targets: Target[], sc: Scenario, fresh = false) => {
        if (args.warmup > 0) {
          const duration = fresh ? Math.max(3, 3 * args.warmup) : args.warmup;
          await drive(targets, sc, { size, runId: `${runId}w` }, { ...loadOpts(`${sc.name} warm-up`, sc.connections), duration });
          // Requests autocannon abandoned at the end of the warm-up still finish on the server;
          // let them, so the measured run reads current versions (no 412 on patch).
          await sleep(500);
        }
      };

      // Ceiling first, alone on the machine.
      const ceilLog: string[] = [];
      const ceil = await startProcs(db, size, () => ["--import", "tsx", "bench/ceiling.ts"], `/c/1`, ceilLog);
      let ceiling: LoadFigures;
      let writeCeiling: LoadFigures;
      try {
        await warm(ceil.targets, CEILING, true);
        ceiling = await drive(ceil.targets, CEILING, { size, runId }, loadOpts(CEILING.name));
        await warm(ceil.targets, WRITE_CEILING);
        writeCeiling = await drive(ceil.targets, WRITE_CEILING, { size, runId }, loadOpts(WRITE_CEILING.name));
      } finally {
        for (const c of ceil.children) await stop(c);
      }
      report.rows.push({ db, size, scenario: CEILING.name, ...ceiling, ceiling: "read", ratioToCeiling: 1, peakRss: null });
      say(`${label} ${CEILING.name}: ${fmt(ceiling.rps)} req/s, p50 ${fmt(ceiling.p50, 1)} ms, p99 ${fmt(ceiling.p99, 1)} ms`);
      report.rows.push({ db, size, scenario: WRITE_CEILING.name, ...writeCeiling, ceiling: "write", ratioToCeiling: 1, peakRss: null });
      say(`${label} ${WRITE_CEILING.name}: ${fmt(writeCeiling.rps)} req/s, p50 ${fmt(writeCeiling.p50, 1)} ms, p99 ${fmt(writeCeiling.p99, 1)} ms`);

      const log: string[] = [];
      const custos = await startProcs(db, size, custosArgs, "/health", log);
      const idle = custos.children.map((c) => memOf(c.pid).rss);
      let first = true;
      try {
        for (const name of args.scenarios) {
          const sc = SCENARIOS.find((s) => s.name === name);
          const why = name === "inwx_customer_info" && !existsSync(join(ROOT, "src", "protocols", "inwx")) ? "src/protocols/inwx does not exist in this build" : sc?.unavailable?.();
          if (!sc || why !== undefined) {
            report.rows.push({ db, size, scenario: name, requests: 0, rps: 0, p50: 0, p99: 0, non2xx: 0, errors: 0, timeouts: 0, statuses: {}, ratioToCeiling: null, peakRss: null, note: `skipped: ${why}` });
            say(`${label} ${name}: skipped (${why})`);
            continue;
          }
          let peak = 0;
          const sampler = setInterval(() => {
            for (const c of custos.children) peak = Math.max(peak, memOf(c.pid).rss);
          }, 200);
          try {
            await warm(custos.targets, sc, first);
            first = false;
            const before = await dbCountersOf(custos.targets);
            const f = await drive(custos.targets, sc, { size, runId }, loadOpts(name, sc.connections));
            for (const c of custos.children) peak = Math.max(peak, memOf(c.pid).rss);
            // Requests autocannon abandoned at the end still finish; let them before counting.
            await sleep(300);
            const after = await dbCountersOf(custos.targets);
            const kind = sc.kind ?? "read";
            const ref = kind === "write" ? writeCeiling : ceiling;
            const row: Row = {
              db,
              size,
              scenario: name,
              connections: sc.connections ?? args.connections,
              ...f,
              ceiling: kind,
              ratioToCeiling: ref.rps > 0 ? f.rps / ref.rps : null,
              statementsPerRequest: before !== null && after !== null && f.requests > 0 ? (after.statements - before.statements) / f.requests : null,
              roundTripsPerRequest: db !== "sqlite" && before !== null && after !== null && f.requests > 0 ? (after.trips - before.trips) / f.requests : null,
              peakRss: peak,
            };
            if (f.non2xx > 0 || f.errors > 0) {
              const codes = Object.entries(f.statuses)
                .filter(([code]) => !code.startsWith("2"))
                .map(([code, n]) => `${n}x ${code}`)
                .join(", ");
              row.note = `non-2xx: ${codes || f.non2xx}; ${f.errors} errors`;
            }
            report.rows.push(row);
            say(`${label} ${name}: ${fmt(f.rps)} req/s (${fmt((100 * f.rps) / Math.max(ref.rps, 1))}% of the ${kind} ceiling), ${row.statementsPerRequest == null ? "?" : fmt(row.statementsPerRequest, 1)} stmts/req, p50 ${fmt(f.p50, 1)} ms, p99 ${fmt(f.p99, 1)} ms, RSS ${mb(peak)} MB${row.note ? `, ${row.note}` : ""}`);
          } catch (error) {
            report.rows.push({ db, size, scenario: name, requests: 0, rps: 0, p50: 0, p99: 0, non2xx: 0, errors: 1, timeouts: 0, statuses: {}, ratioToCeiling: null, peakRss: null, note: `failed: ${(error as Error).message}` });
            say(`${label} ${name}: failed: ${(error as Error).message}`);
          } finally {
            clearInterval(sampler);
          }
        }
        custos.children.forEach((c, i) => {
          report.peakRssPerProcess.push({ db, size, idleRss: idle[i] ?? 0, vmHwm: memOf(c.pid).hwm });
        });
      } finally {
        for (const c of custos.children) await stop(c);
      }
      // Webhook delivery does not depend on the number of customers: measured at the first size.
      if (args.events > 0 && size === args.sizes[0]) {
        try {
          const e = await benchEventDelivery({
            count: args.events,
            processes: db === "postgres2" ? 2 : 1,
            spawnCustos: (port, extra) => spawn(process.execPath, custosArgs(port), { cwd: ROOT, env: { ...envFor(db, size, port), ...extra }, stdio: ["ignore", "ignore", "inherit"] }),
            nextPort: () => nextPort++,
            waitReady: (port, child) => waitReady(port, child, "/health"),
            stop,
            onProgress: (line) => progress(`${label} ${line}`),
          });
          const note = `${fmt(e.events)} events in ${fmt(e.seconds, 1)} s${e.duplicates > 0 ? `, ${e.duplicates} duplicates` : ""}`;
          report.rows.push({ db, size, scenario: "events_delivered", requests: e.events, rps: e.perSecond, p50: 0, p99: 0, non2xx: 0, errors: 0, timeouts: 0, statuses: {}, ratioToCeiling: null, peakRss: null, note: `events delivered per second (req/s column); ${note}` });
          say(`${label} events_delivered: ${fmt(e.perSecond)} events/s (${note})`);
        } catch (error) {
          say(`${label} events_delivered: failed: ${(error as Error).message}`);
        }
      }
      if (log.length > 0) report.notes.push(`${label} Custos stderr: ${log.join(" | ").slice(0, 500)}`);
      save();
    }
  }
  if (args.bandwidthDays > 0) {
    for (const dialect of [...new Set(args.dbs.map((d) => (d === "sqlite" ? "sqlite" : "postgres") as "sqlite" | "postgres"))]) {
      say(`[${dialect} bandwidth] ${fmt(args.bandwidthCustomers)} customers x ${args.bandwidthDays} days of 5-minute samples ...`);
      const b = await benchBandwidth(dialect, DATA, { customers: args.bandwidthCustomers, days: args.bandwidthDays, fresh: args.fresh, onProgress: progress });
      report.bandwidth.push(b);
      say(`[${dialect} bandwidth] ${fmt(b.rows)} rows in ${fmt(b.seconds, 1)} s = ${fmt(b.rowsPerSecond)} rows/s; currentBillableBandwidth p50 ${fmt(b.billableP50, 1)} ms, p99 ${fmt(b.billableP99, 1)} ms`);
      save();
    }
  }
  report.finishedAt = new Date().toISOString();
  save();
  say(`\nresults: ${join("bench", "results", `${stamp}.md`)} (and .json, latest.md)\n`);
  process.stdout.write(markdown(report));
}

main().catch((error: unknown) => {
  say(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
