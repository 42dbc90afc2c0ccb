import { type FieldIssue, validationFailed } from "../../core/errors.js";
import type { Customer, CustomerStatus, RawFilter } from "../../modules/customers/schema.js";
import type { StatusTarget } from "../../modules/lifecycle/service.js";

/**
 * Everlytic customer properties <-> canonical customer fields (seed 004; docs/fields.md has the
 * table). Declarative: one row per property, naming its canonical path and its wire type. The
 * adapter only converts types here; every value rule (lengths, e-mail, country, industry list,
 * package references) is the domain's.
 */

type WireType = "string" | "int";

interface PropertyMap {
  /** Canonical path: "street", "messaging.email_send_quota". */
  to: string;
  type: WireType;
  /** What a missing value reads as (Everlytic answers "" or 0, never null). */
  empty: string | number;
  /** 0 on write means "no package" (Everlytic ids start at 1). */
  zeroClears?: boolean;
}

/** The properties that map one to one (seed 004, "Properties"). */
export const PROPERTIES = {
  email: { to: "email", type: "string", empty: "" },
  email_package_id: { to: "messaging.email_package_id", type: "int", empty: 0, zeroClears: true },
  email_quota: { to: "messaging.email_send_quota", type: "int", empty: 0 },
  sms_quota: { to: "messaging.sms_quota", type: "int", empty: 0 },
  transactions_package_id: { to: "messaging.transactions_package_id", type: "int", empty: 0, zeroClears: true },
  transactions_quota: { to: "messaging.transactions_quota", type: "int", empty: 0 },
  address: { to: "street", type: "string", empty: "" },
  state_provinces: { to: "state", type: "string", empty: "" },
  postal_code: { to: "zipcode", type: "string", empty: "" },
  telephone: { to: "phone", type: "string", empty: "" },
  website_url: { to: "website", type: "string", empty: "" },
  country: { to: "country", type: "string", empty: "" },
  industry: { to: "industry", type: "string", empty: "" },
  unique_id: { to: "external_id", type: "string", empty: "" },
} as const satisfies Record<string, PropertyMap>;
type DirectProperty = keyof typeof PROPERTIES;

export const EVERLYTIC_STATUSES = ["on", "off", "suspended", "deleted"] as const;
export type EverlyticStatus = (typeof EVERLYTIC_STATUSES)[number];

/** Reading: every Custos status as one of Everlytic's four. */
export const STATUS_OUT: Record<CustomerStatus, EverlyticStatus> = {
  active: "on",
  cancellation_requested: "on",
  deactivated: "off",
  closed: "off",
  suspended: "suspended",
  // Locked by failed logins: the account is blocked until unlocked ("on" unlocks it).
  locked: "suspended",
  deleted: "deleted",
};

/** Writing: the status Custos moves the customer to, through the life-cycle transition that reaches it. */
export const STATUS_IN: Record<EverlyticStatus, StatusTarget> = {
  on: "active",
  off: "deactivated",
  suspended: "suspended",
  deleted: "deleted",
};

/** Listing filters: an Everlytic status stands for these Custos statuses. */
const STATUS_FILTER: Record<EverlyticStatus, CustomerStatus[]> = {
  on: ["active", "cancellation_requested"],
  off: ["deactivated", "closed"],
  suspended: ["suspended", "locked"],
  deleted: ["deleted"],
};

/** The reason recorded when a suspension arrives through Everlytic, which has no reason field. */
export const SUSPEND_REASON = "Suspended through the Everlytic API (status: suspended)";

/** Read-only or documentation-only properties a client may send back; they are ignored. */
const IGNORED = new Set(["id", "hash"]);

/** Canonical field -> Everlytic property, for naming the property in error messages. */
const BACK: Record<string, string> = {
  ...Object.fromEntries(Object.entries(PROPERTIES).map(([name, p]) => [p.to, name])),
  first_name: "name",
  last_name: "name",
  name_prefix: "name",
  company: "name",
};

/**
 * Name, joined for reading: the person's full name, else the company. Written: the last word is
 * the last name and the words before it the first name; a single word is a company name
 * (so "Acme" reads back as "Acme", and "Jane van Dijk" as first "Jane van", last "Dijk").
 */
export function nameOut(c: Customer): string {
  return c.full_name ?? c.company ?? "";
}
export function nameIn(name: string): Record<string, string | null> {
  const words = name.trim().split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return { first_name: null, last_name: null, name_prefix: null, company: null };
  if (words.length === 1) return { company: words[0] ?? "", first_name: null, last_name: null, name_prefix: null };
  return { first_name: words.slice(0, -1).join(" "), last_name: words[words.length - 1] ?? "", name_prefix: null };
}

/** The customer as Everlytic's `item` (REST) or struct (XML-RPC). */
export function encodeCustomer(c: Customer): Record<string, string | number> {
  const out: Record<string, string | number> = {
    id: c.id,
    name: nameOut(c),
    status: c.deleted ? "deleted" : STATUS_OUT[c.status],
    deleted: c.deleted ? "yes" : "no",
  };
  for (const [name, p] of Object.entries(PROPERTIES) as [DirectProperty, PropertyMap][]) {
    const v = readPath(c, p.to);
    out[name] = v === null || v === undefined ? p.empty : name === "telephone" ? phoneOut(String(v)) : (v as string | number);
  }
  return out;
}

/** Custos keeps phones as +CC.NUMBER (INWX's form); Everlytic clients expect +CCNUMBER. */
function phoneOut(p: string): string {
  const m = /^\+(\d+)\.(\d+)(?:-(\d+))?$/.exec(p);
  return m ? `+${m[1]}${m[2]}${m[3] ? ` ext. ${m[3]}` : ""}` : p;
}

function readPath(c: Customer, path: string): unknown {
  let v: unknown = c;
  for (const key of path.split(".")) v = v === null || typeof v !== "object" ? undefined : (v as Record<string, unknown>)[key];
  return v;
}

export interface DecodedProperties {
  /** Canonical fields (a customer create or patch payload). */
  fields: Record<string, unknown>;
  /** The status asked for, when `status` or `deleted` was sent. */
  target?: StatusTarget;
}

/**
 * Decodes an Everlytic property table. Types are checked here (ints may come as digit strings,
 * as PHP clients send them; strings may come as numbers); "" clears an optional property.
 * Unknown properties are refused by name.
 */
export function decodeProperties(input: unknown, mode: "create" | "update"): DecodedProperties {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw validationFailed([{ field: "properties", code: "invalid_type", message: "must be an object (struct) of customer properties" }]);
  }
  const issues: FieldIssue[] = [];
  const fields: Record<string, unknown> = {};
  const messaging: Record<string, unknown> = {};
  let target: StatusTarget | undefined;
  let deletedFlag: "yes" | "no" | undefined;
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (IGNORED.has(name)) continue;
    if (name === "name") {
      if (typeof value !== "string") issues.push({ field: "name", code: "invalid_type", message: "must be a string" });
      else Object.assign(fields, nameIn(value));
      continue;
    }
    if (name === "status") {
      const s = typeof value === "string" ? value.trim().toLowerCase() : "";
      if (!(EVERLYTIC_STATUSES as readonly string[]).includes(s)) issues.push({ field: "status", code: "invalid_value", message: `must be one of ${EVERLYTIC_STATUSES.join(", ")}` });
      else target = STATUS_IN[s as EverlyticStatus];
      continue;
    }
    if (name === "deleted") {
      const d = typeof value === "string" ? value.trim().toLowerCase() : value === true ? "yes" : value === false ? "no" : "";
      if (d !== "yes" && d !== "no") issues.push({ field: "deleted", code: "invalid_value", message: "must be yes or no" });
      else deletedFlag = d;
      continue;
    }
    const p = (PROPERTIES as Record<string, PropertyMap>)[name];
    if (!p) {
      issues.push({ field: name, code: "not_allowed", message: `Unknown property "${name}"` });
      continue;
    }
    const decoded = decodeValue(name, p, value, issues);
    if (decoded === undefined) continue;
    const [head, sub] = p.to.split(".") as [string, string | undefined];
    if (sub !== undefined) messaging[sub] = decoded;
    else fields[head] = decoded;
  }
  if (deletedFlag === "yes") {
    if (target !== undefined && target !== "deleted") issues.push({ field: "deleted", code: "invalid_value", message: `yes contradicts status ${Object.entries(STATUS_IN).find(([, t]) => t === target)?.[0]}` });
    else target = "deleted";
  } else if (deletedFlag === "no" && target === "deleted") {
    issues.push({ field: "deleted", code: "invalid_value", message: "no contradicts status deleted" });
  }
  if (mode === "create" && target === "deleted") issues.push({ field: "status", code: "invalid_value", message: "a new customer cannot be deleted" });
  if (issues.length > 0) throw validationFailed(issues);
  if (Object.keys(messaging).length > 0) fields.messaging = messaging;
  if (mode === "create") {
    // A create payload has nothing to clear.
    for (const [k, v] of Object.entries(fields)) if (v === null) delete fields[k];
    if (target !== undefined) fields.status = target;
    return { fields };
  }
  return target === undefined ? { fields } : { fields, target };
}

function decodeValue(name: string, p: PropertyMap, value: unknown, issues: FieldIssue[]): unknown {
  if (p.type === "int") {
    const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) {
      issues.push({ field: name, code: "invalid_type", message: "must be a non-negative integer" });
      return undefined;
    }
    return n === 0 && p.zeroClears ? null : n;
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") {
    issues.push({ field: name, code: "invalid_type", message: "must be a string" });
    return undefined;
  }
  return value === "" ? null : value;
}

/** Names the Everlytic property behind each issue of a domain validation error. */
export function renameIssues(issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => ({ ...i, field: BACK[i.field] ?? i.field }));
}

/** ListCustomers `order`: the Everlytic properties a list may be sorted by. */
export const ORDER_FIELDS: Record<string, string> = {
  id: "id",
  name: "last_name",
  email: "email",
  status: "status",
  address: "street",
  state_provinces: "state",
  postal_code: "zipcode",
  telephone: "phone",
  country: "country",
  industry: "industry",
};

/** ListCustomers `filter`: equality on these properties. */
const FILTER_FIELDS: Record<string, string> = { ...Object.fromEntries(Object.entries(ORDER_FIELDS).filter(([k]) => k !== "name")), unique_id: "external_id" };

export interface DecodedList {
  page: number;
  count: number;
  sort: string | undefined;
  filters: RawFilter[];
  includeDeleted: boolean;
}

export const MAX_COUNT = 1000;

/** ListCustomers(page = 1, count = 50, order = '', direction = 'ASC', filter = {}), the same on REST query strings. */
export function decodeList(args: { page?: unknown; count?: unknown; order?: unknown; direction?: unknown; filter?: unknown }): DecodedList {
  const issues: FieldIssue[] = [];
  const int = (name: string, v: unknown, dflt: number, max: number): number => {
    if (v === undefined || v === "") return dflt;
    const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,9}$/.test(v.trim()) ? Number(v) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > max) {
      issues.push({ field: name, code: "invalid_value", message: `must be an integer from 1 to ${max}` });
      return dflt;
    }
    return n;
  };
  const page = int("page", args.page, 1, 1_000_000);
  const count = int("count", args.count, 50, MAX_COUNT);
  let sort: string | undefined;
  const order = args.order === undefined ? "" : args.order;
  if (typeof order !== "string") issues.push({ field: "order", code: "invalid_type", message: "must be a property name" });
  else if (order !== "") {
    const field = ORDER_FIELDS[order];
    if (!field) issues.push({ field: "order", code: "not_allowed", message: `cannot order by "${order}"; use one of ${Object.keys(ORDER_FIELDS).join(", ")}` });
    else sort = field;
  }
  const direction = args.direction === undefined || args.direction === "" ? "ASC" : args.direction;
  if (typeof direction !== "string" || !/^(asc|desc)$/i.test(direction)) issues.push({ field: "direction", code: "invalid_value", message: "must be ASC or DESC" });
  else if (sort !== undefined && direction.toUpperCase() === "DESC") sort = `-${sort}`;
  const filters: RawFilter[] = [];
  let includeDeleted = false;
  const filter = args.filter === undefined || args.filter === "" ? {} : args.filter;
  if (filter === null || typeof filter !== "object" || Array.isArray(filter)) {
    issues.push({ field: "filter", code: "invalid_type", message: "must be a struct of property: value" });
  } else {
    for (const [name, value] of Object.entries(filter as Record<string, unknown>)) {
      const field = FILTER_FIELDS[name];
      if (!field) {
        issues.push({ field: `filter.${name}`, code: "not_allowed", message: `cannot filter on "${name}"; use one of ${Object.keys(FILTER_FIELDS).join(", ")}` });
        continue;
      }
      if (typeof value !== "string" && typeof value !== "number") {
        issues.push({ field: `filter.${name}`, code: "invalid_type", message: "must be a string or an integer" });
        continue;
      }
      if (name === "status") {
        const s = String(value).toLowerCase() as EverlyticStatus;
        const statuses = STATUS_FILTER[s];
        if (!statuses) issues.push({ field: "filter.status", code: "invalid_value", message: `must be one of ${EVERLYTIC_STATUSES.join(", ")}` });
        else {
          if (s === "deleted") includeDeleted = true;
          filters.push({ field: "status", op: "in", value: statuses });
        }
        continue;
      }
      filters.push({ field, op: "eq", value: String(value) });
    }
  }
  if (issues.length > 0) throw validationFailed(issues);
  return { page, count, sort, filters, includeDeleted };
}
