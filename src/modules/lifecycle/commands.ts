import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import type { CustomerTarget } from "../customers/commands.js";
import { LifecycleOps } from "./operations.js";
import type { LifecycleService } from "./service.js";

export interface LifecycleCommandDeps {
  lifecycle: LifecycleService;
}

export const cancellationRequestSchema = z.strictObject({ reason: z.string().trim().min(1, "is required").max(1000).describe("Why the customer wants to leave") });

export const LifecycleCommands = {
  requestCancellation: defineCommand({
    operation: LifecycleOps.requestCancellation,
    input: cancellationRequestSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ lifecycle }: LifecycleCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof cancellationRequestSchema>; target: CustomerTarget }) =>
      lifecycle.transition(ctx, target.ref, "request_cancellation", { reason: input.reason }),
  }),
} as const;
