import { resolve } from "node:path";
import { type App, createApp } from "../app.js";
import { loadConfig } from "../config.js";
import { type Context, systemContext } from "../core/context.js";
import { AppError } from "../core/errors.js";
import { newRequestId } from "../core/ids.js";

/** Where commands write; tests run the program in-process and capture both. */
export const io = {
  out: (text: string): void => {
    process.stdout.write(text);
  },
  err: (text: string): void => {
    process.stderr.write(text);
  },
};

/** What every command gets: the composed services and the operator context it acts in. */
export interface Runtime {
  app: App;
  ctx: Context;
}

/**
 * Opens the same composition as the server (no listener) and decides who is acting. With
 * CUSTOS_API_KEY set the CLI authenticates that key exactly as the API would (revocation, expiry,
 * ACL) and requires an operator key; without it, whoever can run the CLI against the database is
 * the platform operator, audited as protocol "cli".
 */
export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = { ...loadConfig(), logLevel: "silent" };
  const app = await createApp(config);
  try {
    const key = process.env.CUSTOS_API_KEY;
    let ctx: Context;
    if (key) {
      ctx = await app.services.requestAuth.withApiKey(key, { clientIp: null, requestId: newRequestId(), protocol: "cli" });
      if (ctx.principal.kind !== "operator") throw new AppError("forbidden", "The command line acts as an operator; CUSTOS_API_KEY is not an operator key");
    } else {
      ctx = { ...systemContext("cli"), requestId: newRequestId() };
    }
    return await fn({ app, ctx });
  } finally {
    await app.close();
  }
}

/** Renders an error for a person at a terminal: the code, the message, and each field at fault. */
export function describeError(error: unknown): string {
  if (error instanceof AppError) {
    const lines = [`error (${error.code}): ${error.message}`];
    for (const i of error.issues) lines.push(`  ${i.field}: ${i.message}`);
    return `${lines.join("\n")}\n`;
  }
  return `error: ${error instanceof Error ? error.message : String(error)}\n`;
}

export type OutputFormat = "table" | "json";

export function print(value: unknown, format: OutputFormat, columns?: readonly string[]): void {
  if (format === "json") {
    io.out(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [value as Record<string, unknown>];
  if (!Array.isArray(value)) {
    // One object: a two-column key/value listing.
    const obj = value as Record<string, unknown>;
    const width = Math.max(...Object.keys(obj).map((k) => k.length));
    for (const [k, v] of Object.entries(obj)) io.out(`${k.padEnd(width)}  ${cell(v)}\n`);
    return;
  }
  io.out(table(rows, columns ?? Object.keys(rows[0] ?? {})));
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(c.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], r)).replace(/\s+/g, " ")));
  const widths = columns.map((c, i) => Math.min(40, Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length))));
  const line = (vals: readonly string[]) =>
    `${vals
      .map((v, i) => {
        const w = widths[i] ?? 0;
        return (v.length > w ? `${v.slice(0, w - 1)}…` : v).padEnd(w);
      })
      .join("  ")
      .trimEnd()}\n`;
  return line(columns.map((c) => c.toUpperCase())) + cells.map(line).join("");
}

/**
 * A file named on the command line, relative to where the user typed it: `npm run cli` runs in
 * the package's directory, with the caller's directory in INIT_CWD.
 */
export function userPath(file: string): string {
  const base = process.env.npm_lifecycle_event !== undefined && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  return resolve(base, file);
}

/** Reads a JSON object given inline, as @file, or as - (stdin). */
export async function readJsonArgument(value: string): Promise<unknown> {
  let text = value;
  if (value === "-") {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    text = Buffer.concat(chunks).toString("utf8");
  } else if (value.startsWith("@")) {
    const { readFile } = await import("node:fs/promises");
    text = await readFile(userPath(value.slice(1)), "utf8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("malformed_request", "The data is not valid JSON", { issues: [{ field: "data", code: "invalid_format", message: "must be a JSON object" }] });
  }
}

/** `field=value` pairs into an object (values that parse as JSON numbers/booleans/null stay strings: the schema decides). */
export function pairsToObject(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new AppError("validation_failed", `Expected field=value, got "${p}"`, { issues: [{ field: p, code: "invalid_format", message: "expected field=value" }] });
    const key = p.slice(0, eq);
    const raw = p.slice(eq + 1);
    out[key] = raw === "true" ? true : raw === "false" ? false : raw === "null" ? null : raw;
  }
  return out;
}
