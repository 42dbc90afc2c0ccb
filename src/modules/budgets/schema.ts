import { z } from "zod";
import { quota } from "../../core/fields.js";

/**
 * Resources a reseller's budget limits: how many customers it may have, and the sum of each quota
 * it may hand to them. Names are the customer's `resources.*` quota names.
 */
export const BUDGET_RESOURCES = ["customers", "diskspace_mb", "traffic_gb", "subdomains", "emails", "email_accounts", "email_forwarders", "email_quota_mb", "ftps", "mysqls"] as const;
export type BudgetResource = (typeof BUDGET_RESOURCES)[number];

const limits: Record<string, z.ZodOptional<typeof quota>> = {};
for (const r of BUDGET_RESOURCES) limits[r] = quota.optional().describe(`Limit for ${r}; -1 unlimited; omitted: unlimited`);

export const budgetSetSchema = z
  .strictObject(limits as { [K in BudgetResource]: z.ZodOptional<typeof quota> })
  .describe("Replaces the reseller's limits. A resource left out is unlimited.")
  .meta({ id: "BudgetSet" });

export const budgetLineSchema = z.object({
  limit: z.number().int().describe("-1: unlimited"),
  used: z.number().int().describe("Sum handed to the reseller's live customers (unlimited grants count 0)"),
  remaining: z.number().int().nullable().describe("null when unlimited"),
});

const lines: Record<string, z.ZodType> = {};
for (const r of BUDGET_RESOURCES) lines[r] = budgetLineSchema;

export const budgetSchema = z
  .object({
    object: z.literal("budget"),
    account_id: z.number().int(),
    resources: z.object(lines as { [K in BudgetResource]: typeof budgetLineSchema }),
  })
  .meta({ id: "Budget" });
export type Budget = z.output<typeof budgetSchema>;
