import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Froxlor's key:secret for a Custos key: `ck_<id>` and the rest; other keys go whole as the secret. */
export function froxlorPair(key: string): { user: string; secret: string } {
  const m = /^(ck_[0-9a-f]+)_(.+)$/.exec(key);
  return m?.[1] && m[2] ? { user: m[1], secret: m[2] } : { user: "custos", secret: key };
}

export interface FroxlorResult {
  status: number;
  headers: Headers;
  /** The parsed answer: {data} or {message}. */
  body: any;
  text: string;
}

/**
 * What FroxlorAPI.php (and so the FOSSBilling and Blesta modules) sends: POST with Basic
 * credentials and json_encode(['command' => ..., 'params' => ...]).
 */
export async function froxlor(base: string, key: string | null, command: string, params: unknown = [], options: { raw?: string; query?: string; headers?: Record<string, string> } = {}): Promise<FroxlorResult> {
  const headers: Record<string, string> = { "content-type": "application/json", ...(options.headers ?? {}) };
  if (key !== null) {
    const { user, secret } = froxlorPair(key);
    headers.authorization = `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
  }
  const body = options.raw ?? JSON.stringify({ command, params });
  const res = await fetch(`${base}/api.php${options.query ?? ""}`, { method: "POST", headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Runs the real curl binary (asynchronously: the server shares this process's event loop). */
export async function curl(args: string[]): Promise<{ status: number; headers: string; body: any; text: string }> {
  const { stdout } = await run("curl", ["-s", "-i", ...args], { encoding: "utf8" });
  const split = stdout.indexOf("\r\n\r\n");
  const head = stdout.slice(0, split);
  const text = stdout.slice(split + 4);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1] ?? 0);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status, headers: head, body, text };
}
