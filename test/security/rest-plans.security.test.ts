import { systemContext } from "../../src/core/context.js";
import { BudgetOps } from "../../src/modules/budgets/operations.js";
import { PlanOps } from "../../src/modules/plans/operations.js";
import { UsageOps } from "../../src/modules/usage/operations.js";
import { api, type TestServer } from "../helpers/harness.js";
import { classifyRest, describeRest, type RestResult } from "./rest-outcome.js";
import { type CallInput, runSecuritySuite, type SecurityCase } from "./suite.js";

/** Hosting plans, reseller budgets and usage on REST through the shared security suite. */
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${++seq}`;

async function plan(server: TestServer): Promise<number> {
  return (await server.app.services.plans.create(systemContext("test"), { name: `Sec plan ${uniq()}` })).id;
}

const rest =
  (method: string, path: (i: CallInput) => Promise<string> | string, body?: (i: CallInput) => unknown) =>
  async (i: CallInput): Promise<RestResult> => {
    const b = body?.(i);
    return api(i.server.url, method, await path(i), { key: i.credential, ...(b === undefined ? {} : { body: b }) });
  };

const cases: SecurityCase<RestResult>[] = [
  { operation: PlanOps.create, targeted: false, call: rest("POST", () => "/v1/hosting-plans", () => ({ name: `Plan ${uniq()}`, resources: { emails: 5 } })) },
  { operation: PlanOps.list, targeted: false, call: rest("GET", () => "/v1/hosting-plans") },
  { operation: PlanOps.get, targeted: false, call: rest("GET", async (i) => `/v1/hosting-plans/${await plan(i.server)}`) },
  { operation: PlanOps.update, targeted: false, call: rest("PATCH", async (i) => `/v1/hosting-plans/${await plan(i.server)}`, () => ({ description: "changed" })) },
  { operation: PlanOps.delete, targeted: false, call: rest("DELETE", async (i) => `/v1/hosting-plans/${await plan(i.server)}`) },
  { operation: BudgetOps.get, call: rest("GET", (i) => `/v1/resellers/${i.target.resellerId}/budget`) },
  { operation: BudgetOps.set, call: rest("PUT", (i) => `/v1/resellers/${i.target.resellerId}/budget`, () => ({ customers: 100 })) },
  {
    operation: UsageOps.report,
    call: rest("POST", () => "/v1/usage", (i) => ({ samples: [{ customer_id: i.target.customerId, resource: "webspace_mb", value: 1, sampled_at: new Date().toISOString() }] })),
  },
  { operation: UsageOps.get, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/usage`) },
];

runSecuritySuite<RestResult>({
  protocol: "REST hosting plans, budgets, usage",
  cases,
  classify: classifyRest,
  describe: describeRest,
  mustCover: [...Object.values(PlanOps), ...Object.values(BudgetOps), ...Object.values(UsageOps)],
});
