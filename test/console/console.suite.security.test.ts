import assert from "node:assert/strict";
import { csrfTokenOf } from "../../src/protocols/console/plugin.js";
import { WebhookCommands } from "../../src/modules/events/commands.js";
import { AccountOps } from "../../src/modules/accounts/operations.js";
import { AuditOps } from "../../src/modules/audit/operations.js";
import { ApiKeyOps } from "../../src/modules/auth/operations.js";
import { CredentialOps } from "../../src/modules/credentials/operations.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import { LifecycleOps } from "../../src/modules/lifecycle/operations.js";
import type { Services } from "../../src/app.js";
import { systemContext } from "../../src/core/context.js";
import type { OperationDef } from "../../src/core/operations.js";
import type { LifecycleAction } from "../../src/modules/lifecycle/service.js";
import { consoleRoutes } from "../../src/protocols/console/routes.js";
import { WebhookOps } from "../../src/modules/events/operations.js";
import { PackageOps } from "../../src/modules/messaging/operations.js";
import { NoticeOps } from "../../src/modules/notices/operations.js";
import { FtpOps } from "../../src/modules/ftp/operations.js";
import { PlanOps } from "../../src/modules/plans/operations.js";
import { ProvisioningOps } from "../../src/modules/provisioning/operations.js";
import { SiteOps } from "../../src/modules/sites/operations.js";
import { startServer, type TestServer } from "../helpers/harness.js";
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

const sys = systemContext("test");
const MISSING = 987654;
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${++seq}`;

/** Objects the cases act on, made with the system context; the missing bundle gets an id nothing has. */
const planOf = async (i: CallInput<ConsoleCredential>) =>
  i.target.resellerId === MISSING ? MISSING : (await i.server.app.services.plans.create(sys, { name: `Console plan ${uniq()}`, owner_id: i.target.resellerId })).id;
const packageOf = async (i: CallInput<ConsoleCredential>) =>
  (await i.server.app.services.packages.create(sys, { kind: "email", name: `Console package ${uniq()}`, volume: 10, period: "monthly", price: "1.00", currency: "EUR" })).id;
const noticeOf = async (i: CallInput<ConsoleCredential>) =>
  i.target.customerId === MISSING ? MISSING : (await i.server.app.services.hosting.notices.create(sys, { customer_id: i.target.customerId, title: "console suite" })).id;
// A public address that is never contacted: the suite's servers run without the dispatcher.
const endpointOf = async (i: CallInput<ConsoleCredential>) =>
  i.target.resellerId === MISSING ? MISSING : (await i.server.app.services.commands.execute(WebhookCommands.create, sys, { url: "https://93.184.216.34/console-suite", owner_id: i.target.resellerId }, undefined)).id;
const deliveryOf = async (i: CallInput<ConsoleCredential>, endpoint: number) => (endpoint === MISSING ? MISSING : (await i.server.app.services.webhooks.ping(sys, endpoint)).id);

/** A new customer of the target's owner, put into a state by `setup` (the missing bundle keeps its id). */
async function scratch(i: CallInput<ConsoleCredential>, setup?: (ref: string) => Promise<unknown>): Promise<number> {
  if (i.target.customerId === MISSING) return MISSING;
  const c = await i.server.app.services.customers.create(sys, { email: `console${uniq()}@sec.example`, company: "Scratch", owner_id: i.target.resellerId });
  if (setup) await setup(`id:${c.id}`);
  return c.id;
}
const transition = (i: CallInput<ConsoleCredential>, action: LifecycleAction, reason?: string) => (ref: string) =>
  i.server.app.services.lifecycle.transition(sys, ref, action, reason === undefined ? {} : { reason });
/** A life-cycle action on a fresh customer in the state the action starts from. */
function lifecycleCase(
  operation: OperationDef,
  action: LifecycleAction,
  before?: (i: CallInput<ConsoleCredential>) => (ref: string) => Promise<unknown>,
  body: unknown = {},
): SecurityCase<Res, ConsoleCredential> {
  return {
    operation,
    call: async (i) => {
      const id = await scratch(i, before?.(i));
      return consoleCall("POST", () => `/customers/${id}/lifecycle/${action}`, body)(i);
    },
  };
}

const siteOf = async (i: CallInput<ConsoleCredential>) => {
  if (i.target.customerId === MISSING) return MISSING;
  const n = uniq();
  const site = { site_name: `c${n}`, site_hostname: `c${n}.console.example`, container_name: "web", environment_names: ["production"], container_type: "static", container_os_id: "debian-12", container_disk_space: 10, container_size: 1 };
  return (await i.server.app.services.hosting.sites.wizard(sys, i.target.customerId, site)).id;
};

/** A call on an object made first (`make`), addressed by `path`. */
function onObject(method: string, make: (i: CallInput<ConsoleCredential>) => Promise<number>, path: (id: number, i: CallInput<ConsoleCredential>) => Promise<string> | string, body?: unknown) {
  return async (i: CallInput<ConsoleCredential>): Promise<Res> => {
    const url = await path(await make(i), i);
    return consoleCall(method, () => url, body)(i);
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
  lifecycleCase(LifecycleOps.unsuspend, "unsuspend", (i) => transition(i, "suspend", "security suite")),
  lifecycleCase(LifecycleOps.deactivate, "deactivate"),
  lifecycleCase(LifecycleOps.reactivate, "reactivate", (i) => transition(i, "deactivate")),
  lifecycleCase(LifecycleOps.unlock, "unlock", (i) => async (ref) => {
    await i.server.app.storage.db.updateTable("customers").set({ status: "locked" }).where("id", "=", Number(ref.slice(3))).execute();
    i.server.app.services.customers.accessChanged(Number(ref.slice(3)));
  }),
  lifecycleCase(LifecycleOps.requestCancellation, "request_cancellation", undefined, { reason: "moving away" }),
  lifecycleCase(LifecycleOps.withdrawCancellation, "withdraw_cancellation", (i) => transition(i, "request_cancellation", "moving away")),
  lifecycleCase(LifecycleOps.close, "close"),
  {
    operation: LifecycleOps.anonymise,
    call: async (i) => {
      const id = await scratch(i, (ref) => i.server.app.services.customers.delete(sys, ref));
      return consoleCall("POST", () => `/customers/${id}/anonymise`)(i);
    },
  },
  { operation: CredentialOps.status, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/credentials`) },
  { operation: ApiKeyOps.list, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/keys`) },
  { operation: ApiKeyOps.aclList, label: "apikey.acl.list (with the keys)", call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/keys`) },
  { operation: AuditOps.list, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/audit`) },
  { operation: AccountOps.listResellers, targeted: false, call: consoleCall("GET", () => "/resellers") },
  // Hosting plans: a reseller's own (another reseller's looks missing); operators' plans are everyone's to read.
  { operation: PlanOps.list, targeted: false, call: consoleCall("GET", () => "/plans") },
  { operation: PlanOps.create, targeted: false, call: (i) => consoleCall("POST", () => "/plans", { name: `Console ${uniq()}`, resources: { emails: 5 } })(i) },
  { operation: PlanOps.get, rightful: "reseller", call: onObject("GET", planOf, (id) => `/plans/${id}`) },
  { operation: PlanOps.update, rightful: "reseller", call: onObject("PATCH", planOf, (id) => `/plans/${id}`, { description: "changed" }) },
  { operation: PlanOps.delete, rightful: "reseller", call: onObject("DELETE", planOf, (id) => `/plans/${id}`) },
  // Message packages: the operators' catalogue.
  { operation: PackageOps.list, targeted: false, call: consoleCall("GET", () => "/packages") },
  { operation: PackageOps.create, targeted: false, call: (i) => consoleCall("POST", () => "/packages", { kind: "sms", name: `Console ${uniq()}`, volume: 1, period: "once", price: "1", currency: "EUR" })(i) },
  { operation: PackageOps.get, targeted: false, call: onObject("GET", packageOf, (id) => `/packages/${id}`) },
  { operation: PackageOps.update, targeted: false, call: onObject("PATCH", packageOf, (id) => `/packages/${id}`, { volume: 20 }) },
  { operation: PackageOps.archive, targeted: false, call: onObject("POST", packageOf, (id) => `/packages/${id}/archive`) },
  // Notices of a customer.
  { operation: NoticeOps.create, call: (i) => consoleCall("POST", () => "/notices", { customer_id: i.target.customerId, title: "hello" })(i) },
  { operation: NoticeOps.get, call: onObject("GET", noticeOf, (id) => `/notices/${id}`) },
  { operation: NoticeOps.update, call: onObject("PATCH", noticeOf, (id) => `/notices/${id}`, { title: "changed" }) },
  { operation: NoticeOps.delete, call: onObject("DELETE", noticeOf, (id) => `/notices/${id}`) },
  { operation: NoticeOps.list, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/notices`) },
  // Provisioning: a customer's sites and FTP users; statuses are reported by operators.
  { operation: SiteOps.list, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/sites`) },
  { operation: FtpOps.list, call: consoleCall("GET", (i) => `/customers/${i.target.customerId}/ftp-users`) },
  { operation: ProvisioningOps.setStatus, call: onObject("PUT", siteOf, (id) => `/provisioning/site/${id}/status`, { status: "active" }) },
  // Webhook endpoints of a reseller.
  { operation: WebhookOps.list, targeted: false, call: consoleCall("GET", () => "/webhooks") },
  { operation: WebhookOps.create, targeted: false, call: consoleCall("POST", () => "/webhooks", { url: "https://93.184.216.34/console-suite" }) },
  { operation: WebhookOps.get, rightful: "reseller", call: onObject("GET", endpointOf, (id) => `/webhooks/${id}`) },
  { operation: WebhookOps.update, rightful: "reseller", call: onObject("PATCH", endpointOf, (id) => `/webhooks/${id}`, { description: "changed" }) },
  { operation: WebhookOps.delete, rightful: "reseller", call: onObject("DELETE", endpointOf, (id) => `/webhooks/${id}`) },
  { operation: WebhookOps.rotateSecret, rightful: "reseller", call: onObject("POST", endpointOf, (id) => `/webhooks/${id}/rotate-secret`, {}) },
  { operation: WebhookOps.ping, rightful: "reseller", call: onObject("POST", endpointOf, (id) => `/webhooks/${id}/ping`) },
  { operation: WebhookOps.deliveries, rightful: "reseller", call: onObject("GET", endpointOf, (id) => `/webhooks/${id}/deliveries`) },
  { operation: WebhookOps.redeliver, rightful: "reseller", call: onObject("POST", endpointOf, async (id, i) => `/webhooks/${id}/deliveries/${await deliveryOf(i, id)}/redeliver`) },
];

runSecuritySuite<Res, ConsoleCredential>({
  protocol: "console",
  cases,
  credentials: consoleCredentials,
  classify,
  describe: (r) => JSON.stringify(r).slice(0, 300),
  start: (dialect) => startServer(dialect, { rateLimit: 0, events: { dispatch: false } }),
  // Every operation the console binds (its route table) has a case.
  mustCover: consoleRoutes({} as Services).flatMap((r) => r.operations),
});
