import type { RawFilter } from "../../modules/customers/schema.js";
import { LISTING_FIELDS } from "./fields.js";
import { intval, phpText } from "./php.js";

/**
 * Froxlor's listing parameters (ApiCommand.php) -> a Custos list query. Field names go through a
 * whitelist (unknown names are skipped, as Froxlor skips names that fail its pattern);
 * `loginname` and `c.loginname` both mean the customer's column.
 */

const FIELD_NAME = /^[a-z0-9\-._`]+$/i;

function canonicalField(name: string): string | undefined {
  if (!FIELD_NAME.test(name)) return undefined;
  const bare = name.replace(/`/g, "").replace(/^c\./i, "").toLowerCase();
  return Object.hasOwn(LISTING_FIELDS, bare) ? LISTING_FIELDS[bare] : undefined;
}

const NUMERIC = new Set(["id", "owner_id"]);

/** `%` and `_` are Froxlor's (unescaped) wildcards; Custos like uses `*` and `?`. */
const likePattern = (v: string) => `*${v.replace(/[*?]/g, "").replace(/%/g, "*").replace(/_/g, "?")}*`;

export function decodeSearch(search: unknown): RawFilter[] {
  if (search === null || typeof search !== "object" || Array.isArray(search)) return [];
  const out: RawFilter[] = [];
  for (const [name, spec] of Object.entries(search as Record<string, unknown>)) {
    const field = canonicalField(name);
    if (!field) continue;
    const obj = spec !== null && typeof spec === "object" && !Array.isArray(spec) ? (spec as Record<string, unknown>) : undefined;
    const op = obj ? String(obj.op ?? "").toLowerCase() : "";
    const value = obj ? obj.value : spec;
    if (op === "") {
      const v = phpText(value) ?? "";
      // LIKE on a number column: Custos compares numbers exactly.
      if (NUMERIC.has(field)) {
        if (/^\d+$/.test(v)) out.push({ field, op: "eq", value: v });
      } else {
        out.push({ field, op: "like", value: likePattern(v) });
      }
      continue;
    }
    if (op === "in") {
      if (!Array.isArray(value) || value.length === 0) continue;
      const items = value.map((x) => phpText(x) ?? "").filter((x) => FIELD_NAME.test(x));
      if (items.length > 0) out.push({ field, op: "in", value: items });
      continue;
    }
    const cmp = { "<": "lt", ">": "gt", "=": "eq", "<>": "ne" }[op];
    if (!cmp) continue;
    out.push({ field, op: cmp, value: phpText(value) ?? "" });
  }
  return out;
}

export function decodeOrder(order: unknown): string | undefined {
  if (order === null || typeof order !== "object" || Array.isArray(order)) return undefined;
  const parts: string[] = [];
  for (const [name, dir] of Object.entries(order as Record<string, unknown>)) {
    const field = canonicalField(name);
    if (!field || parts.some((p) => p.replace(/^-/, "") === field)) continue;
    parts.push(String(dir).toUpperCase() === "DESC" ? `-${field}` : field);
  }
  return parts.length > 0 ? parts.slice(0, 4).join(",") : undefined;
}

/** Largest page a listing without sql_limit returns (Froxlor returns every row). */
export const ALL_ROWS = 10_000;

export function decodePaging(params: Record<string, unknown>): { limit: number; offset: number | undefined } {
  const limit = intval(params.sql_limit);
  if (limit <= 0) return { limit: ALL_ROWS, offset: undefined };
  const offset = intval(params.sql_offset);
  return { limit: Math.min(limit, ALL_ROWS), offset: offset > 0 ? offset : undefined };
}
