import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { AccessCommands, type AccessDeps } from "../../modules/access/commands.js";
import { AccessOps } from "../../modules/access/operations.js";
import { customerRoleSchema, keyTypeFilter } from "../../modules/access/schema.js";
import { apiKeySchema } from "../../modules/auth/schema.js";
import { listOf, refParams } from "./hosting-common.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function accessRoutes(commands: CommandRunner<AccessDeps>): AnyRoute[] {
  return [
    defineRoute({
      operation: AccessOps.keys,
      method: "GET",
      url: "/v1/customers/:ref/api-keys",
      summary: "The customer's active API keys, optionally of one type (Stackable getKeys)",
      tags: ["API keys"],
      params: refParams,
      query: z.strictObject({ type: keyTypeFilter.optional().describe("Only keys of this type, e.g. standard") }),
      responses: { 200: listOf(apiKeySchema) },
      async handler({ ctx, params, query }) {
        return { status: 200, body: { object: "list", data: await commands.execute(AccessCommands.getKeys, ctx, query.type === undefined ? {} : { type: query.type }, { ref: params.ref }) } };
      },
    }),
    defineRoute({
      operation: AccessOps.roles,
      method: "GET",
      url: "/v1/customers/:ref/roles",
      summary: "The roles that apply to the customer, with how many of its keys carry each (Stackable listRoles)",
      tags: ["API keys"],
      params: refParams,
      responses: { 200: listOf(customerRoleSchema) },
      async handler({ ctx, params }) {
        return { status: 200, body: { object: "list", data: await commands.execute(AccessCommands.listRoles, ctx, {}, { ref: params.ref }) } };
      },
    }),
  ];
}
