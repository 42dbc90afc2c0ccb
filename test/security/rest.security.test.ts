import { AccountOps } from "../../src/modules/accounts/operations.js";
import { AuditOps } from "../../src/modules/audit/operations.js";
import { ApiKeyOps, RoleOps } from "../../src/modules/auth/operations.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
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

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${++seq}`;

const cases: SecurityCase<Res>[] = [
  { operation: CustomerOps.create, targeted: false, call: rest("POST", () => "/v1/customers", () => ({ email: `sec${uniq()}@security.example`, company: "Sec" })) },
  { operation: CustomerOps.list, targeted: false, call: rest("GET", () => "/v1/customers") },
  { operation: CustomerOps.count, targeted: false, call: rest("GET", () => "/v1/customers/count") },
  { operation: CustomerOps.get, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}`) },
  { operation: CustomerOps.update, call: rest("PATCH", (i) => `/v1/customers/${i.target.customerId}`, () => ({ city: "Utrecht" })) },
  { operation: CustomerOps.delete, call: rest("DELETE", (i) => `/v1/customers/${i.target.customerId}`) },
  { operation: CustomerOps.purge, call: rest("POST", (i) => `/v1/customers/${i.target.customerId}/purge`) },
  {
    operation: CustomerOps.move,
    async call(i) {
      const op = await i.server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").orderBy("id").executeTakeFirstOrThrow();
      return api(i.server.url, "POST", `/v1/customers/${i.target.customerId}/move`, { key: i.credential, body: { owner_id: Number(op.id) } });
    },
  },
  { operation: AccountOps.createReseller, targeted: false, call: rest("POST", () => "/v1/resellers", () => ({ name: "Sec Reseller", email: `r${uniq()}@security.example` })) },
  { operation: AccountOps.listResellers, targeted: false, call: rest("GET", () => "/v1/resellers") },
  { operation: AccountOps.getReseller, call: rest("GET", (i) => `/v1/resellers/${i.target.resellerId}`) },
  { operation: ApiKeyOps.create, targeted: false, call: rest("POST", () => "/v1/api-keys", () => ({ name: "sec", roles: [] })) },
  { operation: ApiKeyOps.list, targeted: false, call: rest("GET", () => "/v1/api-keys") },
  { operation: ApiKeyOps.get, call: rest("GET", (i) => `/v1/api-keys/${i.target.keyId}`) },
  { operation: ApiKeyOps.update, call: rest("PATCH", (i) => `/v1/api-keys/${i.target.keyId}`, () => ({ name: "renamed" })) },
  { operation: ApiKeyOps.revoke, call: rest("DELETE", (i) => `/v1/api-keys/${i.target.keyId}`) },
  { operation: ApiKeyOps.aclList, call: rest("GET", (i) => `/v1/api-keys/${i.target.keyId}/acl`) },
  { operation: ApiKeyOps.aclCreate, call: rest("POST", (i) => `/v1/api-keys/${i.target.keyId}/acl`, () => ({ address: "198.51.100.7" })) },
  { operation: ApiKeyOps.aclUpdate, call: rest("PATCH", (i) => `/v1/api-keys/${i.target.keyId}/acl/${i.target.aclId}`, () => ({ description: "changed" })) },
  { operation: ApiKeyOps.aclDelete, call: rest("DELETE", (i) => `/v1/api-keys/${i.target.keyId}/acl/${i.target.aclId}`) },
  { operation: RoleOps.list, targeted: false, call: rest("GET", () => "/v1/roles") },
  { operation: AuditOps.list, targeted: false, call: rest("GET", () => "/v1/audit") },
  { operation: AuditOps.verify, targeted: false, call: rest("GET", () => "/v1/audit/verify") },
];


runSecuritySuite<Res>({
  protocol: "REST",
  cases,
  classify: classifyRest,
  describe: describeRest,
  mustCover: [...Object.values(CustomerOps), ...Object.values(AccountOps), ...Object.values(ApiKeyOps), ...Object.values(RoleOps), ...Object.values(AuditOps)],
});
