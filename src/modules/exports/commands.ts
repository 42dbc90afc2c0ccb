import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import { ExportOps } from "./operations.js";
import { downloadTypeSchema, exportRequestSchema } from "./schema.js";
import type { ExportService } from "./service.js";

export interface ExportCommandDeps {
  exports: ExportService;
}

/** The customer whose data is exported (any customer reference). */
export interface ExportTarget {
  ref: string;
}

const listInput = z.strictObject({ type: downloadTypeSchema.optional() });

/**
 * Starting an export and listing downloads. Fetching a file by its token is no command: the token
 * is the credential, there is no principal to authorize (ExportService.download).
 */
export const ExportCommands = {
  request: defineCommand({
    operation: ExportOps.request,
    input: exportRequestSchema,
    errors: ["not_found"],
    run: ({ exports }: ExportCommandDeps, { ctx, input, target }: CommandCall<z.output<typeof exportRequestSchema>, ExportTarget>) => exports.request(ctx, target.ref, input),
  }),
  listDownloads: defineCommand({
    operation: ExportOps.listDownloads,
    input: listInput,
    errors: ["not_found"],
    run: ({ exports }: ExportCommandDeps, { ctx, input, target }: CommandCall<z.output<typeof listInput>, ExportTarget>) => exports.listDownloads(ctx, target.ref, input.type),
  }),
} as const;
