import { AccountOps } from "../../src/modules/accounts/operations.js";
import { AuditOps } from "../../src/modules/audit/operations.js";
import { ApiKeyOps } from "../../src/modules/auth/operations.js";
import { CredentialOps } from "../../src/modules/credentials/operations.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import { LifecycleOps } from "../../src/modules/lifecycle/operations.js";
import type { TestServer } from "../helpers/harness.js";
import { apiKeyCredentials, type CallInput, type CredentialHook, type Outcome, runSecuritySuite, type SecurityCase } from "../security/suite.js";

/** A console session, or the refused login that stood in for one. */
type ConsoleCredential = { cookie: string; csrf: string } | { refused: Res };
interface Res {
  status: number;
  body: unknown;
}

async function send(server: TestServer, method: string, path: string, opts: { cookie?: string; csrf?: string; body?: unknown } = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers["x-csrf-token"] = opts.csrf;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${server.url}/console/api${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
}

/**
 * The console's login takes an account's API key for now (src/protocols/console/login.ts), so
 * every sort of key the suite asks for is turned into a console session by logging in with it;
 * a key the login refuses yields the refusal, which the case then answers with.
 */
const consoleCredentials: CredentialHook<ConsoleCredential> = {
  async acquire(request, env) {
    if (request.kind === "principal" && request.actor.kind === "customer") return undefined;
    const key = await apiKeyCredentials.acquire(request, env);
    if (key === null || key === undefined) return key;
    const res = await fetch(`${env.server.url}/console/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identifier: "key", password: key }) });
    const text = await res.text();
    const body = text === "" ? undefined : (JSON.parse(text) as { csrf_token?: string });
    if (res.status !== 200) return { refused: { status: res.status, body } };
    return { cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "", csrf: body?.csrf_token ?? "" };
  },
  unsupported: { principal: "customers cannot log in to the console (console.security.test.ts checks the refusal)" },
};

function consoleCall(method: string, path: (i: CallInput<ConsoleCredential>) => string, body?: unknown): (i: CallInput<ConsoleCredential>) => Promise<Res> {
  return async (i) => {
    const c = i.credential;
    if (c === null) return send(i.server, method, path(i), { body });
    if ("refused" in c) return c.refused;
    return send(i.server, method, path(i), { cookie: c.cookie, csrf: c.csrf, body });
  };
}

function classify(r: Res): Outcome {
  if (r.status >= 200 && r.status < 300) return "ok";
  if (r.status === 401) return "unauthenticated";
  if (r.status === 403) return "forbidden";
  if (r.status === 404) return "not_found";
  return "other";
}

const cases: SecurityCase<Res, ConsoleCredential>[] = [
  { operation: CustomerOps.list, targeted: false, call: consoleCall("GET", () => "/customers") },
  { operation: CustomerOps.get, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}`) },
  { operation: CustomerOps.update, call: consoleCall("PATCH", (i) => `/customers/${i.target.customerId}`, { city: "Utrecht" }) },
  { operation: CustomerOps.delete, call: consoleCall("DELETE", (i) => `/customers/${i.target.customerId}`) },
  { operation: LifecycleOps.read, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/lifecycle`) },
  { operation: LifecycleOps.suspend, call: consoleCall("POST", (i) => `/customers/${i.target.customerId}/lifecycle/suspend`, { reason: "security suite" }) },
  { operation: CredentialOps.status, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/credentials`) },
  { operation: ApiKeyOps.list, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/keys`) },
  { operation: AuditOps.list, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/audit`) },
  { operation: AccountOps.listResellers, targeted: false, call: consoleCall("GET", () => "/resellers") },
];

runSecuritySuite<Res, ConsoleCredential>({ protocol: "console", cases, credentials: consoleCredentials, classify, describe: (r) => JSON.stringify(r).slice(0, 300) });
