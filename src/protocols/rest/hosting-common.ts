import { z } from "zod";
import { AppError } from "../../core/errors.js";

/** Path and query pieces the hosting routes share. */
export const customerRef = z.string().min(1).max(320).describe("Any customer key (see GET /v1/customers/{ref})");
export const refParams = z.object({ ref: customerRef });
export const objectId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const idParams = z.object({ id: objectId });
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25).describe("Page size, 1-100"),
  starting_after: objectId.optional().describe("Cursor: next_cursor of the previous page"),
};

/** A cursor page as every list route answers it. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() });
}
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ object: z.literal("list"), data: z.array(item) });
}

export const etagOf = (version: number): string => `"v${version}"`;

/** If-Match: undefined when absent or `*`, the version otherwise; anything else can never match. */
export function ifMatchVersion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "*") return undefined;
  const m = /^\s*(?:W\/)?"v(\d+)"\s*$/.exec(value);
  if (!m) throw new AppError("precondition_failed", "If-Match does not match the current ETag");
  return Number(m[1]);
}

/** An object target with the If-Match version, when one was sent. */
export function withVersion(id: number, expectedVersion: number | undefined): { id: number; expectedVersion?: number } {
  return expectedVersion === undefined ? { id } : { id, expectedVersion };
}
