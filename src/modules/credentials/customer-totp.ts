import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { CustomerCredentialBase } from "./customer-base.js";
import { CredentialOps } from "./operations.js";
import { totpCodeSchema, totpDisableSchema } from "./schema.js";

/** The customer's TOTP second factor: who may enrol, confirm, replace backup codes and turn it off. */
export class CustomerTotp {
  constructor(private readonly base: CustomerCredentialBase) {}

  /** Starts enrolment: the secret and otpauth URI are shown this once and never again. */
  async enrolTotp(ctx: Context, ref: string): Promise<{ secret: string; otpauth_uri: string }> {
    authorize(ctx, CredentialOps.totpEnrol);
    const { base } = this;
    return base.storage.transaction(async (trx) => {
      const customer = await base.findLive(trx, ctx, ref);
      const enrolled = await base.rules.enrolTotp(base.repo(trx), customer.id, () => customer.login);
      await base.audit.record(trx, ctx, { operation: CredentialOps.totpEnrol.name, targetType: "customer", targetId: customer.id, details: { totp: "enrolment started" } });
      return enrolled;
    });
  }

  /** Turns TOTP on with a first valid code; returns the one-time backup codes (shown once). */
  async confirmTotp(ctx: Context, ref: string, input: unknown): Promise<{ backup_codes: string[] }> {
    authorize(ctx, CredentialOps.totpConfirm);
    const { base } = this;
    const { code } = parseOrThrow(totpCodeSchema, input);
    return base.storage.transaction(async (trx) => {
      const customer = await base.findLive(trx, ctx, ref);
      const codes = await base.rules.confirmTotp(base.repo(trx), customer.id, code);
      await base.audit.record(trx, ctx, { operation: CredentialOps.totpConfirm.name, targetType: "customer", targetId: customer.id, details: { totp: "enabled" } });
      return codes;
    });
  }

  /** Replaces the backup codes; a customer proves itself with a current code. */
  async regenerateBackupCodes(ctx: Context, ref: string, input: unknown): Promise<{ backup_codes: string[] }> {
    authorize(ctx, CredentialOps.backupCodes);
    const { base } = this;
    return base.storage.transaction(async (trx) => {
      // Find first: a customer out of scope answers "not found" whatever the body holds.
      const customer = await base.findLive(trx, ctx, ref);
      const data = ctx.principal.kind === "customer" ? parseOrThrow(totpCodeSchema, input) : undefined;
      const repo = base.repo(trx);
      const creds = await repo.get(customer.id);
      if (creds?.totp_enabled !== 1) throw new AppError("invalid_state_transition", "TOTP is not enabled");
      if (data && !(await base.rules.checkSecondFactor(repo, customer.id, data.code))) {
        throw validationFailed([{ field: "code", code: "invalid_value", message: "is not a valid code" }]);
      }
      const codes = await base.rules.replaceBackupCodes(repo, customer.id);
      await base.audit.record(trx, ctx, { operation: CredentialOps.backupCodes.name, targetType: "customer", targetId: customer.id, details: { backup_codes: "replaced" } });
      return { backup_codes: codes };
    });
  }

  /** Turns TOTP off. A customer proves itself with a code or its password; admins need not. */
  async disableTotp(ctx: Context, ref: string, input: unknown): Promise<void> {
    authorize(ctx, CredentialOps.totpDisable);
    const { base } = this;
    const data = parseOrThrow(totpDisableSchema, input ?? {});
    const customer = await base.findLive(base.storage.db, ctx, ref);
    const creds = await base.repo().get(customer.id);
    if (!creds?.totp_secret) throw new AppError("invalid_state_transition", "TOTP is not enabled");
    if (ctx.principal.kind === "customer") {
      let proven = false;
      if (data.password !== undefined) proven = await base.proveCurrentPassword(ctx, customer.id, creds.password_hash, data.password);
      if (!proven && data.code !== undefined) proven = await base.storage.transaction((trx) => base.rules.checkSecondFactor(base.repo(trx), customer.id, data.code ?? ""));
      if (!proven) throw validationFailed([{ field: data.code !== undefined ? "code" : "password", code: "invalid_value", message: "give a valid current code or the password to turn TOTP off" }]);
    }
    await base.storage.transaction(async (trx) => {
      await base.rules.disableTotp(base.repo(trx), customer.id);
      await base.audit.record(trx, ctx, { operation: CredentialOps.totpDisable.name, targetType: "customer", targetId: customer.id, details: { totp: "disabled" } });
    });
  }
}
