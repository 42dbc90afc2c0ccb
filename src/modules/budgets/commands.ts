import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { BudgetOps } from "./operations.js";
import { budgetSetSchema } from "./schema.js";
import type { BudgetService } from "./service.js";

export interface BudgetCommandDeps {
  budgets: BudgetService;
}

/** The reseller account whose budget it is. */
export interface BudgetTarget {
  accountId: number;
}

export const BudgetCommands = {
  get: defineCommand({
    operation: BudgetOps.get,
    input: z.strictObject({}),
    errors: ["not_found"],
    run: ({ budgets }: BudgetCommandDeps, { ctx, target }: { ctx: Context; target: BudgetTarget }) => budgets.get(ctx, target.accountId),
  }),
  set: defineCommand({
    operation: BudgetOps.set,
    input: budgetSetSchema,
    errors: ["not_found"],
    run: ({ budgets }: BudgetCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof budgetSetSchema>; target: BudgetTarget }) => budgets.set(ctx, target.accountId, input),
  }),
} as const;
