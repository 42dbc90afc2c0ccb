import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { AccountCredentialEvents, AccountCredentialOps } from "./account-operations.js";
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
/** An account's password login: its login name (or e-mail), password, and TOTP or backup code when TOTP is on. */
const accountLoginSchema = z.strictObject({
  identifier: z.string().min(1, "is required").max(320),
  password: z.string().max(1024),
  code: z.string().min(1).max(32).optional(),
});
const metaOf = (ctx: Context) => ({ clientIp: ctx.clientIp, protocol: ctx.protocol, requestId: ctx.requestId });
type Call<I> = { ctx: Context; input: I; target: AccountTarget };

/** Login name, password, lockout and TOTP of operator and reseller accounts, one command each. */
export const AccountCredentialCommands = {
  /**
   * A credential step (no principal yet, nothing to authorize), run outside a transaction so a
   * refused guess stays counted against the account's budget.
   */
  login: defineCommand({
    operation: { name: AccountCredentialEvents.login, credential: true },
    input: accountLoginSchema,
    errors: ["unauthenticated", "second_factor_required"],
    run: ({ accountLogins }: AccountCredentialCommandDeps, { ctx, input }: { ctx: Context; input: z.output<typeof accountLoginSchema> }) => accountLogins.login({ ...input, ...metaOf(ctx) }),
  }),
  /** Ends the account session `token` opened; an unknown token ends nothing. */
  logout: defineCommand({
    operation: { name: AccountCredentialEvents.logout, credential: true },
    input: z.strictObject({ token: z.string() }),
    errors: [],
    run: ({ accountLogins }: AccountCredentialCommandDeps, { ctx, input }: { ctx: Context; input: { token: string } }) => accountLogins.logout(input.token, metaOf(ctx)),
  }),
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
