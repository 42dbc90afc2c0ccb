import type { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import type { CustomerTarget } from "../customers/commands.js";
import { CredentialOps } from "./operations.js";
import { emailChangeSchema } from "./schema.js";
import type { CredentialService } from "./service.js";

export interface CredentialCommandDeps {
  credentials: CredentialService;
}

export const CredentialCommands = {
  /** Starts an e-mail change: the address changes once the token mailed to it is confirmed. */
  requestEmailChange: defineCommand({
    operation: CredentialOps.requestEmailChange,
    input: emailChangeSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof emailChangeSchema>; target: CustomerTarget }) =>
      credentials.requestEmailChange(ctx, target.ref, input),
  }),
} as const;
