import xmlrpc from "xmlrpc";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import { LifecycleOps } from "../../src/modules/lifecycle/operations.js";
import { hashKey } from "../../src/modules/auth/service.js";
import type { TestServer } from "../helpers/harness.js";
import { basic, rest } from "../everlytic/helpers.js";
import { classifyRest, describeRest, type RestResult } from "./rest-outcome.js";
import { type CallInput, type Outcome, runSecuritySuite, type SecurityCase } from "./suite.js";

/**
 * Everlytic authenticates with Basic username:apikey on REST and XML-RPC. The suite hands out keys;
 * the user name sent with each is the key owner's own (account e-mail, customer login), so only
 * the key decides the outcome. An unknown key goes with a made-up name.
 */
async function username(server: TestServer, key: string): Promise<string> {
  const db = server.app.storage.db;
  const k = await db.selectFrom("api_keys").select(["principal_kind", "principal_id"]).where("secret_hash", "=", hashKey(key)).executeTakeFirst();
  if (!k) return "nobody@everlytic.example";
  if (k.principal_kind === "customer") return (await db.selectFrom("customers").select("login").where("id", "=", Number(k.principal_id)).executeTakeFirstOrThrow()).login;
  return (await db.selectFrom("accounts").select("email").where("id", "=", Number(k.principal_id)).executeTakeFirstOrThrow()).email || String(k.principal_id);
}

const authOf = async (i: CallInput) => (i.credential === null ? null : basic(await username(i.server, i.credential), i.credential));

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${++seq}`;

// ---- REST ----

const restCase = (method: string, path: (i: CallInput) => string, body?: () => unknown) => async (i: CallInput) => {
  const b = body?.();
  return rest(i.server.url, method, path(i), { auth: await authOf(i), ...(b === undefined ? {} : { body: b }) });
};

const restCases: SecurityCase<RestResult>[] = [
  { operation: CustomerOps.create, targeted: false, call: restCase("POST", () => "/api/2.0/customers", () => ({ name: "Sec Urity", email: `ev${uniq()}@security.example` })) },
  { operation: CustomerOps.list, targeted: false, call: restCase("GET", () => "/api/2.0/customers?page=1&count=5") },
  { operation: CustomerOps.get, call: restCase("GET", (i) => `/api/2.0/customers/${i.target.customerId}`) },
  { operation: CustomerOps.update, call: restCase("PUT", (i) => `/api/2.0/customers/${i.target.customerId}`, () => ({ address: "1 Safe Street" })) },
  { operation: LifecycleOps.suspend, label: "PUT status suspended (customer.suspend)", call: restCase("PUT", (i) => `/api/2.0/customers/${i.target.customerId}`, () => ({ status: "suspended" })) },
  { operation: CustomerOps.delete, call: restCase("DELETE", (i) => `/api/2.0/customers/${i.target.customerId}`) },
];

runSecuritySuite<RestResult>({
  protocol: "Everlytic REST",
  cases: restCases,
  classify: classifyRest,
  describe: describeRest,
  mustCover: [CustomerOps.create, CustomerOps.list, CustomerOps.get, CustomerOps.update, CustomerOps.delete, LifecycleOps.suspend],
});

// ---- XML-RPC ----

type RpcResult = { ok: true; value: unknown } | { ok: false; faultCode: number; faultString: string } | { ok: false; error: string };

const rpcCase = (method: string, params: (i: CallInput) => unknown[]) => async (i: CallInput): Promise<RpcResult> => {
  const user = i.credential === null ? undefined : await username(i.server, i.credential);
  const where = { host: "127.0.0.1", port: Number(new URL(i.server.url).port), path: "/api/2.0/xmlrpc/" };
  const client = xmlrpc.createClient(user !== undefined && i.credential !== null ? { ...where, basic_auth: { user, pass: i.credential } } : where);
  return new Promise((resolve) =>
    client.methodCall(method, params(i), (err, value) => {
      if (!err) resolve({ ok: true, value });
      else if (typeof (err as { faultCode?: unknown }).faultCode === "number") resolve({ ok: false, faultCode: (err as { faultCode: number }).faultCode, faultString: String((err as { faultString?: unknown }).faultString) });
      else resolve({ ok: false, error: String(err) });
    }),
  );
};

function classifyRpc(r: RpcResult): Outcome {
  if (r.ok) return "ok";
  if (!("faultCode" in r)) return "other";
  return r.faultCode === 401 ? "unauthenticated" : r.faultCode === 403 ? "forbidden" : r.faultCode === 404 ? "not_found" : "other";
}

const rpcCases: SecurityCase<RpcResult>[] = [
  { operation: CustomerOps.create, targeted: false, call: rpcCase("customers.CreateCustomer", () => [{ name: "Sec Urity", email: `evx${uniq()}@security.example` }]) },
  { operation: CustomerOps.list, targeted: false, call: rpcCase("customers.ListCustomers", () => [1, 5]) },
  { operation: CustomerOps.get, call: rpcCase("customers.GetCustomer", (i) => [i.target.customerId]) },
  { operation: CustomerOps.update, call: rpcCase("customers.UpdateCustomer", (i) => [i.target.customerId, { address: "1 Safe Street" }]) },
  { operation: LifecycleOps.suspend, label: "UpdateCustomer status suspended (customer.suspend)", call: rpcCase("UpdateCustomer", (i) => [i.target.customerId, { status: "suspended" }]) },
  { operation: CustomerOps.delete, call: rpcCase("customers.DeleteCustomer", (i) => [i.target.customerId]) },
];

runSecuritySuite<RpcResult>({
  protocol: "Everlytic XML-RPC",
  cases: rpcCases,
  classify: classifyRpc,
  describe: (r) => JSON.stringify(r),
  mustCover: [CustomerOps.create, CustomerOps.list, CustomerOps.get, CustomerOps.update, CustomerOps.delete, LifecycleOps.suspend],
});
