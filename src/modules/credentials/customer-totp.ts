import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import { type CustomerCredentialBase, type Proof, proof } from "./customer-base.js";
import { CredentialOps } from "./operations.js";
import { type TotpDisableInput, totpCodeSchema } from "./schema.js";

/** A customer whose TOTP step was checked (code used up, or password proven, or an admin acting). */
export type TotpProof = Proof<{ customerId: number }>;

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

  /**
   * The check before backup codes are replaced: TOTP must be on, and a customer gives a current
   * code, which is used up here, before the command's transaction, so it cannot be replayed
   * whatever happens next.
   */
  async proveBackupCodes(ctx: Context, ref: string, input: unknown): Promise<TotpProof> {
    authorize(ctx, CredentialOps.backupCodes);
    const { base } = this;
    // Find first: a customer out of scope answers "not found" whatever the body holds.
    const customer = await base.findLive(base.storage.db, ctx, ref);
    const data = ctx.principal.kind === "customer" ? parseOrThrow(totpCodeSchema, input) : undefined;
    const creds = await base.repo().get(customer.id);
    if (creds?.totp_enabled !== 1) throw new AppError("invalid_state_transition", "TOTP is not enabled");
    if (data && !(await this.useCode(customer.id, data.code))) {
      throw validationFailed([{ field: "code", code: "invalid_value", message: "is not a valid code" }]);
    }
    return proof({ customerId: customer.id });
  }

  /** Replaces the backup codes after `proveBackupCodes`; the new ones are shown once. */
  async regenerateBackupCodes(ctx: Context, checked: TotpProof): Promise<{ backup_codes: string[] }> {
    authorize(ctx, CredentialOps.backupCodes);
    const { base } = this;
    return base.storage.transaction(async (trx) => {
      const repo = base.repo(trx);
      // TOTP may have been turned off since the check.
      if ((await repo.get(checked.customerId))?.totp_enabled !== 1) throw new AppError("invalid_state_transition", "TOTP is not enabled");
      const codes = await base.rules.replaceBackupCodes(repo, checked.customerId);
      await base.audit.record(trx, ctx, { operation: CredentialOps.backupCodes.name, targetType: "customer", targetId: checked.customerId, details: { backup_codes: "replaced" } });
      return { backup_codes: codes };
    });
  }

  /**
   * The check before TOTP is turned off: a customer proves itself with a code (used up) or its
   * password (spending the login budget), before the command's transaction, so a wrong guess
   * stays counted; admins need not.
   */
  async proveDisableTotp(ctx: Context, ref: string, data: TotpDisableInput): Promise<TotpProof> {
    authorize(ctx, CredentialOps.totpDisable);
    const { base } = this;
    const customer = await base.findLive(base.storage.db, ctx, ref);
    const creds = await base.repo().get(customer.id);
    if (!creds?.totp_secret) throw new AppError("invalid_state_transition", "TOTP is not enabled");
    if (ctx.principal.kind === "customer") {
      let proven = false;
      if (data.password !== undefined) proven = await base.proveCurrentPassword(ctx, customer.id, creds.password_hash, data.password);
      if (!proven && data.code !== undefined) proven = await this.useCode(customer.id, data.code);
      if (!proven) throw validationFailed([{ field: data.code !== undefined ? "code" : "password", code: "invalid_value", message: "give a valid current code or the password to turn TOTP off" }]);
    }
    return proof({ customerId: customer.id });
  }

  /** A TOTP or backup code of the customer, used up in a transaction of its own when it is valid. */
  private useCode(customerId: number, code: string): Promise<boolean> {
    const { base } = this;
    return base.storage.transaction((trx) => base.rules.checkSecondFactor(base.repo(trx), customerId, code));
  }

  /** Turns TOTP off after `proveDisableTotp`: the secret and the backup codes are gone. */
  async disableTotp(ctx: Context, checked: TotpProof): Promise<void> {
    authorize(ctx, CredentialOps.totpDisable);
    const { base } = this;
    await base.storage.transaction(async (trx) => {
      await base.rules.disableTotp(base.repo(trx), checked.customerId);
      await base.audit.record(trx, ctx, { operation: CredentialOps.totpDisable.name, targetType: "customer", targetId: checked.customerId, details: { totp: "disabled" } });
    });
  }
}
