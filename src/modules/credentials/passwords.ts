import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { CustomerRow } from "../customers/repository.js";
import { type CustomerCredentialBase, type Proof, proof } from "./customer-base.js";
import { CredentialOps } from "./operations.js";
import { type ChangePasswordInput, passwordIssues, setPasswordSchema } from "./schema.js";
import { hashSecret } from "./secrets.js";

/** A checked password change: whose, and the new password's hash. */
export type PasswordChange = Proof<{ customerId: number; hashed: string }>;

/** Customer passwords: set by an administrator or in a login session, changed with the current one. */
export class CustomerPasswords {
  constructor(private readonly base: CustomerCredentialBase) {}

  /** An operator or the owning reseller sets a password. Ends all sessions. */
  async setPassword(ctx: Context, ref: string, input: unknown): Promise<void> {
    const { base } = this;
    const { customer, password } = await this.preparePassword(ctx, ref, input);
    const hashed = await hashSecret(password);
    await base.storage.transaction(async (trx) => {
      await base.rules.writePassword(base.repo(trx), customer.id, hashed);
      await base.audit.record(trx, ctx, { operation: CredentialOps.setPassword.name, targetType: "customer", targetId: customer.id, details: { password: "set" } });
    });
  }

  /** Every check of setPassword, without writing. */
  private async preparePassword(ctx: Context, ref: string, input: unknown): Promise<{ customer: CustomerRow; password: string }> {
    authorize(ctx, CredentialOps.setPassword);
    // A customer sets its own password without the current one only inside an interactive session,
    // which it opened with that password (a profile update in a login session); an API key must use changePassword.
    if (ctx.principal.kind === "customer" && ctx.principal.sessionId === null) {
      throw new AppError("forbidden", "A customer changes its password with the current one (changePassword), or from a login session");
    }
    const { password } = parseOrThrow(setPasswordSchema, input);
    const customer = await this.base.findLive(this.base.storage.db, ctx, ref);
    const issues = passwordIssues(password, "password", { login: customer.login, email: customer.email });
    if (issues.length > 0) throw validationFailed(issues);
    return { customer, password };
  }

  /**
   * The check of a password change: the current password (spending the login budget, before the
   * command's transaction, so a wrong guess stays counted), the new one's rules, and its hash.
   */
  async proveChange(ctx: Context, data: ChangePasswordInput): Promise<PasswordChange> {
    authorize(ctx, CredentialOps.changePassword);
    const { base } = this;
    const customer = await base.findLive(base.storage.db, ctx, `id:${ctx.principal.id}`);
    const creds = await base.repo().get(customer.id);
    if (!(await base.proveCurrentPassword(ctx, customer.id, creds?.password_hash, data.current_password))) {
      throw validationFailed([{ field: "current_password", code: "invalid_value", message: "is not the current password" }]);
    }
    const issues = passwordIssues(data.new_password, "new_password", { login: customer.login, email: customer.email });
    if (data.new_password === data.current_password) issues.push({ field: "new_password", code: "invalid_value", message: "must differ from the current password" });
    if (issues.length > 0) throw validationFailed(issues);
    return proof({ customerId: customer.id, hashed: await hashSecret(data.new_password) });
  }

  /** Writes a password change `proveChange` accepted. */
  async changePassword(ctx: Context, change: PasswordChange): Promise<void> {
    authorize(ctx, CredentialOps.changePassword);
    const { base } = this;
    await base.storage.transaction(async (trx) => {
      // Other sessions may belong to whoever knew the old password: only this one survives.
      await base.rules.writePassword(base.repo(trx), change.customerId, change.hashed, ctx.principal.sessionId ?? undefined);
      await base.audit.record(trx, ctx, { operation: CredentialOps.changePassword.name, targetType: "customer", targetId: change.customerId, details: { password: "changed" } });
    });
  }
}
