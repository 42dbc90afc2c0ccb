import { validationFailed } from "../../core/errors.js";
import {
  FILTER_OPERATORS,
  FILTERABLE_FIELDS,
  type Filter,
  type FilterableField,
  type FilterOperator,
  type ListQuery,
  NUMERIC_FIELDS,
  type RawListQuery,
  SORTABLE_FIELDS,
  type SortKey,
} from "./schema.js";

/**
 * Checks a decoded list query: field names against the whitelist, operators, value types,
 * paging combinations. Every protocol's listing goes through here.
 */
export function parseListQuery(raw: RawListQuery): ListQuery {
  const issues: { field: string; code: string; message: string }[] = [];
  const filters: Filter[] = [];
  for (const f of raw.filters) {
    const where = `filter[${f.field}]`;
    if (!(FILTERABLE_FIELDS as readonly string[]).includes(f.field)) {
      issues.push({ field: where, code: "not_allowed", message: `cannot filter on "${f.field}"; filterable: ${FILTERABLE_FIELDS.join(", ")}` });
      continue;
    }
    if (!(FILTER_OPERATORS as readonly string[]).includes(f.op)) {
      issues.push({ field: `${where}[${f.op}]`, code: "invalid_value", message: `unknown operator; use one of ${FILTER_OPERATORS.join(", ")}` });
      continue;
    }
    const numeric = NUMERIC_FIELDS.has(f.field);
    const values = f.op === "in" ? (Array.isArray(f.value) ? f.value : f.value.split(",")) : [Array.isArray(f.value) ? (f.value[0] ?? "") : f.value];
    if (numeric && (f.op === "prefix" || f.op === "like")) {
      issues.push({ field: where, code: "invalid_value", message: `${f.op} applies to text fields only` });
      continue;
    }
    if (values.length === 0 || values.length > 100) {
      issues.push({ field: where, code: "out_of_range", message: "in takes 1 to 100 values" });
      continue;
    }
    const coerced: (string | number)[] = [];
    for (const v of values) {
      if (v.length > 320) issues.push({ field: where, code: "out_of_range", message: "value is too long" });
      else if (numeric && !/^-?\d{1,15}$/.test(v)) issues.push({ field: where, code: "invalid_type", message: "must be an integer" });
      else coerced.push(numeric ? Number(v) : v);
    }
    const op = f.op as FilterOperator;
    filters.push({ field: f.field as FilterableField, op, value: op === "in" ? coerced : (coerced[0] ?? "") });
  }
  const sort: SortKey[] = [];
  for (const part of (raw.sort ?? "").split(",").filter((s) => s !== "")) {
    const desc = part.startsWith("-");
    const field = desc ? part.slice(1) : part;
    if (!(SORTABLE_FIELDS as readonly string[]).includes(field)) {
      issues.push({ field: "sort", code: "not_allowed", message: `cannot sort on "${field}"` });
    } else if (sort.some((s) => s.field === field)) {
      issues.push({ field: "sort", code: "invalid_value", message: `"${field}" appears twice` });
    } else {
      sort.push({ field: field as FilterableField, direction: desc ? "desc" : "asc" });
    }
  }
  if (sort.length > 4) issues.push({ field: "sort", code: "out_of_range", message: "at most 4 sort fields" });
  if (raw.startingAfter !== undefined && raw.endingBefore !== undefined) {
    issues.push({ field: "ending_before", code: "not_allowed", message: "cannot be combined with starting_after" });
  }
  if (raw.offset !== undefined && (raw.startingAfter !== undefined || raw.endingBefore !== undefined)) {
    issues.push({ field: "offset", code: "not_allowed", message: "cannot be combined with a cursor" });
  }
  if (issues.length > 0) throw validationFailed(issues as never);
  const q: ListQuery = { filters, sort, limit: raw.limit, includeTotal: raw.includeTotal, includeDeleted: raw.includeDeleted };
  if (raw.startingAfter !== undefined) q.startingAfter = raw.startingAfter;
  if (raw.endingBefore !== undefined) q.endingBefore = raw.endingBefore;
  if (raw.offset !== undefined) q.offset = raw.offset;
  return q;
}
