import type { Services } from "../../app.js";
import { listOperations } from "../../core/operations.js";
import { AccountCredentialEvents } from "../../modules/credentials/account-operations.js";
import { CredentialEvents } from "../../modules/credentials/operations.js";
import { consoleRoutes } from "./routes.js";

/**
 * The console's column of the coverage matrix: its API routes as the route table names them,
 * the account login and logout, and a reason for every operation it leaves out.
 */
export function consoleBindings(): { method: string; operation: string }[] {
  // The table is read without running a handler, so no service is needed.
  const routes = consoleRoutes({} as Services).flatMap((r) => r.operations.map((op) => ({ method: `${r.method} ${r.url}`, operation: op.name })));
  return [
    { method: "POST /console/api/session", operation: AccountCredentialEvents.login },
    { method: "DELETE /console/api/session", operation: AccountCredentialEvents.logout },
    ...routes,
  ];
}

const EXPORTS = new Set(["customer.export", "download.list", "download.fetch"]);
const CUSTOMER_STEPS = new Set<string>([CredentialEvents.login, CredentialEvents.logout, CredentialEvents.emailConfirm]);

/** Why the console leaves an operation out; everything bound is skipped. */
export function consoleUnsupported(bound: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const op of listOperations()) {
    if (bound.has(op.name)) continue;
    if (op.name === "customer.import") out[op.name] = "Bulk import is command-line work (custos import customers)";
    else if (EXPORTS.has(op.name)) out[op.name] = "Exports are bulk work: the command line (custos export customers) or the REST API's export and download routes";
    else if (!op.principals.includes("operator") && !op.principals.includes("reseller")) out[op.name] = "Only customers call it; customers do not log in to the console";
    else if (op.name === "provisioning.set_status") out[op.name] = "Provisioning systems report statuses with operator API keys; nobody clicks it";
    else if (op.name.startsWith("account.")) out[op.name] = "Account logins and second factors are set over REST (or by an operator with the API); the console only logs in with them";
    else out[op.name] = "No console page for it yet; the REST API offers it";
  }
  for (const step of CUSTOMER_STEPS) out[step] = "Customers do not log in to the console; it logs in operator and reseller accounts";
  return out;
}
