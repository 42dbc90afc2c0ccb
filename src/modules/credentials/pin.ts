import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import { AttemptCounters } from "../ratelimit/attempts.js";
import { type CustomerCredentialBase, type Proof, proof } from "./customer-base.js";
import { CredentialOps } from "./operations.js";
import { type SetPinInput, setPinSchema, type VerifyPinInput } from "./schema.js";
import { burnVerify, hashSecret, verifySecret } from "./secrets.js";

const PIN_MAX_FAILURES = 5;

/** A checked PIN change: whose, the new PIN's hash, and whether it replaces one. */
export type PinChange = Proof<{ customerId: number; hashed: string; replaced: boolean }>;
/** A PIN compared with the customer's, its attempt spent. */
export type PinCheck = Proof<{ customerId: number; valid: boolean }>;

/** The customer's service PIN (argon2id), with its own attempt budget per customer. */
export class CustomerPins {
  constructor(private readonly base: CustomerCredentialBase) {}

  /** Sets or changes the service PIN in one call (a profile update that carries a PIN, in its transaction). */
  async setPin(ctx: Context, ref: string, input: unknown): Promise<void> {
    await this.writePin(ctx, await this.proveSetPin(ctx, ref, parseOrThrow(setPinSchema, input)));
  }

  /**
   * Every check of a PIN change, and the new PIN's hash, without writing. A customer replacing
   * an existing PIN gives the current one (spending the PIN budget, before the command's
   * transaction, so a wrong guess stays counted); an operator or reseller need not.
   */
  async proveSetPin(ctx: Context, ref: string, data: SetPinInput): Promise<PinChange> {
    authorize(ctx, CredentialOps.setPin);
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
    return proof({ customerId: customer.id, hashed: await hashSecret(data.pin), replaced: Boolean(creds?.pin_hash) });
  }

  /** Writes a PIN change `proveSetPin` accepted. */
  async writePin(ctx: Context, change: PinChange): Promise<void> {
    authorize(ctx, CredentialOps.setPin);
    const { base } = this;
    await base.storage.transaction(async (trx) => {
      await base.repo(trx).upsert(change.customerId, { pin_hash: change.hashed }, base.clock.now().toISOString());
      await base.audit.record(trx, ctx, { operation: CredentialOps.setPin.name, targetType: "customer", targetId: change.customerId, details: { pin: change.replaced ? "changed" : "set" } });
    });
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

  /**
   * Checks a PIN against the customer's budget: after a few wrong guesses in the lockout window
   * further checks are refused. The attempt is spent and the slow hash compared before the
   * command's transaction; `recordPinCheck` then writes the outcome.
   */
  async checkPin(ctx: Context, ref: string, data: VerifyPinInput): Promise<PinCheck> {
    authorize(ctx, CredentialOps.verifyPin);
    const { base } = this;
    const customer = await base.findVisible(base.storage.db, ctx, ref);
    await this.spendPinAttempt(customer.id);
    const creds = await base.repo().get(customer.id);
    let valid = false;
    if (creds?.pin_hash) valid = await verifySecret(creds.pin_hash, data.pin);
    else await burnVerify(data.pin);
    return proof({ customerId: customer.id, valid });
  }

  /** A right PIN gives the budget back; a wrong one is recorded among the failures. */
  async recordPinCheck(ctx: Context, check: PinCheck): Promise<{ valid: boolean }> {
    authorize(ctx, CredentialOps.verifyPin);
    const { base } = this;
    const subject = String(check.customerId);
    const repo = base.repo();
    if (check.valid) {
      await new AttemptCounters(base.storage.db).reset("pin", subject);
      await repo.clearFailures("pin", subject);
    } else await repo.addFailure("pin", subject, base.clock.now().toISOString());
    return { valid: check.valid };
  }
}
