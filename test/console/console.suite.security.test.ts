import assert from "node:assert/strict";
import { csrfTokenOf } from "../../src/protocols/console/plugin.js";
import { AccountOps } from "../../src/modules/accounts/operations.js";
import { AuditOps } from "../../src/modules/audit/operations.js";
import { ApiKeyOps } from "../../src/modules/auth/operations.js";
import { CredentialOps } from "../../src/modules/credentials/operations.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import { LifecycleOps } from "../../src/modules/lifecycle/operations.js";
import type { TestServer } from "../helpers/harness.js";
import { accountLoginCredentials } from "../security/account-logins.js";
import { type CallInput, type Outcome, runSecuritySuite, type SecurityCase } from "../security/suite.js";

/** A console session: its cookie and the CSRF token writes carry. */
interface ConsoleCredential {
  cookie: string;
  csrf: string;
}
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
 * The console logs operator and reseller accounts in with login name and password (the shared
 * account-login credentials); the session cookie and its CSRF token are what every call carries.
 * An unknown credential is a well-formed session cookie no login issued, with its matching CSRF
 * token, so the refusal comes from the session check and not from the CSRF check.
 */
const consoleCredentials = accountLoginCredentials<ConsoleCredential>({
  async logIn(server, login) {
    const res = await fetch(`${server.url}/console/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(login) });
    const text = await res.text();
    assert.equal(res.status, 200, `console login of ${login.identifier}: ${text}`);
    return { cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "", csrf: (JSON.parse(text) as { csrf_token: string }).csrf_token };
  },
  unknown: () => {
    const token = "0123456789abcdef0123456789abcdef";
    return { cookie: `custos_console=${token}`, csrf: csrfTokenOf(token) };
  },
});

function consoleCall(method: string, path: (i: CallInput<ConsoleCredential>) => string, body?: unknown): (i: CallInput<ConsoleCredential>) => Promise<Res> {
  return async (i) => {
    const c = i.credential;
    if (c === null) return send(i.server, method, path(i), { body });
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
