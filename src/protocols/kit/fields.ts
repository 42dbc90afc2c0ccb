import { type FieldIssue, validationFailed } from "../../core/errors.js";

/**
 * Declarative field maps: one table per payload says which wire name carries which canonical
 * field and with which wire type. The same table decodes requests, encodes answers and renames
 * the canonical field names in validation errors back to the wire names, so a protocol's error
 * names the protocol's own parameter. Only types are checked here; value rules are the command's.
 */

type Decoded = { ok: true; value: unknown } | { ok: false; code: "invalid_type" | "out_of_range" | "invalid_value"; message: string };

/** A wire type: how a wire value becomes a canonical one and back. */
export interface WireType {
  decode(value: unknown): Decoded;
  /** Canonical -> wire; `undefined` leaves the field out of the answer. Default: unchanged. */
  encode?(value: unknown): unknown;
}

const INT = /^-?\d{1,15}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;
const ok = (value: unknown): Decoded => ({ ok: true, value });

/** The wire types RPC protocols share. Protocol-specific ones are written next to their table. */
export const wire = {
  /** Text; numbers are taken as their text, since RPC clients send postal codes and PINs as numbers. */
  text: {
    decode: (v) => (typeof v === "string" ? ok(v) : typeof v === "number" && Number.isFinite(v) ? ok(String(v)) : { ok: false, code: "invalid_type", message: "must be a string" }),
  },
  /** Text that must arrive as text. */
  string: { decode: (v) => (typeof v === "string" ? ok(v) : { ok: false, code: "invalid_type", message: "must be a string" }) },
  int: {
    decode: (v) =>
      typeof v === "number" && Number.isSafeInteger(v)
        ? ok(v)
        : typeof v === "string" && INT.test(v.trim())
          ? ok(Number(v.trim()))
          : { ok: false, code: "invalid_type", message: "must be an integer" },
  },
  /** 0/1/true/false as booleans, numbers or text. */
  boolean: {
    decode: (v) =>
      v === true || v === 1 || v === "1" || v === "true"
        ? ok(true)
        : v === false || v === 0 || v === "0" || v === "false"
          ? ok(false)
          : { ok: false, code: "invalid_type", message: "must be a boolean (0, 1, true or false)" },
  },
  /** Any decimal number, negative included. */
  decimal: { decode: (v) => decimal(v, true) },
  /** A decimal number of 0 or more. */
  unsignedDecimal: { decode: (v) => decimal(v, false) },
  /** One integer or a list of them. */
  intList: {
    decode(v) {
      const out: number[] = [];
      for (const item of Array.isArray(v) ? v : [v]) {
        const d = wire.int.decode(item);
        if (!d.ok) return { ok: false, code: "invalid_type", message: "must be an integer or a list of integers" };
        out.push(d.value as number);
      }
      return ok(out);
    },
  },
  /** An ISO timestamp leaves as a Date, so each codec writes its own form (ISO text, dateTime.iso8601). */
  date: { decode: (v) => (typeof v === "string" ? ok(v) : { ok: false, code: "invalid_type", message: "must be a date" }), encode: (v) => (typeof v === "string" && v !== "" ? new Date(v) : undefined) },
} satisfies Record<string, WireType>;

function decimal(v: unknown, signed: boolean): Decoded {
  const n = typeof v === "number" ? v : typeof v === "string" && DECIMAL.test(v.trim()) ? Number(v.trim()) : Number.NaN;
  if (!Number.isFinite(n)) return { ok: false, code: "invalid_type", message: "must be a decimal number" };
  if (!signed && n < 0) return { ok: false, code: "out_of_range", message: "must not be negative" };
  return ok(n);
}

export interface FieldSpec {
  /** Canonical path, dotted for nested objects: "first_name", "registrar.email_billing". */
  to: string;
  type: WireType;
  /** For optional wire types: "" clears the canonical field (null). */
  emptyClears?: boolean;
  /** Wire value answered when the canonical field is empty or the type cannot encode it. */
  fallback?: unknown;
}

/** Wire name -> canonical field. */
export type FieldMap = Readonly<Record<string, FieldSpec>>;

export function defineFields<M extends Record<string, FieldSpec>>(map: M): M {
  return map;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === undefined || node[part] === null || typeof node[part] !== "object") node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function getPath(source: unknown, path: string): unknown {
  let v: unknown = source;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * Wire parameters -> canonical input. Unknown names, nulls and wrong wire types are collected and
 * thrown as one validation error that names the wire parameters.
 */
export function decodeFields(map: FieldMap, params: Record<string, unknown>): Record<string, unknown> {
  const issues: FieldIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(params)) {
    const spec = Object.hasOwn(map, name) ? map[name] : undefined;
    if (!spec) {
      issues.push({ field: name, code: "not_allowed", message: `Unknown parameter ${name}` });
      continue;
    }
    if (raw === null || raw === undefined) {
      issues.push({ field: name, code: "invalid_type", message: "must not be null" });
      continue;
    }
    const d = spec.type.decode(raw);
    if (!d.ok) {
      issues.push({ field: name, code: d.code, message: d.message });
      continue;
    }
    setPath(out, spec.to, spec.emptyClears && d.value === "" ? null : d.value);
  }
  if (issues.length > 0) throw validationFailed(issues);
  return out;
}

/**
 * Canonical object -> wire fields, in table order. Absent and unencodable values are left out;
 * nulls too, unless `keepNull` (for answers that always carry every field).
 */
export function encodeFields(map: FieldMap, source: unknown, options: { keepNull?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(map)) {
    const value = getPath(source, spec.to);
    if (value === null && options.keepNull && spec.fallback === undefined) {
      out[name] = null;
      continue;
    }
    const encoded = value === undefined || value === null ? undefined : spec.type.encode ? spec.type.encode(value) : value;
    if (encoded !== undefined && encoded !== null) out[name] = encoded;
    else if (spec.fallback !== undefined) out[name] = spec.fallback;
  }
  return out;
}

/**
 * Renames canonical field names in issues to wire names. A nested issue ("registrar.bank_code.x")
 * takes the name of the closest mapped parent; names no table maps stay as they are.
 */
export function issueRenamer(...maps: FieldMap[]): (issues: FieldIssue[]) => FieldIssue[] {
  const back = new Map<string, string>();
  for (const map of maps) for (const [name, spec] of Object.entries(map)) if (!back.has(spec.to)) back.set(spec.to, name);
  const rename = (field: string): string => {
    const parts = field.split(".");
    for (let n = parts.length; n > 0; n--) {
      const hit = back.get(parts.slice(0, n).join("."));
      if (hit !== undefined) return hit;
    }
    return field;
  };
  return (issues) => issues.map((i) => ({ ...i, field: rename(i.field) }));
}
