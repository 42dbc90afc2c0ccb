import { systemContext } from "../../src/core/context.js";
import { PackageOps, QuotaOps } from "../../src/modules/messaging/operations.js";
import { api, type TestServer } from "../helpers/harness.js";
import { classifyRest, describeRest, type RestResult } from "./rest-outcome.js";
import { type CallInput, runSecuritySuite, type SecurityCase } from "./suite.js";

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${++seq}`;

/** A fresh package made by the platform, for the cases that act on one. */
async function aPackage(server: TestServer): Promise<number> {
  const p = await server.app.services.packages.create(systemContext("test"), { kind: "sms", name: `Sec SMS ${uniq()}`, volume: 10, period: "once", price: "1.00", currency: "EUR" });
  return p.id;
}

const call = (method: string, path: (i: CallInput, extra: number) => string, body?: () => unknown, setUp?: (i: CallInput) => Promise<number>) => async (i: CallInput) => {
  const extra = setUp ? await setUp(i) : 0;
  const b = body?.();
  return api(i.server.url, method, path(i, extra), { key: i.credential, ...(b === undefined ? {} : { body: b }) });
};

/** Gives the target customer something to debit, so the rightful debit succeeds. */
async function fund(i: CallInput): Promise<number> {
  await i.server.app.services.customers.update(systemContext("test"), `id:${i.target.customerId}`, { messaging: { email_send_quota: 1000 } }).catch(() => {});
  return 0;
}

const cases: SecurityCase<RestResult>[] = [
  { operation: PackageOps.create, targeted: false, call: call("POST", () => "/v1/message-packages", () => ({ kind: "email", name: `Sec ${uniq()}`, volume: 1, period: "once", price: "1", currency: "EUR" })) },
  { operation: PackageOps.list, targeted: false, call: call("GET", () => "/v1/message-packages") },
  { operation: PackageOps.get, targeted: false, call: call("GET", (_i, id) => `/v1/message-packages/${id}`, undefined, (i) => aPackage(i.server)) },
  { operation: PackageOps.update, targeted: false, call: call("PATCH", (_i, id) => `/v1/message-packages/${id}`, () => ({ volume: 20 }), (i) => aPackage(i.server)) },
  { operation: PackageOps.archive, targeted: false, call: call("POST", (_i, id) => `/v1/message-packages/${id}/archive`, undefined, (i) => aPackage(i.server)) },
  { operation: QuotaOps.read, call: call("GET", (i) => `/v1/customers/${i.target.customerId}/quotas`) },
  { operation: QuotaOps.debit, call: call("POST", (i) => `/v1/customers/${i.target.customerId}/quota-debits`, () => ({ kind: "email", units: 1, message_id: `sec-${uniq()}` }), fund) },
];

runSecuritySuite<RestResult>({
  protocol: "REST messaging",
  cases,
  classify: classifyRest,
  describe: describeRest,
  mustCover: [...Object.values(PackageOps), ...Object.values(QuotaOps)],
});
