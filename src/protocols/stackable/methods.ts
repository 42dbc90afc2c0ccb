
import { AccessCommands } from "../../modules/access/commands.js";
import type { CustomerRoleView } from "../../modules/access/schema.js";
import { ApiKeyCommands } from "../../modules/auth/commands.js";
import type { AclEntryView, ApiKeyView, IssuedApiKey } from "../../modules/auth/schema.js";
import { CredentialCommands } from "../../modules/credentials/commands.js";
import { CustomerCommands } from "../../modules/customers/commands.js";
import type { Customer } from "../../modules/customers/schema.js";
import { LifecycleCommands } from "../../modules/lifecycle/commands.js";
import { issueRenamer } from "../kit/fields.js";
import { type MethodTable, method } from "../kit/rpc.js";
import { apiKey, apiKeyAcl, CANCELLATION, CREATE_ACL, CREATE_KEY, CUSTOMER_ONLY, EMAIL, KEY_ONLY, PASSWORD, PIN, role, UPDATE_ACL } from "./fields.js";
import { customer, nothing, result, type StackableCall, type StackableDeps, type Targeted, targeted } from "./binding.js";
import { hostingMethods } from "./hosting.js";

export type { StackableCall, StackableDeps } from "./binding.js";

/**
 * The Customer functions of seed 002 that Custos answers, each bound to the command it runs. The
 * same table serves the JSON proxy (`POST /Customer/{function}`), Thrift over HTTP and over AMQP.
 */
export function stackableMethods(deps: StackableDeps): MethodTable<StackableCall> {
  const { commands } = deps;
  return {
    ...hostingMethods(commands),
    requestCancellation: method({
      operation: LifecycleCommands.requestCancellation.name,
      decode: (p) => targeted(CANCELLATION, p, ["reason"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(LifecycleCommands.requestCancellation, ctx, input, customer(target)),
      encode: nothing,
      renameIssues: issueRenamer(CANCELLATION),
    }),
    createKey: method({
      operation: ApiKeyCommands.createForCustomer.name,
      decode: (p) => targeted(CREATE_KEY, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ApiKeyCommands.createForCustomer, ctx, { name: "Stackable API key", ...input, signing: true }, customer(target)),
      encode: (k: IssuedApiKey) => result(apiKey(k)),
      renameIssues: issueRenamer(CREATE_KEY),
    }),
    revokeKey: method({
      operation: ApiKeyCommands.revoke.name,
      decode: (p) => targeted(KEY_ONLY, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ApiKeyCommands.revoke, ctx, input, { keyId: target }),
      encode: nothing,
    }),
    getKeys: method({
      operation: AccessCommands.getKeys.name,
      decode: (p) => targeted(CREATE_KEY, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(AccessCommands.getKeys, ctx, input, customer(target)),
      encode: (keys: ApiKeyView[]) => result(keys.map(apiKey)),
      renameIssues: issueRenamer(CREATE_KEY),
    }),
    createKeyACL: method({
      operation: ApiKeyCommands.aclCreate.name,
      decode: (p) => targeted(CREATE_ACL, p, ["address", "cidr"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ApiKeyCommands.aclCreate, ctx, input, { keyId: target }),
      encode: (e: AclEntryView) => result(apiKeyAcl(e)),
      renameIssues: issueRenamer(CREATE_ACL),
    }),
    updateKeyACL: method({
      operation: ApiKeyCommands.aclUpdate.name,
      decode: (p) => targeted(UPDATE_ACL, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ApiKeyCommands.aclUpdate, ctx, input, { entryId: target }),
      encode: (e: AclEntryView) => result(apiKeyAcl(e)),
      renameIssues: issueRenamer(UPDATE_ACL),
    }),
    deleteKeyACL: method({
      operation: ApiKeyCommands.aclDelete.name,
      decode: (p) => targeted(KEY_ONLY, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ApiKeyCommands.aclDelete, ctx, input, { entryId: target }),
      encode: nothing,
    }),
    listRoles: method({
      operation: AccessCommands.listRoles.name,
      decode: (p) => targeted(CUSTOMER_ONLY, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(AccessCommands.listRoles, ctx, input, customer(target)),
      encode: (roles: CustomerRoleView[]) => result(roles.map(role)),
    }),
    getUsername: method({
      operation: CustomerCommands.get.name,
      decode: (p) => targeted(CUSTOMER_ONLY, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(CustomerCommands.get, ctx, input, customer(target)),
      encode: (c: Customer) => result(c.login),
    }),
    changePassword: method({
      operation: CustomerCommands.update.name,
      decode: (p) => targeted(PASSWORD, p, ["password"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(CustomerCommands.update, ctx, input, customer(target)),
      encode: nothing,
      renameIssues: issueRenamer(PASSWORD),
    }),
    changePIN: method({
      operation: CustomerCommands.update.name,
      decode: (p) => targeted(PIN, p, ["pin"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(CustomerCommands.update, ctx, input, customer(target)),
      encode: nothing,
      renameIssues: issueRenamer(PIN),
    }),
    // Like the REST API, the address changes once the customer confirms the token mailed to it.
    changeEmail: method({
      operation: CredentialCommands.requestEmailChange.name,
      decode: (p) => targeted(EMAIL, p, ["email"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(CredentialCommands.requestEmailChange, ctx, input, customer(target)),
      encode: nothing,
      renameIssues: issueRenamer(EMAIL),
    }),
  };
}
