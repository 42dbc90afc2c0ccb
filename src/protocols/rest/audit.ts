import { z } from "zod";
import { AuditOps } from "../../modules/audit/operations.js";
import type { CommandRunner } from "../../core/commands.js";
import { AuditCommands, type AuditCommandDeps } from "../../modules/audit/commands.js";
import { auditEntrySchema, auditQuerySchema, chainVerificationSchema } from "../../modules/audit/reader.js";
import { type AnyRoute, defineRoute } from "./route.js";

const listOut = z.object({
  object: z.literal("list"),
  data: z.array(auditEntrySchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
  prev_cursor: z.string().nullable(),
});

export function auditRoutes(commands: CommandRunner<AuditCommandDeps>): AnyRoute[] {
  const tags = ["Audit"];
  return [
    defineRoute({
      operation: AuditOps.list,
      method: "GET",
      url: "/v1/audit",
      summary: "Read the audit log, newest first",
      description: "Filter by operation, target_type, target_id, actor (kind:id), request_id, since/until; page with starting_after/ending_before.",
      tags,
      query: auditQuerySchema,
      responses: { 200: listOut },
      async handler({ ctx, request }) {
        return { status: 200, body: { object: "list", ...(await commands.execute(AuditCommands.list, ctx, request.query ?? {}, undefined)) } };
      },
    }),
    defineRoute({
      operation: AuditOps.verify,
      method: "GET",
      url: "/v1/audit/verify",
      summary: "Recompute the hash chain and report the first broken entry",
      tags,
      responses: { 200: chainVerificationSchema },
      async handler({ ctx }) {
        const v = await commands.execute(AuditCommands.verify, ctx, {}, undefined);
        return { status: 200, body: {
            object: "audit_verification",
            ok: v.ok,
            entries: v.entries,
            broken_at: v.brokenAt,
            reason: v.reason,
            unsealed: v.unsealed,
            oldest_unsealed_at: v.oldestUnsealedAt,
            checkpoints: v.checkpoints,
            signed_checkpoints: v.signedCheckpoints,
          },
        };
      },
    }),
  ];
}
