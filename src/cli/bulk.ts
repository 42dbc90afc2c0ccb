import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify";
import type { ImportIssue, ImportRow } from "../modules/customers/import.js";
import { newImportSeen } from "../modules/customers/import.js";
import type { Customer } from "../modules/customers/schema.js";
import { parseFilters } from "./customers.js";
import { CUSTOMER_FIELDS, parseMapOption, planColumns, recordFromCells, recordFromObject } from "./mapping.js";
import { io, userPath, withRuntime } from "./runtime.js";

/**
 * Rows per transaction. Each commit writes every index page its rows touched, so fewer, larger
 * commits write far less: 5000 rows cost a third of the commit time of 1000 (bench:import).
 */
const DEFAULT_BATCH = 5000;

const collect = (value: string, previous: string[]) => [...previous, value];

/** A decoded record, or a line that could not be decoded (reported like any bad row). */
type Decoded = { row: ImportRow; bytes: number } | { issue: ImportIssue; bytes: number };

type Format = "csv" | "jsonl";

function formatOf(file: string, given: string | undefined): Format {
  if (given === "csv" || given === "jsonl") return given;
  if (given !== undefined) throw new Error(`--format must be csv or jsonl, not "${given}"`);
  return /\.(jsonl|ndjson|json)$/i.test(file) ? "jsonl" : "csv";
}

/** Identity of an input file: an interrupted import of the same file resumes its run. */
async function fileIdentity(file: string): Promise<{ source: string; size: number }> {
  const { size } = await stat(file);
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(Math.min(size, 1 << 20));
    await fh.read(buf, 0, buf.length, 0);
    return { source: `${basename(file)}:${size}:${createHash("sha256").update(buf).digest("hex").slice(0, 32)}`, size };
  } finally {
    await fh.close();
  }
}

async function* readCsv(file: string, map: ReadonlyMap<string, string>, onHeader: (ignored: string[]) => void): AsyncGenerator<Decoded> {
  const parser = createReadStream(file).pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }));
  let plan: ReturnType<typeof planColumns> | undefined;
  let width = 0;
  let lastBytes = 0;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
    const { record, info } = item;
    const bytes = info.bytes - lastBytes;
    lastBytes = info.bytes;
    if (!plan) {
      plan = planColumns(record, map);
      width = record.length;
      if (plan.unknown.length > 0) {
        throw new Error(
          `unknown column${plan.unknown.length > 1 ? "s" : ""} ${plan.unknown.map((c) => `"${c}"`).join(", ")}: map with --map "Column=field" or ignore with --map "Column=-"`,
        );
      }
      onHeader(plan.ignored);
      continue;
    }
    if (record.length !== width) {
      yield { issue: { line: info.lines, field: "(row)", code: "invalid_format", message: `has ${record.length} fields; the header has ${width}` }, bytes };
      continue;
    }
    yield { row: { line: info.lines, data: recordFromCells(record, plan.targets) }, bytes };
  }
}

async function* readJsonLines(file: string, map: ReadonlyMap<string, string>): AsyncGenerator<Decoded> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const text of lines) {
    n++;
    const bytes = Buffer.byteLength(text) + 1;
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      yield { issue: { line: n, field: "(line)", code: "invalid_format", message: "is not a JSON object" }, bytes };
      continue;
    }
    yield { row: { line: n, data: recordFromObject(value as Record<string, unknown>, map) }, bytes };
  }
}

const issueLine = (i: ImportIssue) => `line ${i.line}: ${i.field}: ${i.message}\n`;

interface ImportOptions {
  format?: string;
  map: string[];
  dryRun?: boolean;
  batch: string;
  owner?: string;
  restart?: boolean;
  cacheMb: string;
  progress: boolean;
}

function progressBar(enabled: boolean, total: number): cliProgress.SingleBar | undefined {
  if (!enabled) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      format: "{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}",
      stream: process.stderr,
      // Not a terminal (CI, redirected): one line every few seconds instead of redraws.
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rows: 0, rate: 0 });
  return bar;
}

async function importCustomers(given: string, opts: ImportOptions): Promise<number> {
  const file = userPath(given);
  const format = formatOf(file, opts.format);
  const map = parseMapOption(opts.map);
  const batchSize = Math.min(10_000, Math.max(1, Number(opts.batch) || DEFAULT_BATCH));
  const cacheMb = Number(opts.cacheMb);
  if (!Number.isFinite(cacheMb) || cacheMb < 2) throw new Error(`--cache-mb must be a number of megabytes (2 or more), not "${opts.cacheMb}"`);
  const ownerId = opts.owner === undefined ? undefined : Number(opts.owner);
  const { source, size } = await fileIdentity(file);
  return withRuntime(async ({ app, ctx }) => {
    const svc = app.services.customerImport;
    const records = format === "csv" ? readCsv(file, map, (ignored) => ignored.length > 0 && io.err(`ignoring column${ignored.length > 1 ? "s" : ""}: ${ignored.join(", ")}\n`)) : readJsonLines(file, map);
    const run = opts.dryRun ? undefined : await svc.begin(ctx, { source, ownerId, restart: opts.restart === true, cacheMb });
    if (run?.resumed) {
      io.err(`resuming import ${run.id} after line ${run.last_line} (${run.created} created, ${run.skipped} skipped, ${run.failed} failed so far)\n`);
    }
    const seen = newImportSeen();
    const totals = { created: 0, skipped: 0, failed: 0, rows: 0 };
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const bar = progressBar(opts.progress, size);
    let bytes = 0;
    let batch: ImportRow[] = [];
    let batchLast = 0;
    const report = (issues: readonly ImportIssue[]) => {
      if (issues.length === 0) return;
      bar?.stop();
      for (const i of issues) io.err(issueLine(i));
      if (bar) bar.start(size, bytes, { rows: totals.rows, rate: rate() });
    };
    const rate = () => Math.round(totals.rows / Math.max(0.001, (performance.now() - started) / 1000));
    const flush = async () => {
      if (batch.length === 0 && batchLast === 0) return;
      const r = run ? await svc.importBatch(ctx, run.id, batch, batchLast) : await svc.check(ctx, batch, { ownerId, seen });
      totals.created += r.created;
      totals.skipped += r.skipped;
      totals.failed += r.failed;
      totals.rows += batch.length;
      report(r.issues);
      bar?.update(bytes, { rows: totals.rows, rate: rate() });
      batch = [];
      batchLast = 0;
    };
    for await (const d of records) {
      bytes += d.bytes;
      if ("issue" in d) {
        if (run && d.issue.line <= run.last_line) continue;
        totals.failed++;
        totals.rows++;
        report([d.issue]);
        continue;
      }
      if (run && d.row.line <= run.last_line) continue;
      batch.push(d.row);
      batchLast = d.row.line;
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (bar) {
      bar.update(size, { rows: totals.rows, rate: rate() });
      bar.stop();
    }
    if (run) await svc.finish(ctx, run.id);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const verb = opts.dryRun ? "would create" : "created";
    io.err(
      `${opts.dryRun ? "dry run: " : ""}${totals.rows} rows in ${seconds.toFixed(1)} s (${rate()} rows/s, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU): ${verb} ${totals.created}, skipped ${totals.skipped} (already present), ${totals.failed} bad\n`,
    );
    return totals.failed > 0 ? 1 : 0;
  });
}

/** Columns of an export, in the order an import reads them back: the writable fields, with the read-only ones beside them. */
const EXPORT_COLUMNS: (keyof Customer)[] = ["id", "handle", ...CUSTOMER_FIELDS.flatMap((f): (keyof Customer)[] => (f === "status" ? [f, "owner_id"] : [f])), "created_at", "updated_at", "deleted_at"];

interface ExportOptions {
  format?: string;
  output?: string;
  filter: string[];
  sort?: string;
  deleted?: boolean;
  columns?: string;
  progress: boolean;
}

async function exportCustomers(opts: ExportOptions): Promise<number> {
  const format = formatOf(opts.output ?? "", opts.format);
  const columns = opts.columns ? opts.columns.split(",").map((c) => c.trim()) : EXPORT_COLUMNS;
  const unknown = columns.filter((c) => !(EXPORT_COLUMNS as string[]).includes(c));
  if (unknown.length > 0) throw new Error(`unknown column(s) ${unknown.join(", ")}; choose from ${EXPORT_COLUMNS.join(", ")}`);
  return withRuntime(async ({ app, ctx }) => {
    const svc = app.services.customers;
    const raw = { filters: parseFilters(opts.filter), sort: opts.sort, limit: 1000, includeTotal: false, includeDeleted: opts.deleted === true };
    let query = svc.parseListQuery(raw);
    const total = await svc.count(ctx, query.filters, query.includeDeleted);
    const out = opts.output ? createWriteStream(userPath(opts.output)) : process.stdout;
    // Nothing to show for an empty result (and cli-progress cannot estimate the time left of 0).
    const bar = progressBar(opts.progress && total > 0 && (opts.output !== undefined || !process.stdout.isTTY), total);
    const started = performance.now();
    let done = 0;
    const csv =
      format === "csv"
        ? stringify({ header: true, columns: columns as string[], cast: { boolean: (b) => (b ? "true" : "false"), object: (o) => JSON.stringify(o) } })
        : undefined;
    csv?.pipe(out);
    // Writes respect back-pressure, so memory stays flat however many customers there are.
    const write = async (chunk: Record<string, unknown> | string) => {
      const ok = csv ? csv.write(chunk) : out.write(chunk as string);
      const target: NodeJS.EventEmitter = csv ?? out;
      if (!ok) await new Promise((r) => target.once("drain", r));
    };
    for (;;) {
      const page = await svc.list(ctx, query);
      for (const c of page.data) {
        const picked: Record<string, unknown> = {};
        for (const col of columns) picked[col] = c[col as keyof Customer];
        await write(csv ? picked : `${JSON.stringify(picked)}\n`);
      }
      done += page.data.length;
      bar?.update(done, { rows: done, rate: Math.round(done / Math.max(0.001, (performance.now() - started) / 1000)) });
      if (!page.has_more || page.next_cursor === null) break;
      query = { ...query, startingAfter: page.next_cursor };
    }
    if (csv) {
      csv.end();
      await finished(csv);
    }
    if (out !== process.stdout) {
      out.end();
      await finished(out);
    }
    bar?.stop();
    io.err(`exported ${done} customers in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  });
}

export function bulkCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command("import")
    .description("bulk import")
    .command("customers <file>")
    .description("import customers from CSV (header row names the columns) or JSON lines; idempotent on external id, else e-mail")
    .option("--format <csv|jsonl>", "input format (default: from the file name)")
    .option("-m, --map <Column=field>", 'map columns, e.g. "E-Mail Address=email,Plan=tag:plan"; "Column=-" ignores one (repeatable)', collect, [])
    .option("-n, --dry-run", "check every row (schema, rules, collisions) and report each bad one; write nothing")
    .option("-b, --batch <rows>", "rows per transaction (at most 10000)", String(DEFAULT_BATCH))
    .option("--owner <account-id>", "reseller account that owns the imported customers (default: the operator)")
    .option("--cache-mb <megabytes>", "SQLite page cache while importing (indexes of 1M customers take about 500 MB)", "1024")
    .option("--restart", "start over instead of resuming an interrupted import of the same file")
    .option("--no-progress", "no progress bar")
    .action(async (file: string, opts: ImportOptions) => setExit(await importCustomers(file, opts)));

  program
    .command("export")
    .description("bulk export")
    .command("customers")
    .description("stream customers as CSV or JSON lines, with the list filters")
    .option("--format <csv|jsonl>", "output format (default: from -o, else csv)")
    .option("-o, --output <file>", "write here instead of standard output")
    .option("-f, --filter <field[:op]=value>", "filter, as for customers list (repeatable)", collect, [])
    .option("-s, --sort <keys>", "sort keys, e.g. -created_at")
    .option("--deleted", "include deleted customers")
    .option("--columns <list>", "comma-separated columns (default: every field)")
    .option("--no-progress", "no progress bar")
    .action(async (opts: ExportOptions) => setExit(await exportCustomers(opts)));
}
