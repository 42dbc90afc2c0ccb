import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { CustomerRow } from "../customers/repository.js";
import { AttemptCounters } from "../ratelimit/attempts.js";
import type { CustomerCredentialBase } from "./customer-base.js";
import { CredentialOps } from "./operations.js";
import { setPinSchema, verifyPinSchema } from "./schema.js";
import { burnVerify, hashSecret, verifySecret } from "./secrets.js";

const PIN_MAX_FAILURES = 5;

/** The customer's service PIN (argon2id), with its own attempt budget per customer. */
export class CustomerPins {
  constructor(private readonly base: CustomerCredentialBase) {}

  /**
   * Sets or changes the service PIN. A customer replacing
   * an existing PIN must give the current one; an operator or reseller need not.
   */
  async setPin(ctx: Context, ref: string, input: unknown): Promise<void> {
    const { base } = this;
    const { customer, pin, replaced } = await this.preparePin(ctx, ref, input);
    const hashed = await hashSecret(pin);
    await base.storage.transaction(async (trx) => {
      await base.repo(trx).upsert(customer.id, { pin_hash: hashed }, base.clock.now().toISOString());
      await base.audit.record(trx, ctx, { operation: CredentialOps.setPin.name, targetType: "customer", targetId: customer.id, details: { pin: replaced ? "changed" : "set" } });
    });
  }

  /** Every check of setPin, without writing. */
  private async preparePin(ctx: Context, ref: string, input: unknown): Promise<{ customer: CustomerRow; pin: string; replaced: boolean }> {
    authorize(ctx, CredentialOps.setPin);
    const data = parseOrThrow(setPinSchema, input);
    const customer = await this.base.findLive(this.base.storage.db, ctx, ref);
    const creds = await this.base.repo().get(customer.id);
    // Inside a login session the customer has just proved its password, which is enough to replace
    // the PIN (in a profile update); with an API key the current PIN is required. A
    // current PIN that is given is always checked.
    if (ctx.principal.kind === "customer" && creds?.pin_hash) {
      if (data.current_pin === undefined && ctx.principal.sessionId === null) {
        throw validationFailed([{ field: "current_pin", code: "required", message: "is required to replace an existing PIN" }]);
      }
      if (data.current_pin !== undefined && !(await this.proveCurrentPin(customer.id, creds.pin_hash, data.current_pin))) {
        throw validationFailed([{ field: "current_pin", code: "invalid_value", message: "is not the current PIN" }]);
      }
    }
    return { customer, pin: data.pin, replaced: Boolean(creds?.pin_hash) };
  }

  /** Checks and counts one PIN attempt in one step, before the PIN is hashed; rate_limited past the budget. */
  private async spendPinAttempt(customerId: number): Promise<AttemptCounters> {
    const counters = new AttemptCounters(this.base.storage.db);
    const budget = await counters.reserve("pin", String(customerId), PIN_MAX_FAILURES, this.base.options.lockoutWindowSeconds, this.base.clock.now());
    if (!budget.ok) throw new AppError("rate_limited", "Too many wrong PINs; try again later", { retryAfter: budget.retryAfter });
    return counters;
  }

  /** A current PIN given to replace it spends the same budget as PIN checks. */
  private async proveCurrentPin(customerId: number, hash: string, candidate: string): Promise<boolean> {
    const counters = await this.spendPinAttempt(customerId);
    const ok = await verifySecret(hash, candidate);
    if (ok) await counters.reset("pin", String(customerId));
    return ok;
  }

  /** Checks a PIN; after a few wrong guesses in the lockout window further checks are refused. */
  async verifyPin(ctx: Context, ref: string, input: unknown): Promise<{ valid: boolean }> {
    authorize(ctx, CredentialOps.verifyPin);
    const { base } = this;
    const { pin } = parseOrThrow(verifyPinSchema, input);
    const customer = await base.findVisible(base.storage.db, ctx, ref);
    const repo = base.repo();
    const counters = await this.spendPinAttempt(customer.id);
    const creds = await repo.get(customer.id);
    let valid = false;
    if (creds?.pin_hash) valid = await verifySecret(creds.pin_hash, pin);
    else await burnVerify(pin);
    if (valid) {
      await counters.reset("pin", String(customer.id));
      await repo.clearFailures("pin", String(customer.id));
    } else await repo.addFailure("pin", String(customer.id), base.clock.now().toISOString());
    return { valid };
  }
}
