import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { PASSWORD_MAX } from "../credentials/schema.js";
import { CustomerOps } from "../customers/operations.js";
import { LifecycleOps } from "../lifecycle/operations.js";
import type { PanelAccountService } from "./service.js";

export interface PanelCommandDeps {
  panel: PanelAccountService;
}

export interface CustomerRefTarget {
  ref: string;
}

const password = z.string().max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);
/** The customer fields are checked by the customer service with its own schema (canonical names in errors). */
const fields = z.record(z.string(), z.unknown());

export const panelCreateSchema = z.strictObject({
  customer: fields.describe("A customer create body"),
  password: password.optional().describe("Generated when absent"),
  sendPassword: z.boolean().optional().describe("Mail a generated password to the customer"),
});

export const panelUpdateSchema = z.strictObject({
  patch: fields.describe("A customer patch; may be empty"),
  password: password.optional(),
  active: z.boolean().optional().describe("true: reactivate / unsuspend / unlock; false: deactivate"),
  ownerId: z.number().int().positive().optional().describe("Hand the customer to this account"),
});

/**
 * Composite customer writes billing and provisioning systems send as one call; each is one
 * transaction (PanelAccountService).
 */
export const PanelCommands = {
  create: defineCommand({
    operation: CustomerOps.create,
    input: panelCreateSchema,
    errors: ["conflict", "not_found"],
    run: ({ panel }: PanelCommandDeps, { ctx, input }) => {
      const { customer, password: pw, sendPassword } = input;
      return panel.create(ctx, { customer, ...(pw !== undefined ? { password: pw } : {}), ...(sendPassword !== undefined ? { sendPassword } : {}) });
    },
  }),
  update: defineCommand({
    operation: CustomerOps.update,
    input: panelUpdateSchema,
    errors: ["not_found", "conflict", "precondition_failed", "invalid_state_transition"],
    run: ({ panel }: PanelCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof panelUpdateSchema>; target: CustomerRefTarget }) => {
      const { patch, password: pw, active, ownerId } = input;
      return panel.update(ctx, target.ref, { patch, ...(pw !== undefined ? { password: pw } : {}), ...(active !== undefined ? { active } : {}), ...(ownerId !== undefined ? { ownerId } : {}) });
    },
  }),
  delete: defineCommand({
    operation: CustomerOps.delete,
    input: z.strictObject({}),
    errors: ["not_found", "precondition_failed", "invalid_state_transition"],
    run: ({ panel }: PanelCommandDeps, { ctx, target }: { ctx: Context; target: CustomerRefTarget }) => panel.delete(ctx, target.ref),
  }),
  move: defineCommand({
    operation: CustomerOps.move,
    input: z.strictObject({ owner_id: z.number().int() }),
    errors: ["not_found", "precondition_failed", "invalid_state_transition"],
    run: ({ panel }: PanelCommandDeps, { ctx, input, target }: { ctx: Context; input: { owner_id: number }; target: CustomerRefTarget }) => panel.move(ctx, target.ref, input.owner_id),
  }),
  unlock: defineCommand({
    operation: LifecycleOps.unlock,
    input: z.strictObject({}),
    errors: ["not_found", "invalid_state_transition"],
    run: ({ panel }: PanelCommandDeps, { ctx, target }: { ctx: Context; target: CustomerRefTarget }) => panel.unlock(ctx, target.ref),
  }),
} as const;
