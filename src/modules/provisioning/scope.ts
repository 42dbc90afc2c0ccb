import { sql } from "kysely";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { Executor } from "../../storage/db.js";
import { type CustomerRow, CustomerRepository } from "../customers/repository.js";
import { findVisibleCustomer, scopeOf } from "../customers/lookup.js";

/**
 * "The customer this caller may see", for the hosting modules: a reference outside the caller's
 * tenancy answers exactly like a missing customer. Callers have already authorized the operation.
 */
export function visibleCustomer(db: Executor, ctx: Context, ref: string | number): Promise<CustomerRow> {
  return findVisibleCustomer(db, ctx, typeof ref === "number" ? { kind: "id", value: ref } : ref);
}

/** The same, for writes: a deleted customer keeps its tombstone but gets no new objects. */
export async function writableCustomer(db: Executor, ctx: Context, ref: string | number): Promise<CustomerRow> {
  const row = await visibleCustomer(db, ctx, ref);
  if (row.deleted_at !== null) throw new AppError("invalid_state_transition", "A deleted customer cannot be changed");
  return row;
}

/** Whether an object's owning customer is inside the caller's tenancy (objects looked up by their own id). */
export async function ownsCustomer(db: Executor, ctx: Context, customerId: number): Promise<boolean> {
  const row = await new CustomerRepository(db).find({ kind: "id", value: customerId }, scopeOf(ctx));
  return row !== undefined;
}

/** Parses a JSON column written by these modules. */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === "") return fallback;
  return JSON.parse(text) as T;
}

/**
 * Holds the customer's row lock until the transaction ends (PostgreSQL), so two requests
 * checking one quota cannot both pass it. SQLite runs one write transaction at a time.
 */
export async function lockCustomer(db: Executor, dialect: "sqlite" | "postgres", customerId: number): Promise<void> {
  if (dialect === "postgres") await sql`select id from customers where id = ${customerId} for update`.execute(db);
}

/** A quota from the customer's resources: null when unlimited (-1) or not set. */
export function quotaOf(row: CustomerRow, key: string): number | null {
  const resources = parseJson<Record<string, unknown>>(row.resources, {});
  const v = resources[key];
  return typeof v === "number" && v >= 0 ? v : null;
}
