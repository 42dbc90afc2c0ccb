import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { PlanOps } from "./operations.js";
import { planCreateSchema, planPatchSchema } from "./schema.js";
import type { PlanService } from "./service.js";

export interface PlanCommandDeps {
  plans: PlanService;
}

/** A plan by id (number, `id:3`) or name (`name:Basic`). */
export interface PlanTarget {
  ref: string | number;
}

const nothing = z.strictObject({});

export const planListSchema = z.strictObject({
  limit: z.number().int().min(1).max(10_000).default(25),
  startingAfter: z.number().int().positive().optional(),
  name: z.string().max(255).optional(),
});

export const PlanCommands = {
  create: defineCommand({
    operation: PlanOps.create,
    input: planCreateSchema,
    errors: ["conflict", "not_found"],
    run: ({ plans }: PlanCommandDeps, { ctx, input }) => plans.create(ctx, input),
  }),
  get: defineCommand({
    operation: PlanOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ plans }: PlanCommandDeps, { ctx, target }: { ctx: Context; target: PlanTarget }) => plans.get(ctx, target.ref),
  }),
  list: defineCommand({
    operation: PlanOps.list,
    input: planListSchema,
    errors: [],
    run: ({ plans }: PlanCommandDeps, { ctx, input }) => plans.list(ctx, input),
  }),
  update: defineCommand({
    operation: PlanOps.update,
    input: planPatchSchema,
    errors: ["not_found", "conflict", "precondition_failed"],
    run: ({ plans }: PlanCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof planPatchSchema>; target: PlanTarget }) => plans.update(ctx, target.ref, input),
  }),
  delete: defineCommand({
    operation: PlanOps.delete,
    input: nothing,
    errors: ["not_found"],
    run: ({ plans }: PlanCommandDeps, { ctx, target }: { ctx: Context; target: PlanTarget }) => plans.delete(ctx, target.ref),
  }),
} as const;
