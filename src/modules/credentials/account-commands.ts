import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { AccountCredentialOps } from "./account-operations.js";
import { accountLoginSetSchema, accountTotpDisableSchema } from "./account-schema.js";
import type { AccountCredentialService } from "./accounts.js";
import { totpCodeSchema } from "./schema.js";

export interface AccountCredentialCommandDeps {
  accountLogins: AccountCredentialService;
}

/** The account whose login a command manages. */
export interface AccountTarget {
  accountId: number;
}

const nothing = z.strictObject({});
type Call<I> = { ctx: Context; input: I; target: AccountTarget };

/** Login name, password, lockout and TOTP of operator and reseller accounts, one command each. */
export const AccountCredentialCommands = {
  set: defineCommand({
    operation: AccountCredentialOps.set,
    input: accountLoginSetSchema,
    errors: ["not_found", "conflict"],
    run: ({ accountLogins }: AccountCredentialCommandDeps, { ctx, input, target }: Call<z.output<typeof accountLoginSetSchema>>) => accountLogins.setLogin(ctx, target.accountId, input),
  }),
  status: defineCommand({
    operation: AccountCredentialOps.status,
    input: nothing,
    errors: ["not_found"],
    run: ({ accountLogins }: AccountCredentialCommandDeps, { ctx, target }: Call<unknown>) => accountLogins.status(ctx, target.accountId),
  }),
  unlock: defineCommand({
    operation: AccountCredentialOps.unlock,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ accountLogins }: AccountCredentialCommandDeps, { ctx, target }: Call<unknown>) => accountLogins.unlock(ctx, target.accountId),
  }),
  totpEnrol: defineCommand({
    operation: AccountCredentialOps.totpEnrol,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ accountLogins }: AccountCredentialCommandDeps, { ctx, target }: Call<unknown>) => accountLogins.enrolTotp(ctx, target.accountId),
  }),
  totpConfirm: defineCommand({
    operation: AccountCredentialOps.totpConfirm,
    input: totpCodeSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ accountLogins }: AccountCredentialCommandDeps, { ctx, input, target }: Call<z.output<typeof totpCodeSchema>>) => accountLogins.confirmTotp(ctx, target.accountId, input),
  }),
  totpDisable: defineCommand({
    operation: AccountCredentialOps.totpDisable,
    input: accountTotpDisableSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ accountLogins }: AccountCredentialCommandDeps, { ctx, input, target }: Call<z.output<typeof accountTotpDisableSchema>>) => accountLogins.disableTotp(ctx, target.accountId, input),
  }),
} as const;
