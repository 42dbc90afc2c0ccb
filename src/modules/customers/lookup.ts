import type { Context } from "../../core/context.js";
import { notFound, validationFailed } from "../../core/errors.js";
import type { Executor } from "../../storage/db.js";
import { type CustomerKey, CustomerRepository, type CustomerRow, type Scope } from "./repository.js";
import { HANDLE_PATTERN } from "./schema.js";

/** The scope a principal's queries run in. */
export function scopeOf(ctx: Context): Scope {
  switch (ctx.principal.kind) {
    case "operator":
      return {};
    case "reseller":
      return { ownerId: ctx.principal.id };
    case "customer":
      return { customerId: ctx.principal.id };
  }
}

/**
 * Parses a customer reference. Typed forms (`id:5`, `handle:JD123456-NL`, `login:cust5`,
 * `number:10005`, `external:abc`, `email:a@b.example`) are exact; a bare value is read as an id
 * when it is all digits, a handle when it looks like one, an e-mail when it has an @, else a login.
 */
export function parseCustomerRef(ref: string): CustomerKey {
  const m = /^(id|handle|login|number|external|email):(.+)$/.exec(ref);
  if (m) {
    const [, kind, value = ""] = m;
    switch (kind) {
      case "id":
        return { kind: "id", value: toId(value) };
      case "handle":
        return { kind: "handle", value: value.toUpperCase() };
      case "login":
        return { kind: "login", value: value.toLowerCase() };
      case "number":
        return { kind: "customer_number", value };
      case "external":
        return { kind: "external_id", value };
      default:
        return { kind: "email", value: value.toLowerCase() };
    }
  }
  if (/^\d+$/.test(ref)) return { kind: "id", value: toId(ref) };
  if (HANDLE_PATTERN.test(ref.toUpperCase())) return { kind: "handle", value: ref.toUpperCase() };
  if (ref.includes("@")) return { kind: "email", value: ref.toLowerCase() };
  return { kind: "login", value: ref.toLowerCase() };
}

/**
 * The customer `ref` names, if `ctx` may see it. Anything outside the caller's scope is reported
 * exactly as a missing customer, so no module can leak another tenant's customers by its own lookup.
 */
export async function findVisibleCustomer(db: Executor, ctx: Context, ref: string | CustomerKey): Promise<CustomerRow> {
  const key = typeof ref === "string" ? parseCustomerRef(ref) : ref;
  const row = await new CustomerRepository(db).find(key, scopeOf(ctx));
  if (!row) throw notFound("Customer");
  return row;
}

function toId(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw validationFailed([{ field: "id", code: "invalid_format", message: "must be a positive integer" }]);
  return n;
}
