import { z } from "zod";
import { AccountOps } from "../../modules/accounts/operations.js";
import { accountSchema, resellerCreateSchema } from "../../modules/accounts/schema.js";
import type { CommandRunner } from "../../core/commands.js";
import { AccountCommands, type AccountCommandDeps } from "../../modules/accounts/commands.js";
import { type AnyRoute, defineRoute } from "./route.js";

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  starting_after: z.coerce.number().int().positive().optional().describe("Cursor: next_cursor of the previous page"),
});
const accountOut = accountSchema;
const listOut = z.object({ object: z.literal("list"), data: z.array(accountOut), has_more: z.boolean(), next_cursor: z.string().nullable() });

export function accountRoutes(commands: CommandRunner<AccountCommandDeps>): AnyRoute[] {
  const tags = ["Resellers"];
  return [
    defineRoute({
      operation: AccountOps.createReseller,
      method: "POST",
      url: "/v1/resellers",
      summary: "Create a reseller (operators only)",
      tags,
      body: resellerCreateSchema,
      responses: { 201: accountOut },
      idempotent: true,
      async handler({ ctx, body }) {
        const a = await commands.execute(AccountCommands.createReseller, ctx, body, undefined);
        return { status: 201, body: a, headers: { location: `/v1/resellers/${a.id}` } };
      },
    }),
    defineRoute({
      operation: AccountOps.listResellers,
      method: "GET",
      url: "/v1/resellers",
      summary: "List resellers (operators only)",
      tags,
      query: pageQuery,
      responses: { 200: listOut },
      async handler({ ctx, query }) {
        const q = query.starting_after === undefined ? { limit: query.limit } : { limit: query.limit, startingAfter: query.starting_after };
        return { status: 200, body: { object: "list", ...(await commands.execute(AccountCommands.listResellers, ctx, q, undefined)) } };
      },
    }),
    defineRoute({
      operation: AccountOps.getReseller,
      method: "GET",
      url: "/v1/resellers/:id",
      summary: "Get a reseller (operators only)",
      tags,
      params: idParams,
      responses: { 200: accountOut },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(AccountCommands.getReseller, ctx, {}, { id: params.id }) };
      },
    }),
  ];
}
