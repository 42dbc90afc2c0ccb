import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { CustomerTarget } from "../customers/commands.js";
import { CustomerOps } from "../customers/operations.js";
import { customerPatchSchema } from "../customers/schema.js";
import type { CustomerService } from "../customers/service.js";
import { LifecycleOps } from "./operations.js";
import { transitionBodySchema } from "./schema.js";
import { LIFECYCLE_ACTIONS, type LifecycleAction, type LifecycleService, STATUS_TARGETS, stepTowards, TRANSITIONS } from "./service.js";

export interface LifecycleCommandDeps {
  customers: CustomerService;
  lifecycle: LifecycleService;
}

export const cancellationRequestSchema = z.strictObject({ reason: z.string().trim().min(1, "is required").max(1000).describe("Why the customer wants to leave") });

/** A profile patch that may also name the status the customer should be in. */
export const customerUpdateWithStatusSchema = customerPatchSchema
  .extend({
    status: z.enum(STATUS_TARGETS).optional().describe("The status to move to, through the one life-cycle transition (or deletion) that reaches it"),
    status_reason: z.string().trim().min(1).max(500).optional().describe("Reason recorded when the transition needs one (suspend)"),
  })
  .describe("Profile fields and a target status, written together or not at all.");

const nothing = z.strictObject({});

/** One life-cycle transition (suspend, close, ...), each under its own operation and permission. */
function transitionCommand(action: LifecycleAction) {
  return defineCommand({
    operation: TRANSITIONS[action].op,
    input: transitionBodySchema,
    errors: ["not_found", "invalid_state_transition", "precondition_failed"],
    run: ({ lifecycle }: LifecycleCommandDeps, { ctx, input, target }: CommandCall<z.output<typeof transitionBodySchema>, CustomerTarget>) => lifecycle.transition(ctx, target.ref, action, input),
  });
}

export const TransitionCommands = Object.fromEntries(LIFECYCLE_ACTIONS.map((action) => [action, transitionCommand(action)])) as Record<LifecycleAction, ReturnType<typeof transitionCommand>>;

export const LifecycleCommands = {
  read: defineCommand({
    operation: LifecycleOps.read,
    input: nothing,
    errors: ["not_found"],
    run: ({ lifecycle }: LifecycleCommandDeps, { ctx, target }: CommandCall<unknown, CustomerTarget>) => lifecycle.get(ctx, target.ref),
  }),
  anonymise: defineCommand({
    operation: LifecycleOps.anonymise,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ lifecycle }: LifecycleCommandDeps, { ctx, target }: CommandCall<unknown, CustomerTarget>) => lifecycle.anonymise(ctx, target.ref),
  }),
  requestCancellation: defineCommand({
    operation: LifecycleOps.requestCancellation,
    input: cancellationRequestSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ lifecycle }: LifecycleCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof cancellationRequestSchema>; target: CustomerTarget }) =>
      lifecycle.transition(ctx, target.ref, "request_cancellation", { reason: input.reason }),
  }),
  /**
   * Fields and a status in one use case (a protocol that sets both in one call): the field update, then the
   * transition that reaches the target, each with its own permission, rules and audit entry,
   * exactly as the separate REST calls; all in the command's one transaction. A target already
   * held changes nothing; one that no transition reaches is refused naming from and to.
   */
  updateWithStatus: defineCommand({
    operation: CustomerOps.update,
    input: customerUpdateWithStatusSchema,
    errors: ["not_found", "conflict", "precondition_failed", "invalid_state_transition"],
    async run({ customers, lifecycle }: LifecycleCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof customerUpdateWithStatusSchema>; target: CustomerTarget }) {
      const { status, status_reason, ...patch } = input;
      const current = Object.keys(patch).length > 0 ? await customers.update(ctx, target.ref, patch, target.expectedVersion) : await customers.get(ctx, target.ref);
      if (status === undefined) return current;
      const from = current.deleted ? "deleted" : current.status;
      const step = stepTowards(from, status);
      if (step === null) return current;
      const ref = `id:${current.id}`;
      if (step === "delete") return customers.delete(ctx, ref);
      if (step === "refused") {
        throw new AppError("invalid_state_transition", `Cannot set status ${status}: a customer that is ${from} cannot go there`, {
          issues: [{ field: "status", code: "invalid_value", message: `transition from ${from} to ${status} is not allowed` }],
        });
      }
      return lifecycle.transition(ctx, ref, step, TRANSITIONS[step].reason ? { reason: status_reason } : {});
    },
  }),
} as const;
