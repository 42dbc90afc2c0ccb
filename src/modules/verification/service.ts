import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerKey } from "../customers/repository.js";
import type { CustomerService } from "../customers/service.js";
import { VerificationOps } from "./operations.js";
import { VerificationRepository, type VerificationRow } from "./repository.js";
import { type VerificationSettings, type VerificationSettingsPatch, verificationSettingsPatchSchema } from "./schema.js";

function toView(customerId: number, row: VerificationRow | undefined): VerificationSettings {
  return {
    object: "contact_verification_settings",
    customer_id: customerId,
    support_email: row?.support_email ?? "",
    support_name: row?.support_name ?? "",
    signature: row?.signature ?? "",
    updated_at: row?.updated_at ?? null,
  };
}

/** Contact-verification e-mail settings per customer: who verification mails come from. */
export class VerificationService {
  constructor(
    private readonly storage: Storage,
    private readonly customers: CustomerService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {
    customers.onPurge((trx, customerId) => new VerificationRepository(trx).deleteFor(customerId));
  }

  async get(ctx: Context, ref: string | CustomerKey): Promise<VerificationSettings> {
    authorize(ctx, VerificationOps.get);
    // Reading through the customer service applies the caller's scope: others' customers are "not found".
    const customer = await this.customers.get(ctx, ref);
    return toView(customer.id, await new VerificationRepository(this.storage.db).find(customer.id));
  }

  async update(ctx: Context, ref: string | CustomerKey, input: unknown): Promise<VerificationSettings> {
    authorize(ctx, VerificationOps.update);
    const patch: VerificationSettingsPatch = parseOrThrow(verificationSettingsPatchSchema, input);
    const customer = await this.customers.get(ctx, ref);
    if (customer.deleted) throw new AppError("invalid_state_transition", "A deleted customer cannot be changed");
    return this.storage.transaction(async (trx) => {
      const repo = new VerificationRepository(trx);
      const current = await repo.find(customer.id);
      const before = toView(customer.id, current);
      const row = await repo.upsert({
        customer_id: customer.id,
        support_email: patch.support_email ?? before.support_email,
        support_name: patch.support_name ?? before.support_name,
        signature: patch.signature ?? before.signature,
        updated_at: this.clock.now().toISOString(),
      });
      const after = toView(customer.id, row);
      await this.audit.record(trx, ctx, {
        operation: VerificationOps.update.name,
        targetType: "customer",
        targetId: customer.id,
        before: current ? { ...before } : null,
        after: { ...after },
      });
      return after;
    });
  }

  /** The settings as they go into a data export (no scope check: the export request already did it). */
  async exportSection(customerId: number): Promise<VerificationSettings> {
    return toView(customerId, await new VerificationRepository(this.storage.db).find(customerId));
  }
}
