import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import type { CustomerService } from "../customers/service.js";
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

export const customerTrailSchema = z.strictObject({
  limit: z.number().int().min(1).max(200).default(50),
  starting_after: z.string().regex(/^\d{1,15}$/, "must be a cursor from a previous page").optional(),
});

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
  /** One customer's audit trail, newest first: a customer the caller cannot see is not_found (not an empty trail). */
  customerTrail: defineCommand({
    operation: AuditOps.list,
    input: customerTrailSchema,
    errors: ["not_found"],
    async run({ auditReader, customers }: AuditCommandDeps & { customers: CustomerService }, { ctx, input, target }: { ctx: Context; input: z.output<typeof customerTrailSchema>; target: { ref: string } }) {
      const customer = await customers.get(ctx, target.ref);
      return auditReader.list(ctx, { target_type: "customer", target_id: String(customer.id), limit: String(input.limit), ...(input.starting_after ? { starting_after: input.starting_after } : {}) });
    },
  }),
} as const;
