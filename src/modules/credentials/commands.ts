import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import type { CustomerTarget } from "../customers/commands.js";
import { CredentialOps } from "./operations.js";
import { emailChangeSchema, setPasswordSchema } from "./schema.js";
import type { CredentialService } from "./service.js";

export interface CredentialCommandDeps {
  credentials: CredentialService;
}

const nothing = z.strictObject({});
type Call<I> = { ctx: Context; input: I; target: CustomerTarget };

/**
 * Credential management that checks no secret of the caller's. Steps that do (a password change
 * with the current password, TOTP off with a code, a PIN replaced with the current one) spend the
 * login or PIN budget and refuse when the secret is wrong; run in a command's transaction, that
 * refusal would roll the spent attempt back, so they stay service calls until the budgets are
 * written outside the command's transaction.
 */
export const CredentialCommands = {
  status: defineCommand({
    operation: CredentialOps.status,
    input: nothing,
    errors: ["not_found"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, target }: Call<unknown>) => credentials.status(ctx, target.ref),
  }),
  setPassword: defineCommand({
    operation: CredentialOps.setPassword,
    input: setPasswordSchema,
    errors: ["not_found"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, input, target }: Call<z.output<typeof setPasswordSchema>>) => credentials.setPassword(ctx, target.ref, input),
  }),
  totpEnrol: defineCommand({
    operation: CredentialOps.totpEnrol,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, target }: Call<unknown>) => credentials.enrolTotp(ctx, target.ref),
  }),
  sessionList: defineCommand({
    operation: CredentialOps.sessionList,
    input: nothing,
    errors: ["not_found"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, target }: Call<unknown>) => credentials.listSessions(ctx, target.ref),
  }),
  sessionRevokeAll: defineCommand({
    operation: CredentialOps.sessionRevokeAll,
    input: nothing,
    errors: ["not_found"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, target }: Call<unknown>) => credentials.revokeAllSessions(ctx, target.ref),
  }),
  /** Starts an e-mail change: the address changes once the token mailed to it is confirmed. */
  requestEmailChange: defineCommand({
    operation: CredentialOps.requestEmailChange,
    input: emailChangeSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof emailChangeSchema>; target: CustomerTarget }) =>
      credentials.requestEmailChange(ctx, target.ref, input),
  }),
} as const;
