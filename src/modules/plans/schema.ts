import { z } from "zod";
import { token, text } from "../../core/fields.js";
import { resourcesSchema } from "../customers/schema.js";

/** The limits and switches a plan hands to a customer: a customer's resources without the plan link. */
export const planResourcesSchema = resourcesSchema.omit({ hosting_plan_id: true });

export const planCreateSchema = z
  .strictObject({
    name: token(1, 255).describe("Unique per owner; billing modules look plans up by it"),
    description: text(0, 1000).optional(),
    resources: planResourcesSchema.default({}),
    owner_id: z.number().int().positive().optional().describe("Account that owns the plan; defaults to the caller"),
  })
  .meta({ id: "HostingPlanCreate" });

export const planPatchSchema = z
  .strictObject({
    name: token(1, 255).optional(),
    description: text(0, 1000).optional(),
    resources: planResourcesSchema.optional().describe("Merged into the plan's resources"),
  })
  .meta({ id: "HostingPlanPatch" });

/** What a plan reference may be: its id, or `name:<name>`, or a bare name. */

export const planSchema = z
  .object({
    object: z.literal("hosting_plan"),
    id: z.number().int(),
    owner_id: z.number().int(),
    name: z.string(),
    description: z.string(),
    resources: planResourcesSchema,
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .meta({ id: "HostingPlan" });

export type PlanCreateInput = z.output<typeof planCreateSchema>;
export type PlanPatchInput = z.output<typeof planPatchSchema>;
export type Plan = z.output<typeof planSchema>;
