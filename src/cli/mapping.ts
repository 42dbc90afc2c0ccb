/**
 * Turns the columns of an import file into canonical customer fields. The file's header names
 * the columns; canonical names (`first_name`), common spellings (`First Name`, `surname`,
 * `postcode`), dotted group fields (`resources.diskspace_mb`) and `tag:<key>` columns are
 * understood, and `--map "Column=field"` settles the rest. The domain validates the values.
 */
import { FIELD_ALIASES, FLAG_FIELDS, IMPORTABLE_FIELDS, JSON_FIELDS as JSON_COLUMNS, MERGED_FIELDS } from "../modules/customers/fields.js";

/** Writable top-level customer fields an import sets (as the create schema names them), from the domain's field table. */
export const CUSTOMER_FIELDS = IMPORTABLE_FIELDS;

/** Fields an export writes that an import cannot set: ignored, so an export file imports as it is. */
export const READ_ONLY_FIELDS = new Set(["object", "id", "handle", "owner_id", "deleted", "full_name", "created_at", "updated_at", "deleted_at", "version"]);

const GROUPS = MERGED_FIELDS;
const BOOLEAN_FIELDS: ReadonlySet<string> = new Set(FLAG_FIELDS);
const JSON_FIELDS: ReadonlySet<string> = new Set(JSON_COLUMNS);
const ALIASES: Readonly<Record<string, string>> = FIELD_ALIASES;

/** Where a column's value goes: a top-level field, a field of a group, or one tag. */
export type Target = { kind: "field"; field: string } | { kind: "group"; group: string; key: string } | { kind: "tag"; key: string } | { kind: "ignore" };

export interface ColumnPlan {
  targets: Target[];
  ignored: string[];
  /** Columns nothing maps: an import refuses to start with any. */
  unknown: string[];
}

const normalise = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_")
    .replace(/^_+|_+$/g, "");

/** Resolves one column name. */
export function targetOf(column: string, explicit: ReadonlyMap<string, string>): Target | null {
  const mapped = explicit.get(column) ?? explicit.get(column.trim());
  const name = mapped ?? column.trim();
  if (mapped === "-" || mapped === "ignore") return { kind: "ignore" };
  if (/^tags?:/i.test(name)) return { kind: "tag", key: name.slice(name.indexOf(":") + 1).trim() };
  const dot = name.indexOf(".");
  if (dot > 0) {
    const group = normalise(name.slice(0, dot));
    const key = name.slice(dot + 1).trim();
    if (GROUPS.has(group) && key !== "") return { kind: "group", group, key: group === "metadata" ? key : normalise(key) };
  }
  const n = normalise(name);
  if ((CUSTOMER_FIELDS as readonly string[]).includes(n)) return { kind: "field", field: n };
  if (READ_ONLY_FIELDS.has(n)) return { kind: "ignore" };
  const alias = ALIASES[n];
  return alias ? { kind: "field", field: alias } : null;
}

export function planColumns(header: string[], explicit: ReadonlyMap<string, string>): ColumnPlan {
  const plan: ColumnPlan = { targets: [], ignored: [], unknown: [] };
  for (const column of header) {
    const t = targetOf(column, explicit);
    if (t === null) {
      plan.unknown.push(column);
      plan.targets.push({ kind: "ignore" });
    } else {
      if (t.kind === "ignore") plan.ignored.push(column);
      plan.targets.push(t);
    }
  }
  return plan;
}

/** `--map "E-Mail Address=email,Plan=tag:plan"`; `=-` ignores a column. */
export function parseMapOption(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    for (const pair of v.split(",")) {
      const eq = pair.lastIndexOf("=");
      if (eq <= 0) throw new Error(`--map expects "Column=field", got "${pair}"`);
      out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  return out;
}

/** A CSV cell as the value the schema expects; values it cannot read stay strings so the domain names the problem. */
function cellValue(field: string, raw: string): unknown {
  if (BOOLEAN_FIELDS.has(field)) return boolish(raw);
  if (JSON_FIELDS.has(field) && /^[[{]/.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (field === "tags") {
    // tags as "plan=gold;region=eu"
    return raw.split(";").filter((p) => p.trim() !== "").map((p) => {
      const eq = p.indexOf("=");
      return eq < 0 ? { key: p.trim(), value: "" } : { key: p.slice(0, eq).trim(), value: p.slice(eq + 1).trim() };
    });
  }
  return raw;
}

function boolish(raw: string): unknown {
  const v = raw.trim().toLowerCase();
  if (["true", "1", "yes", "y"].includes(v)) return true;
  if (["false", "0", "no", "n"].includes(v)) return false;
  return raw;
}

function groupValue(group: string, raw: string): unknown {
  if (group === "metadata") return raw;
  if (/^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  const b = boolish(raw);
  if (typeof b === "boolean") return b;
  if (raw.trim().toLowerCase() === "null") return null;
  return raw;
}

function groupOf(out: Record<string, unknown>, group: string): Record<string, unknown> {
  let g = out[group] as Record<string, unknown> | undefined;
  if (g === undefined) {
    g = {};
    out[group] = g;
  }
  return g;
}

function addTag(out: Record<string, unknown>, key: string, value: string): void {
  let tags = out.tags as unknown[] | undefined;
  if (tags === undefined) {
    tags = [];
    out.tags = tags;
  }
  tags.push({ key, value });
}

/** One CSV record as a create payload; empty cells are left out. */
export function recordFromCells(cells: readonly string[], targets: readonly Target[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < targets.length; i++) {
    const raw = cells[i];
    const t = targets[i];
    if (raw === undefined || raw === "" || t === undefined) continue;
    switch (t.kind) {
      case "field":
        out[t.field] = cellValue(t.field, raw);
        break;
      case "group":
        groupOf(out, t.group)[t.key] = groupValue(t.group, raw);
        break;
      case "tag":
        addTag(out, t.key, raw);
        break;
      case "ignore":
        break;
    }
  }
  return out;
}

/** A JSON-lines object with its keys mapped the same way; unknown keys are kept so the schema names them. */
export function recordFromObject(obj: Record<string, unknown>, explicit: ReadonlyMap<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === null || value === undefined || value === "") continue;
    const t = targetOf(key, explicit);
    if (t === null) out[key] = value;
    else if (t.kind === "field") out[t.field] = value;
    else if (t.kind === "group") groupOf(out, t.group)[t.key] = value;
    else if (t.kind === "tag") addTag(out, t.key, String(value));
  }
  return out;
}
