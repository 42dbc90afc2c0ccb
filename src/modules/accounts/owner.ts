import type { Context } from "../../core/context.js";
import { AppError, notFound, validationFailed } from "../../core/errors.js";
import type { Executor } from "../../storage/db.js";
import { AccountRepository } from "./repository.js";

/**
 * The account that owns a new object (a customer, a hosting plan) created by `ctx`: a reseller
 * owns what it creates and may name no other owner (another reads as missing); an operator may
 * name any operator or reseller account and otherwise owns it itself (the system principal falls
 * back to the first operator).
 */
export async function resolveOwnerAccount(db: Executor, ctx: Context, requested: number | undefined): Promise<number> {
  const accounts = new AccountRepository(db);
  if (ctx.principal.kind === "reseller") {
    // A reseller creates for itself only; naming another owner reads as a missing one.
    if (requested !== undefined && requested !== ctx.principal.id) throw notFound("Owner account");
    return ctx.principal.id;
  }
  if (requested === undefined) {
    if (ctx.principal.id > 0) return ctx.principal.id;
    const operator = await accounts.firstOperator();
    if (!operator) throw new AppError("internal", "No operator account exists");
    return operator.id;
  }
  const owner = await accounts.findById(requested);
  if (!owner || (owner.kind !== "reseller" && owner.kind !== "operator")) {
    throw validationFailed([{ field: "owner_id", code: "invalid_value", message: "must be the id of an operator or reseller account" }]);
  }
  return owner.id;
}
