import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { PASSWORD_MAX, pinValue } from "../credentials/schema.js";
import { CustomerOps } from "./operations.js";
import { customerCreateSchema, customerMoveSchema, customerPatchSchema } from "./schema.js";
import type { CustomerService } from "./service.js";

/**
 * What the customer commands need. The credential part is named by shape, not by class, so this
 * module does not depend on the credentials module (which depends on this one).
 */
export interface CustomerCommandDeps {
  customers: CustomerService;
  credentials: {
    setPassword(ctx: Context, ref: string, input: unknown): Promise<void>;
    setPin(ctx: Context, ref: string, input: unknown): Promise<void>;
  };
}

/** The customer a command acts on; `expectedVersion` refuses the write if the customer changed meanwhile. */
export interface CustomerTarget {
  ref: string;
  expectedVersion?: number;
  /** Fields an update may repeat but not change (a protocol that resends the whole record). */
  unchangeable?: readonly string[];
}

const nothing = z.strictObject({});

/**
 * A list query as a protocol decoded it: filters still as text (field, operator, value), checked
 * against the filterable fields by the service, so every protocol's filters obey the same rules.
 */
export const customerListQuerySchema = z.strictObject({
  filters: z.array(z.strictObject({ field: z.string(), op: z.string(), value: z.union([z.string(), z.array(z.string())]) })),
  sort: z.string().optional(),
  limit: z.number().int(),
  startingAfter: z.string().optional(),
  endingBefore: z.string().optional(),
  offset: z.number().int().optional(),
  includeTotal: z.boolean(),
  includeDeleted: z.boolean(),
});

/**
 * A profile patch that may also carry a new password and service PIN. All three are written in
 * one transaction: a refused PIN leaves neither the profile nor the password changed.
 */
export const customerUpdateSchema = z
  .strictObject({
    ...customerPatchSchema.shape,
    password: z.string().max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`).optional().describe("A new password (the password policy applies)"),
    pin: pinValue.optional().describe("A new service PIN"),
  })
  .describe("Profile fields to change, optionally with a new password and service PIN, written together or not at all.");

export const CustomerCommands = {
  create: defineCommand({
    operation: CustomerOps.create,
    input: customerCreateSchema,
    errors: ["conflict", "not_found"],
    run: ({ customers }: CustomerCommandDeps, { ctx, input }) => customers.create(ctx, input),
  }),
  get: defineCommand({
    operation: CustomerOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ customers }: CustomerCommandDeps, { ctx, target }: { ctx: Context; target: CustomerTarget }) => customers.get(ctx, target.ref),
  }),
  update: defineCommand({
    operation: CustomerOps.update,
    input: customerUpdateSchema,
    errors: ["not_found", "conflict", "precondition_failed", "invalid_state_transition"],
    async run({ customers, credentials }: CustomerCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof customerUpdateSchema>; target: CustomerTarget }) {
      const { password, pin, ...patch } = input;
      const credentialsOnly = Object.keys(patch).length === 0 && (password !== undefined || pin !== undefined);
      const updated = credentialsOnly ? undefined : await customers.update(ctx, target.ref, patch, target.expectedVersion, target.unchangeable ? { unchangeable: target.unchangeable } : {});
      // A profile change alone answers with the row it wrote; credentials move the version on, so read it again.
      if (updated && password === undefined && pin === undefined) return updated;
      if (password !== undefined) await credentials.setPassword(ctx, target.ref, { password });
      if (pin !== undefined) await credentials.setPin(ctx, target.ref, { pin });
      return customers.get(ctx, target.ref);
    },
  }),
  delete: defineCommand({
    operation: CustomerOps.delete,
    input: nothing,
    errors: ["not_found", "precondition_failed", "invalid_state_transition"],
    run: ({ customers }: CustomerCommandDeps, { ctx, target }: { ctx: Context; target: CustomerTarget }) => customers.delete(ctx, target.ref, target.expectedVersion),
  }),
  move: defineCommand({
    operation: CustomerOps.move,
    input: customerMoveSchema,
    errors: ["not_found", "precondition_failed", "invalid_state_transition"],
    run: ({ customers }: CustomerCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof customerMoveSchema>; target: CustomerTarget }) => customers.move(ctx, target.ref, input),
  }),
  list: defineCommand({
    operation: CustomerOps.list,
    input: customerListQuerySchema,
    errors: [],
    run: ({ customers }: CustomerCommandDeps, { ctx, input }) => customers.list(ctx, customers.parseListQuery(input)),
  }),
  count: defineCommand({
    operation: CustomerOps.count,
    input: customerListQuerySchema.pick({ filters: true, includeDeleted: true }),
    errors: [],
    async run({ customers }: CustomerCommandDeps, { ctx, input }) {
      const q = customers.parseListQuery({ filters: input.filters, limit: 1, includeTotal: false, includeDeleted: input.includeDeleted });
      return customers.count(ctx, q.filters, q.includeDeleted);
    },
  }),
  purge: defineCommand({
    operation: CustomerOps.purge,
    input: nothing,
    errors: ["not_found"],
    run: ({ customers }: CustomerCommandDeps, { ctx, target }: { ctx: Context; target: CustomerTarget }) => customers.purge(ctx, target.ref),
  }),
} as const;
