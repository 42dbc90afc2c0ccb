import { AppError } from "./errors.js";
import type { Context } from "./context.js";

/**
 * The registry of named operations. Authorization, audit, rate limits and logs all speak of
 * operations by these names, so one list decides what exists and who may do it.
 */
export interface OperationDef {
  /** Stable name, `<object>.<verb>`. */
  name: string;
  /** Permission a role must grant. */
  permission: string;
  /** Whether the operation writes (audited, idempotency-eligible). */
  mutates: boolean;
  /** Which principal kinds may call it at all (roles refine this further). */
  principals: readonly ("operator" | "reseller" | "customer")[];
  summary: string;
}

const registry = new Map<string, OperationDef>();

export function defineOperation(def: OperationDef): OperationDef {
  if (registry.has(def.name)) throw new Error(`operation ${def.name} defined twice`);
  registry.set(def.name, def);
  return def;
}

/** Every defined operation, by name (the coverage matrix walks it). */
export function listOperations(): OperationDef[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Does the principal hold the permission? `*` grants all; `customer.*` grants a family. */
export function hasPermission(permissions: ReadonlySet<string>, permission: string): boolean {
  if (permissions.has("*") || permissions.has(permission)) return true;
  const dot = permission.indexOf(".");
  return dot > 0 && permissions.has(`${permission.slice(0, dot)}.*`);
}

/** The one authorization gate: every service method calls it first. */
export function authorize(ctx: Context, op: OperationDef): void {
  const p = ctx.principal;
  if (!op.principals.includes(p.kind) || !hasPermission(p.permissions, op.permission)) {
    throw new AppError("forbidden", `Not allowed to perform ${op.name}`);
  }
}
