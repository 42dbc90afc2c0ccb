import { systemContext } from "../../src/core/context.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import { LifecycleOps } from "../../src/modules/lifecycle/operations.js";
import { PlanOps } from "../../src/modules/plans/operations.js";
import { froxlor, type FroxlorResult } from "../froxlor/client.js";
import type { TestServer } from "../helpers/harness.js";
import { apiKeyCredentials, type CredentialHook, type Outcome, runSecuritySuite, type SecurityCase } from "./suite.js";

/**
 * Froxlor api.php through the shared security suite, with API keys presented as Basic key:secret.
 * Froxlor answers every credential problem after "none" with the same 403 "Invalid authorization
 * credentials", an address outside allowed_from included; so the credential carries what it is,
 * and that 403 counts as "forbidden" for the ACL check and "unauthenticated" for the others.
 */
interface Credential {
  key: string;
  outsideAcl: boolean;
}

interface Answer {
  result: FroxlorResult;
  credential: Credential | null;
}

const credentials: CredentialHook<Credential> = {
  async acquire(request, env) {
    const key = await apiKeyCredentials.acquire(request, env);
    if (key === undefined || key === null) return key;
    return { key, outsideAcl: request.kind === "outside_acl" };
  },
};

function classify({ result, credential }: Answer): Outcome {
  const message = result.body?.message;
  if (result.status === 200) return "ok";
  if (result.status === 401 && message === "Unauthenticated. Please provide api user credentials.") return "unauthenticated";
  if (result.status === 403 && message === "Invalid authorization credentials") return credential?.outsideAcl ? "forbidden" : "unauthenticated";
  if (result.status === 403 && message === "Not allowed to execute given command.") return "forbidden";
  if (result.status === 401 && message === "You cannot access data of other customers") return "not_found";
  if (result.status === 404 && /could not be found/.test(String(message))) return "not_found";
  return "other";
}

const call = (command: string, params: (target: { customerId: number; resellerId: number }, server: TestServer) => Promise<Record<string, unknown>> | Record<string, unknown>) =>
  async ({ server, credential, target }: { server: TestServer; credential: Credential | null; target: { customerId: number; resellerId: number } }): Promise<Answer> => ({
    result: await froxlor(server.url, credential?.key ?? null, command, await params(target, server)),
    credential,
  });

let n = 0;
/** A plan to act on, made by the operator. */
async function plan(server: TestServer): Promise<number> {
  n++;
  const p = await server.app.services.plans.create(systemContext("test"), { name: `Security plan ${n} ${Math.random().toString(36).slice(2, 7)}` });
  return p.id;
}

const cases: SecurityCase<Answer, Credential>[] = [
  { operation: CustomerOps.list, targeted: false, call: call("Customers.listing", () => ({})) },
  { operation: CustomerOps.count, targeted: false, call: call("Customers.listingCount", () => ({})) },
  { operation: CustomerOps.get, call: call("Customers.get", (t) => ({ id: t.customerId })) },
  {
    operation: CustomerOps.create,
    targeted: false,
    call: call("Customers.add", () => ({ email: `sec${++n}.${Math.random().toString(36).slice(2, 7)}@froxlor.example`, company: "Security Co", new_customer_password: "Secur1ty-Passw0rd" })),
  },
  { operation: CustomerOps.update, call: call("Customers.update", (t) => ({ id: t.customerId, city: "Utrecht" })) },
  { operation: CustomerOps.delete, call: call("Customers.delete", (t) => ({ id: t.customerId, delete_userfiles: true })) },
  { operation: LifecycleOps.unlock, call: call("Customers.unlock", (t) => ({ id: t.customerId })) },
  { operation: CustomerOps.move, call: call("Customers.move", (t) => ({ id: t.customerId, adminid: 1 })) },
  { operation: PlanOps.list, targeted: false, call: call("HostingPlans.listing", () => ({})) },
  { operation: PlanOps.create, targeted: false, call: call("HostingPlans.add", () => ({ name: `Plan ${++n} ${Math.random().toString(36).slice(2, 7)}`, diskspace: 100 })) },
  { operation: PlanOps.get, targeted: false, call: call("HostingPlans.get", async (_t, s) => ({ id: await plan(s) })) },
  { operation: PlanOps.update, targeted: false, call: call("HostingPlans.update", async (_t, s) => ({ id: await plan(s), description: "changed" })) },
  { operation: PlanOps.delete, targeted: false, call: call("HostingPlans.delete", async (_t, s) => ({ id: await plan(s) })) },
];

runSecuritySuite<Answer, Credential>({
  protocol: "froxlor",
  credentials,
  classify,
  describe: ({ result }) => `${result.status} ${result.text.slice(0, 200)}`,
  cases,
  mustCover: [CustomerOps.list, CustomerOps.count, CustomerOps.get, CustomerOps.create, CustomerOps.update, CustomerOps.delete, CustomerOps.move, LifecycleOps.unlock, PlanOps.list, PlanOps.get, PlanOps.create, PlanOps.update, PlanOps.delete],
});
