import { z } from "zod";
import { UsageOps } from "../../modules/usage/operations.js";
import { usageReportResultSchema, usageReportSchema, usageSchema } from "../../modules/usage/schema.js";
import type { CommandRunner } from "../../core/commands.js";
import { type UsageCommandDeps, UsageCommands } from "../../modules/usage/commands.js";
import { type AnyRoute, defineRoute } from "./route.js";

/** Usage reporting (provisioning systems) and reading (anyone who may read the customer). */
export function usageRoutes(commands: CommandRunner<UsageCommandDeps>): AnyRoute[] {
  const tags = ["Usage"];
  return [
    defineRoute({
      operation: UsageOps.report,
      method: "POST",
      url: "/v1/usage",
      summary: "Report usage samples (batch of up to 1000)",
      description: "Idempotent per (customer, resource, sampled_at): samples stored before are counted as duplicates and change nothing.",
      tags,
      body: usageReportSchema,
      responses: { 200: usageReportResultSchema },
      async handler({ ctx, body }) {
        return { status: 200, body: await commands.execute(UsageCommands.report, ctx, body, undefined) };
      },
    }),
    defineRoute({
      operation: UsageOps.get,
      method: "GET",
      url: "/v1/customers/:ref/usage",
      summary: "A customer's current usage per resource, with its quotas and over-quota flags",
      tags,
      params: z.object({ ref: z.string().min(1).max(320) }),
      responses: { 200: usageSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(UsageCommands.get, ctx, {}, { ref: params.ref }) };
      },
    }),
  ];
}
