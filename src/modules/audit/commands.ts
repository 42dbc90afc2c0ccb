import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import { AuditOps } from "./operations.js";
import type { AuditReader } from "./reader.js";

/** Reads of the audit log; the log itself is written by the services, never through a command. */
export interface AuditCommandDeps {
  auditReader: Pick<AuditReader, "list" | "verify">;
}

/**
 * The list query as the caller sent it: the reader validates it with auditQuerySchema (issues
 * name the query parameters), so the cursors it decodes are not decoded twice.
 */
const rawQuery = z.record(z.string(), z.unknown());

export const AuditCommands = {
  list: defineCommand({
    operation: AuditOps.list,
    input: rawQuery,
    errors: [],
    run: ({ auditReader }: AuditCommandDeps, { ctx, input }) => auditReader.list(ctx, input),
  }),
  verify: defineCommand({
    operation: AuditOps.verify,
    input: z.strictObject({}),
    errors: [],
    run: ({ auditReader }: AuditCommandDeps, { ctx }) => auditReader.verify(ctx),
  }),
} as const;
