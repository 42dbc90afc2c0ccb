import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { CustomerTarget } from "../provisioning/targets.js";
import { AccessOps } from "./operations.js";
import { keyTypeFilter } from "./schema.js";
import type { AccessService } from "./service.js";

export interface AccessDeps {
  hosting: { access: AccessService };
}
const keysInput = z.strictObject({ type: keyTypeFilter.optional() });

/** A customer's keys (optionally of one type) and the roles they can carry. */
export const AccessCommands = {
  getKeys: defineCommand({
    operation: AccessOps.keys,
    input: keysInput,
    errors: ["not_found"],
    run: ({ hosting }: AccessDeps, { ctx, input, target }: CommandCall<z.output<typeof keysInput>, CustomerTarget>) => hosting.access.getKeys(ctx, target.ref, input.type),
  }),
  listRoles: defineCommand({
    operation: AccessOps.roles,
    input: z.strictObject({}),
    errors: ["not_found"],
    run: ({ hosting }: AccessDeps, { ctx, target }: CommandCall<unknown, CustomerTarget>) => hosting.access.listRoles(ctx, target.ref),
  }),
} as const;
