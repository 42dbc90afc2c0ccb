import { AppError, conflict } from "../core/errors.js";

/**
 * Database errors become domain errors here, at the storage edge, so a unique violation on
 * SQLite and on PostgreSQL is the same `conflict` naming the same field.
 *
 * Unique indexes are named `ux_<table>__<field>` so PostgreSQL's constraint name tells the field;
 * SQLite's message ("UNIQUE constraint failed: customers.email") names the column itself.
 */
export function translateDbError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  const message = typeof e.message === "string" ? e.message : "";
  if (e.code === "23505") {
    const constraint = typeof e.constraint === "string" ? e.constraint : "";
    const field = constraint.includes("__") ? (constraint.split("__").pop() ?? "id") : "id";
    return conflict(field, `A record with this ${field} already exists`);
  }
  if (e.code === "SQLITE_CONSTRAINT_UNIQUE" || e.code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    const m = /UNIQUE constraint failed: (?:\w+\.)?(\w+)/.exec(message) ?? /index '[^']*__(\w+)'/.exec(message);
    const field = m?.[1] ?? "id";
    return conflict(field, `A record with this ${field} already exists`);
  }
  if (e.code === "SQLITE_BUSY" || e.code === "40001" || e.code === "40P01") {
    return new AppError("conflict", "The record was changed concurrently; retry the request", { cause: error });
  }
  return error;
}

/** Runs `fn`, translating database errors on the way out. */
export async function withDbErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateDbError(error);
  }
}
