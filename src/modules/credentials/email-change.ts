import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import { randomToken } from "../../core/ids.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import { CustomerRepository } from "../customers/repository.js";
import type { MailService } from "../mail/service.js";
import type { CustomerCredentialBase } from "./customer-base.js";
import { CredentialEvents, CredentialOps } from "./operations.js";
import { emailChangeSchema, emailConfirmSchema } from "./schema.js";
import { sha256 } from "./secrets.js";
import type { RequestMeta } from "./subject.js";

const EMAIL_TOKEN_PREFIX = "ce_";

/** Confirmed e-mail changes: the address changes only when the token mailed to it comes back. */
export class EmailChanges {
  constructor(
    private readonly base: CustomerCredentialBase,
    private readonly mail: MailService,
  ) {}

  /** Starts an e-mail change: the address changes only when the token mailed to it comes back. */
  async requestEmailChange(ctx: Context, ref: string, input: unknown): Promise<{ object: "email_change"; new_email: string; expires_at: string }> {
    authorize(ctx, CredentialOps.requestEmailChange);
    const { base } = this;
    const { email } = parseOrThrow(emailChangeSchema, input);
    const token = `${EMAIL_TOKEN_PREFIX}${randomToken(24)}`;
    const now = base.clock.now();
    const expiresAt = new Date(now.getTime() + base.options.emailTokenSeconds * 1000).toISOString();
    const customer = await base.storage.transaction(async (trx) => {
      const c = await base.findLive(trx, ctx, ref);
      if (c.email === email) throw validationFailed([{ field: "email", code: "invalid_value", message: "is already the customer's address" }]);
      const other = await new CustomerRepository(trx).find({ kind: "email", value: email }, {});
      if (other && other.deleted_at === null && other.id !== c.id) throw new AppError("conflict", "Another customer uses this e-mail address", { issues: [{ field: "email", code: "already_exists", message: "is used by another customer" }] });
      await base.repo(trx).insertEmailChange({ customer_id: c.id, new_email: email, token_hash: sha256(token), created_at: now.toISOString(), expires_at: expiresAt, used_at: null });
      await base.audit.record(trx, ctx, { operation: CredentialOps.requestEmailChange.name, targetType: "customer", targetId: c.id, details: { new_email: email } });
      return c;
    });
    await this.mail.send({
      to: email,
      subject: "Confirm your new e-mail address",
      text: `Someone asked to change the e-mail address of account ${customer.login} to this address.\n\nConfirmation code: ${token}\n\nThe code is valid until ${expiresAt}. If this was not you, ignore this message.\n`,
    });
    return { object: "email_change", new_email: email, expires_at: expiresAt };
  }

  /** Completes an e-mail change with the mailed token (anonymous: the token is the proof). */
  async confirmEmailChange(input: unknown, meta: RequestMeta): Promise<{ object: "email_change"; customer_id: number; email: string }> {
    const { base } = this;
    const { token } = parseOrThrow(emailConfirmSchema, input);
    const invalid = () => validationFailed([{ field: "token", code: "invalid_value", message: "is unknown, used or expired" }]);
    return base.storage.transaction(async (trx) => {
      const repo = base.repo(trx);
      const row = await repo.findEmailChange(sha256(token));
      const now = base.clock.now().toISOString();
      if (!row || row.used_at !== null || row.expires_at <= now) throw invalid();
      const customers = new CustomerRepository(trx);
      const c = await customers.find({ kind: "id", value: row.customer_id }, {});
      if (!c || c.deleted_at !== null) throw invalid();
      const changed = await customers.update(c, { email: row.new_email, updated_at: now });
      if (!changed) throw new AppError("precondition_failed", "The customer was changed concurrently; try again");
      await repo.markEmailChangeUsed(row.id, now);
      await base.audit.record(trx, base.customerContext(c.id, null, meta), {
        operation: CredentialEvents.emailConfirm,
        targetType: "customer",
        targetId: c.id,
        before: { email: c.email },
        after: { email: row.new_email },
      });
      return { object: "email_change" as const, customer_id: c.id, email: row.new_email };
    });
  }
}
