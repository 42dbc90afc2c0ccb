import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import type { CustomerTarget } from "../customers/commands.js";
import { CredentialEvents, CredentialOps } from "./operations.js";
import { changePasswordSchema, emailChangeSchema, emailConfirmSchema, setPasswordSchema, setPinSchema, totpCodeSchema, totpDisableSchema, verifyPinSchema } from "./schema.js";
import type { CredentialService } from "./service.js";

export interface CredentialCommandDeps {
  credentials: CredentialService;
}

const nothing = z.strictObject({});
const rawBody = z.record(z.string(), z.unknown());
type Call<I> = { ctx: Context; input: I; target: CustomerTarget };

/**
 * Credential management. The steps that check a secret of the caller's (a password change with
 * the current password, a PIN replaced with the current one, a PIN check, backup codes or TOTP
 * off with a code) do it in `prepare`, before the transaction opens: the attempt spent there
 * stays spent when the check refuses (a rollback would give every guess back), and the slow hash
 * holds no transaction. `run` writes what the check proved (`Proof`), in the transaction.
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
  changePassword: defineCommand({
    operation: CredentialOps.changePassword,
    input: changePasswordSchema,
    errors: ["not_found", "invalid_state_transition"],
    prepare: ({ credentials }: CredentialCommandDeps, { ctx, input }) => credentials.proveChangePassword(ctx, input),
    run: ({ credentials }: CredentialCommandDeps, { ctx, prepared }) => credentials.changePassword(ctx, prepared),
  }),
  setPin: defineCommand({
    operation: CredentialOps.setPin,
    input: setPinSchema,
    errors: ["not_found", "invalid_state_transition"],
    prepare: ({ credentials }: CredentialCommandDeps, { ctx, input, target }: Call<z.output<typeof setPinSchema>>) => credentials.proveSetPin(ctx, target.ref, input),
    run: ({ credentials }: CredentialCommandDeps, { ctx, prepared }) => credentials.writePin(ctx, prepared),
  }),
  verifyPin: defineCommand({
    operation: CredentialOps.verifyPin,
    input: verifyPinSchema,
    errors: ["not_found"],
    prepare: ({ credentials }: CredentialCommandDeps, { ctx, input, target }: Call<z.output<typeof verifyPinSchema>>) => credentials.checkPin(ctx, target.ref, input),
    run: ({ credentials }: CredentialCommandDeps, { ctx, prepared }) => credentials.recordPinCheck(ctx, prepared),
  }),
  totpEnrol: defineCommand({
    operation: CredentialOps.totpEnrol,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, target }: Call<unknown>) => credentials.enrolTotp(ctx, target.ref),
  }),
  totpConfirm: defineCommand({
    operation: CredentialOps.totpConfirm,
    input: totpCodeSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, input, target }: Call<z.output<typeof totpCodeSchema>>) => credentials.confirmTotp(ctx, target.ref, input),
  }),
  /** A customer gives a current code; operators and resellers need none, so the body is the service's to read. */
  backupCodes: defineCommand({
    operation: CredentialOps.backupCodes,
    input: rawBody,
    errors: ["not_found", "invalid_state_transition"],
    prepare: ({ credentials }: CredentialCommandDeps, { ctx, input, target }: Call<Record<string, unknown>>) => credentials.proveBackupCodes(ctx, target.ref, input),
    run: ({ credentials }: CredentialCommandDeps, { ctx, prepared }) => credentials.regenerateBackupCodes(ctx, prepared),
  }),
  totpDisable: defineCommand({
    operation: CredentialOps.totpDisable,
    input: totpDisableSchema,
    errors: ["not_found", "invalid_state_transition"],
    prepare: ({ credentials }: CredentialCommandDeps, { ctx, input, target }: Call<z.output<typeof totpDisableSchema>>) => credentials.proveDisableTotp(ctx, target.ref, input),
    run: ({ credentials }: CredentialCommandDeps, { ctx, prepared }) => credentials.disableTotp(ctx, prepared),
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
  /**
   * Confirms an e-mail change with the token mailed to the new address: a credential step (the
   * token is the credential, there is no principal to authorize), written in its own transaction.
   */
  confirmEmailChange: defineCommand({
    operation: { name: CredentialEvents.emailConfirm, credential: true },
    input: emailConfirmSchema,
    errors: ["precondition_failed"],
    run: ({ credentials }: CredentialCommandDeps, { ctx, input }: { ctx: Context; input: z.output<typeof emailConfirmSchema> }) =>
      credentials.confirmEmailChange(input, { clientIp: ctx.clientIp, protocol: ctx.protocol, requestId: ctx.requestId }),
  }),
} as const;
