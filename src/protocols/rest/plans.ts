import { z } from "zod";
import { PlanOps } from "../../modules/plans/operations.js";
import { planCreateSchema, planPatchSchema, planSchema } from "../../modules/plans/schema.js";
import type { CommandRunner } from "../../core/commands.js";
import { type PlanCommandDeps, PlanCommands } from "../../modules/plans/commands.js";
import { type AnyRoute, defineRoute } from "./route.js";

const refParams = z.object({ ref: z.string().min(1).max(300).describe("The plan's id, or name:<name>") });
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  starting_after: z.coerce.number().int().positive().optional().describe("Cursor: next_cursor of the previous page"),
  name: z.string().min(1).max(255).optional().describe("Only the plan with exactly this name"),
});
const planOut = planSchema;
const listOut = z.object({ object: z.literal("list"), data: z.array(planOut), has_more: z.boolean(), next_cursor: z.string().nullable() });

/** /v1/hosting-plans: named sets of resource limits (Froxlor HostingPlans). */
export function planRoutes(commands: CommandRunner<PlanCommandDeps>): AnyRoute[] {
  const tags = ["Hosting plans"];
  return [
    defineRoute({
      operation: PlanOps.create,
      method: "POST",
      url: "/v1/hosting-plans",
      summary: "Create a hosting plan",
      description: "Give a customer the plan's values with resources.hosting_plan_id on create or update. The values are copied: changing the plan later does not change existing customers.",
      tags,
      body: planCreateSchema,
      responses: { 201: planOut },
      idempotent: true,
      async handler({ ctx, body }) {
        const p = await commands.execute(PlanCommands.create, ctx, body, undefined);
        return { status: 201, body: p, headers: { location: `/v1/hosting-plans/${p.id}` } };
      },
    }),
    defineRoute({
      operation: PlanOps.list,
      method: "GET",
      url: "/v1/hosting-plans",
      summary: "List hosting plans (a reseller sees its own and the operators')",
      tags,
      query: listQuery,
      responses: { 200: listOut },
      async handler({ ctx, query }) {
        return { status: 200, body: { object: "list", ...(await commands.execute(PlanCommands.list, ctx, { limit: query.limit, ...(query.starting_after !== undefined ? { startingAfter: query.starting_after } : {}), ...(query.name !== undefined ? { name: query.name } : {}) }, undefined)) } };
      },
    }),
    defineRoute({
      operation: PlanOps.get,
      method: "GET",
      url: "/v1/hosting-plans/:ref",
      summary: "Get a hosting plan by id or name",
      tags,
      params: refParams,
      responses: { 200: planOut },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(PlanCommands.get, ctx, {}, { ref: params.ref }) };
      },
    }),
    defineRoute({
      operation: PlanOps.update,
      method: "PATCH",
      url: "/v1/hosting-plans/:ref",
      summary: "Change a hosting plan",
      description: "Existing customers keep the values they were given; send their hosting_plan_id again to copy the new values.",
      tags,
      params: refParams,
      body: planPatchSchema,
      responses: { 200: planOut },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(PlanCommands.update, ctx, body, { ref: params.ref }) };
      },
    }),
    defineRoute({
      operation: PlanOps.delete,
      method: "DELETE",
      url: "/v1/hosting-plans/:ref",
      summary: "Delete a hosting plan (customers keep their values); returns the plan as it was",
      tags,
      params: refParams,
      responses: { 200: planOut },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(PlanCommands.delete, ctx, {}, { ref: params.ref }) };
      },
    }),
  ];
}
