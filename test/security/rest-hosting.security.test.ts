/**
 * The shared security suite over the REST routes of the hosting objects (issue 14): every
 * operation refused without or with bad credentials, outside the key's ACL, to a role without
 * its permission, and across tenants (another tenant's object answers exactly like a missing one).
 */
import { SettingsOps } from "../../src/modules/settings/operations.js";
import { api } from "../helpers/harness.js";
import { classifyRest, describeRest, type RestResult } from "./rest-outcome.js";
import { type CallInput, runSecuritySuite, type SecurityCase } from "./suite.js";

type Res = RestResult;

function rest(method: string, path: (i: CallInput) => string, body?: (i: CallInput) => unknown): (i: CallInput) => Promise<Res> {
  return (i) => {
    const b = body?.(i);
    return api(i.server.url, method, path(i), { key: i.credential, ...(b === undefined ? {} : { body: b }) });
  };
}

const cases: SecurityCase<Res>[] = [
  { operation: SettingsOps.registry, targeted: false, call: rest("GET", () => "/v1/settings-registry") },
  { operation: SettingsOps.get, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/settings`) },
  { operation: SettingsOps.set, call: rest("PUT", (i) => `/v1/customers/${i.target.customerId}/settings`, () => ({ settings: [{ key: "php.version", value: "8.2" }] })) },
];

runSecuritySuite<Res>({
  protocol: "REST hosting",
  cases,
  classify: classifyRest,
  describe: describeRest,
  mustCover: [...Object.values(SettingsOps)],
});
