import type { FieldIssue } from "../../core/errors.js";
import type { Customer, RawFilter, RawListQuery } from "../../modules/customers/schema.js";
import { EXTENSION_KEYS } from "../../modules/customers/extension-data.js";
import { EMPTY_PHONE, joinPhone, type OpPhone, splitPhone } from "./phone.js";

/**
 * Openprovider customer <-> canonical customer, as tables (docs/fields.md, Openprovider section).
 * Decoding renames and converts only; every rule is the canonical schema's.
 */

/** Plain text fields: Openprovider path -> canonical field. */
export const TEXT_FIELDS: readonly (readonly [string, keyof Customer])[] = [
  ["email", "email"],
  ["company_name", "company"],
  ["vat", "vat_number"],
  ["locale", "locale"],
  ["comments", "notes"],
  ["name.first_name", "first_name"],
  ["name.prefix", "name_prefix"],
  ["name.initials", "initials"],
  ["name.last_name", "last_name"],
  ["address.street", "street"],
  ["address.number", "house_number"],
  ["address.suffix", "house_number_suffix"],
  ["address.zipcode", "zipcode"],
  ["address.city", "city"],
  ["address.state", "state"],
  ["address.country", "country"],
];

/** Structured fields with their own conversion. */
const STRUCTURED: readonly (readonly [string, keyof Customer])[] = [
  ["phone", "phone"],
  ["fax", "fax"],
  ["tags", "tags"],
  ["additional_data", "additional_data"],
  ["extension_additional_data", "extension_data"],
  ["reseller_id", "owner_id"],
];

/** Fields fixed after creation (Openprovider: a new name means a new handle). */
export const IMMUTABLE_ON_UPDATE: readonly (keyof Customer)[] = ["first_name", "last_name", "name_prefix", "initials", "company"];

const WIRE_NAME: ReadonlyMap<string, string> = new Map([...TEXT_FIELDS, ...STRUCTURED].map(([wire, canonical]) => [canonical as string, wire]));

/** A canonical field path in an error ("extension_data.es.legal_type") in Openprovider's words. */
export function wireField(field: string): string {
  const [head = "", ...rest] = field.split(".");
  const wire = WIRE_NAME.get(head) ?? head;
  return [wire, ...rest].join(".");
}

export function renameIssues(issues: readonly FieldIssue[]): FieldIssue[] {
  return issues.map((i) => ({ ...i, field: wireField(i.field) }));
}

type Mode = "create" | "update";
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function at(body: Json, path: string): unknown {
  let v: unknown = body;
  for (const part of path.split(".")) {
    if (!isObject(v)) return undefined;
    v = v[part];
  }
  return v;
}

/**
 * Openprovider clients send `""` for every empty value (defaults are emitted) and drop nulls:
 * on create an empty value is absent, on update it clears the field. Numbers become text (a
 * house number sent as 83). Anything else goes to the canonical rule as it is.
 */
function text(value: unknown, mode: Mode): unknown {
  if (value === undefined || value === null) return undefined;
  if (value === "") return mode === "create" ? undefined : null;
  if (typeof value === "number") return String(value);
  return value;
}

function phone(value: unknown, mode: Mode): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return text(value, mode);
  if (!isObject(value)) return value;
  const joined = joinPhone(value as Partial<Record<keyof OpPhone, unknown>>);
  if (joined === null) return mode === "create" ? undefined : null;
  return joined;
}

/** Empty values in a data object are Openprovider's emitted defaults, not data. */
function compact(data: unknown): unknown {
  if (!isObject(data)) return data;
  const out: Json = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === "" || v === null || v === undefined) continue;
    out[k] = typeof v === "number" ? String(v) : v;
  }
  return out;
}

function additionalData(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return value;
  const { attached_files: _files, ...rest } = value;
  return compact(rest);
}

function extensionData(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return value;
  return value.map((e) => (isObject(e) ? { name: e.name, data: compact(e.data ?? {}) } : e));
}

/** An Openprovider customer body as canonical create/patch input; unknown and read-only keys are ignored. */
export function decodeCustomer(body: unknown, mode: Mode): Json {
  const b = isObject(body) ? body : {};
  const out: Json = {};
  for (const [wire, canonical] of TEXT_FIELDS) {
    const v = text(at(b, wire), mode);
    if (v !== undefined) out[canonical] = v;
  }
  // A required field sent as "" must reach the rule that names it, not read as "absent".
  if (b.email === "") out.email = "";
  for (const key of ["phone", "fax"] as const) {
    const v = phone(b[key], mode);
    if (v !== undefined) out[key] = v;
  }
  if (b.tags !== undefined && b.tags !== null) out.tags = b.tags;
  const ad = additionalData(b.additional_data);
  if (ad !== undefined) out.additional_data = ad;
  const ext = extensionData(b.extension_additional_data);
  if (ext !== undefined) out.extension_data = ext;
  return out;
}

/** Openprovider dates: `YYYY-MM-DD HH:MM:SS` UTC, unset `0000-00-00 00:00:00`. */
export function opDate(iso: string | null): string {
  if (iso === null) return "0000-00-00 00:00:00";
  return iso.slice(0, 19).replace("T", " ");
}

const EXTENSION_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(Object.keys(EXTENSION_KEYS).map((k) => [k, ""]));
export const ADDITIONAL_KEYS = [
  "birth_address",
  "birth_city",
  "birth_country",
  "birth_date",
  "birth_state",
  "birth_zipcode",
  "company_registration_city",
  "company_registration_number",
  "company_registration_subscription_date",
  "company_url",
  "headquarters_address",
  "headquarters_city",
  "headquarters_country",
  "headquarters_state",
  "headquarters_zipcode",
  "passport_number",
  "social_security_number",
  "trading_name",
] as const;

/**
 * A canonical customer in Openprovider's shape: every object complete, every default emitted
 * (the WHMCS module reads name, address and phone without checks), `id` and `reseller_id` numbers.
 */
export function encodeCustomer(c: Customer, options: { single: boolean; withAdditionalData: boolean }): Json {
  const s = (v: string | null): string => v ?? "";
  const out: Json = {
    id: c.id,
    handle: c.handle,
    reseller_id: c.owner_id,
    company_name: s(c.company),
    email: c.email,
    email_verification_status: "",
    locale: s(c.locale),
    comments: s(c.notes),
    comments_last_changed_at: opDate(null),
    is_deleted: c.deleted,
    deleted_at: opDate(c.deleted_at),
    name: { first_name: s(c.first_name), full_name: s(c.full_name), initials: s(c.initials), last_name: s(c.last_name), prefix: s(c.name_prefix) },
    address: { street: s(c.street), number: s(c.house_number), suffix: s(c.house_number_suffix), zipcode: s(c.zipcode), city: s(c.city), state: s(c.state), country: s(c.country) },
    phone: splitPhone(c.phone),
  };
  if (options.single) {
    out.fax = c.fax ? splitPhone(c.fax) : { ...EMPTY_PHONE };
    out.vat = s(c.vat_number);
    out.inn = "";
  }
  out.tags = c.tags.map((t) => ({ key: t.key, value: t.value }));
  if (options.withAdditionalData) {
    const ad: Json = { attached_files: [] };
    const stored = c.additional_data as Record<string, string | undefined>;
    for (const k of ADDITIONAL_KEYS) ad[k] = stored[k] ?? "";
    out.additional_data = ad;
  }
  out.extension_additional_data = c.extension_data.map((e) => ({ name: e.name, data: { ...EXTENSION_DEFAULTS, ...e.data } }));
  return out;
}

// ---- list queries ------------------------------------------------------------------------------

/** `*_pattern` query parameters -> the canonical field they match (`*` wildcards, `like`). */
export const PATTERN_FIELDS: Readonly<Record<string, string>> = {
  email_pattern: "email",
  first_name_pattern: "first_name",
  last_name_pattern: "last_name",
  company_name_pattern: "company",
  comment_pattern: "notes",
  handle_pattern: "handle",
  // Openprovider does not say which field `pattern` searches; the last name is the one its
  // control panel searches customers by (inferred).
  pattern: "last_name",
};

/** `order_by` values -> canonical sort field. */
export const ORDER_FIELDS: Readonly<Record<string, string>> = {
  id: "id",
  handle: "handle",
  email: "email",
  company_name: "company",
  first_name: "first_name",
  last_name: "last_name",
  "name.first_name": "first_name",
  "name.last_name": "last_name",
  reseller_id: "owner_id",
};

export const LIST_LIMIT_DEFAULT = 100;
export const LIST_LIMIT_MAX = 1000;

export interface OpListQuery {
  query: RawListQuery;
  withAdditionalData: boolean;
}

/** Query flags come as true/false or 1/0 (the PHP client writes true/false). */
export function flag(value: unknown, name: string, issues: FieldIssue[]): boolean {
  if (value === undefined || value === "") return false;
  const v = String(value).toLowerCase();
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  issues.push({ field: name, code: "invalid_value", message: "must be true, false, 1 or 0" });
  return false;
}

function integer(value: unknown, name: string, min: number, max: number, issues: FieldIssue[]): number | undefined {
  if (value === undefined || value === "") return undefined;
  const s = String(value);
  const n = Number(s);
  if (!/^\d{1,10}$/.test(s) || n < min || n > max) {
    issues.push({ field: name, code: "out_of_range", message: `must be an integer ${min}-${max}` });
    return undefined;
  }
  return n;
}

const one = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** GET /customers query -> a canonical list query (the customer service checks it further). */
export function decodeListQuery(raw: Record<string, unknown>): { list: OpListQuery; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const q: Record<string, unknown> = {};
  // `columns` may repeat; every other parameter is read once.
  for (const [k, v] of Object.entries(raw)) q[k] = k === "columns" ? v : one(v);
  const filters: RawFilter[] = [];
  for (const [param, field] of Object.entries(PATTERN_FIELDS)) {
    const v = q[param];
    if (v === undefined || v === "") continue;
    if (/[\u0000-\u001f]/.test(String(v))) {
      issues.push({ field: param, code: "invalid_format", message: "must not contain control characters" });
      continue;
    }
    filters.push({ field, op: "like", value: String(v) });
  }
  const type = q.type;
  if (type === "company") filters.push({ field: "company", op: "ne", value: "" });
  else if (type === "individual") filters.push({ field: "company", op: "eq", value: "" });
  else if (type !== undefined && type !== "") issues.push({ field: "type", code: "invalid_value", message: "must be company or individual" });
  const reseller = integer(q.reseller_id, "reseller_id", 1, 2_147_483_647, issues);
  if (reseller !== undefined) filters.push({ field: "owner_id", op: "eq", value: String(reseller) });
  const limit = integer(q.limit, "limit", 1, LIST_LIMIT_MAX, issues) ?? LIST_LIMIT_DEFAULT;
  const offset = integer(q.offset, "offset", 0, 1_000_000_000, issues);
  const order = q.order === undefined || q.order === "" ? "asc" : String(q.order).toLowerCase();
  if (order !== "asc" && order !== "desc") issues.push({ field: "order", code: "invalid_value", message: "must be ASC or DESC" });
  let sort: string | undefined;
  if (q.order_by !== undefined && q.order_by !== "") {
    const f = ORDER_FIELDS[String(q.order_by)];
    if (f === undefined) issues.push({ field: "order_by", code: "invalid_value", message: `must be one of ${Object.keys(ORDER_FIELDS).join(", ")}` });
    else sort = order === "desc" ? `-${f}` : f;
  } else if (order === "desc") {
    sort = "-id";
  }
  const withAdditionalData = flag(q.with_additional_data, "with_additional_data", issues);
  const query: RawListQuery = { filters, limit, includeTotal: true, includeDeleted: false, sort, offset };
  return { list: { query, withAdditionalData }, issues };
}
