import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { CustomerOps } from "../customers/operations.js";
import type { RawFilter } from "../customers/schema.js";
import type { CustomerDirectory } from "./directory.js";
import { UsageOps } from "./operations.js";
import { usageReportSchema } from "./schema.js";
import type { UsageService } from "./service.js";

export interface UsageCommandDeps {
  usage: UsageService;
  directory: CustomerDirectory;
}

export interface CustomerRefTarget {
  ref: string;
}

const rawFilter = z.object({ field: z.string().max(64), op: z.string().max(16), value: z.union([z.string().max(320), z.array(z.string().max(320)).max(100)]) });

/** A list query as a protocol decoded it; the customer service checks fields and operators. */
export const directoryListSchema = z.strictObject({
  filters: z.array(rawFilter).max(50),
  sort: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(10_000),
  offset: z.number().int().min(0).max(1_000_000).optional(),
  with_usage: z.boolean().default(false),
});

export const UsageCommands = {
  report: defineCommand({
    operation: UsageOps.report,
    input: usageReportSchema,
    errors: ["not_found"],
    run: ({ usage }: UsageCommandDeps, { ctx, input }) => usage.report(ctx, input),
  }),
  get: defineCommand({
    operation: UsageOps.get,
    input: z.strictObject({}),
    errors: ["not_found"],
    run: ({ usage }: UsageCommandDeps, { ctx, target }: { ctx: Context; target: CustomerRefTarget }) => usage.get(ctx, target.ref),
  }),
} as const;

/**
 * Customers as a hosting panel reads them: with the owner's name and, on request, current usage
 * (CustomerDirectory). Same operations and visibility as the plain customer reads.
 */
export const DirectoryCommands = {
  list: defineCommand({
    operation: CustomerOps.list,
    input: directoryListSchema,
    errors: [],
    run: ({ directory }: UsageCommandDeps, { ctx, input }) =>
      directory.list(ctx, { filters: input.filters as RawFilter[], sort: input.sort, limit: input.limit, offset: input.offset, includeTotal: false, includeDeleted: false }, input.with_usage),
  }),
  count: defineCommand({
    operation: CustomerOps.count,
    input: z.strictObject({ filters: z.array(rawFilter).max(50) }),
    errors: [],
    run: ({ directory }: UsageCommandDeps, { ctx, input }) => directory.count(ctx, input.filters as RawFilter[]),
  }),
  get: defineCommand({
    operation: CustomerOps.get,
    input: z.strictObject({ with_usage: z.boolean().default(false), live: z.boolean().default(false) }),
    errors: ["not_found"],
    run: ({ directory }: UsageCommandDeps, { ctx, input, target }: { ctx: Context; input: { with_usage: boolean; live: boolean }; target: CustomerRefTarget }) => directory.get(ctx, target.ref, input.with_usage, input.live),
  }),
} as const;
