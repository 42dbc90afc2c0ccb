import { z } from "zod";
import { BudgetOps } from "../../modules/budgets/operations.js";
import { budgetSchema, budgetSetSchema } from "../../modules/budgets/schema.js";
import type { CommandRunner } from "../../core/commands.js";
import { type BudgetCommandDeps, BudgetCommands } from "../../modules/budgets/commands.js";
import { type AnyRoute, defineRoute } from "./route.js";

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** /v1/resellers/{id}/budget: what a reseller may hand out to its customers. */
export function budgetRoutes(commands: CommandRunner<BudgetCommandDeps>): AnyRoute[] {
  const tags = ["Resellers"];
  return [
    defineRoute({
      operation: BudgetOps.get,
      method: "GET",
      url: "/v1/resellers/:id/budget",
      summary: "A reseller's resource budget: limit, used and remaining per resource",
      description: "Operators read any reseller's budget, a reseller its own. A create or update that would exceed it is refused with 409 naming the resource.",
      tags,
      params: idParams,
      responses: { 200: budgetSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(BudgetCommands.get, ctx, {}, { accountId: params.id }) };
      },
    }),
    defineRoute({
      operation: BudgetOps.set,
      method: "PUT",
      url: "/v1/resellers/:id/budget",
      summary: "Set a reseller's resource limits (operators only)",
      description: "Replaces all limits; a resource left out is unlimited. What the reseller's live customers hold is recounted.",
      tags,
      params: idParams,
      body: budgetSetSchema,
      responses: { 200: budgetSchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(BudgetCommands.set, ctx, body, { accountId: params.id }) };
      },
    }),
  ];
}
