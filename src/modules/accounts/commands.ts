import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import { AccountOps } from "./operations.js";
import { resellerCreateSchema } from "./schema.js";
import type { AccountService } from "./service.js";

export interface AccountCommandDeps {
  accounts: AccountService;
}

/** The account a command reads. */
export interface AccountIdTarget {
  id: number;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const resellerListSchema = z.strictObject({
  limit: z.number().int().min(1).max(100),
  startingAfter: id.optional(),
});

export const AccountCommands = {
  createReseller: defineCommand({
    operation: AccountOps.createReseller,
    input: resellerCreateSchema,
    errors: ["conflict"],
    run: ({ accounts }: AccountCommandDeps, { ctx, input }) => accounts.createReseller(ctx, input),
  }),
  listResellers: defineCommand({
    operation: AccountOps.listResellers,
    input: resellerListSchema,
    errors: [],
    run: ({ accounts }: AccountCommandDeps, { ctx, input }) => accounts.listResellers(ctx, input.startingAfter === undefined ? { limit: input.limit } : { limit: input.limit, startingAfter: input.startingAfter }),
  }),
  getReseller: defineCommand({
    operation: AccountOps.getReseller,
    input: z.strictObject({}),
    errors: ["not_found"],
    run: ({ accounts }: AccountCommandDeps, { ctx, target }: CommandCall<unknown, AccountIdTarget>) => accounts.getReseller(ctx, target.id),
  }),
} as const;
