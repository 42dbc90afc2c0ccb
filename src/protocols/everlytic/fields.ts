import { AppError, type FieldIssue, validationFailed } from "../../core/errors.js";
import type { Customer, CustomerStatus, RawFilter } from "../../modules/customers/schema.js";
import type { StatusTarget } from "../../modules/lifecycle/service.js";
import { decodeFields, defineFields, encodeFields, issueRenamer, wire, type WireType } from "../kit/fields.js";

/**
 * Everlytic customer properties <-> canonical customer fields (seed 004; docs/fields.md has the
 * table). The kit decodes, encodes and renames error fields from these tables; the commands apply
 * every value rule (lengths, e-mail, country, the industry list, package references).
 */

/** A package id: 0 means "no package" (Everlytic ids start at 1). */
const packageId: WireType = {
  decode(v) {
    const d = wire.int.decode(v);
    return d.ok && d.value === 0 ? { ok: true, value: null } : d;
  },
};

/** Custos keeps phones as +CC.NUMBER (INWX's form); Everlytic clients expect +CCNUMBER. */
const telephone: WireType = {
  decode: wire.text.decode,
  encode(v) {
    const m = typeof v === "string" ? /^\+(\d+)\.(\d+)(?:-(\d+))?$/.exec(v) : null;
    return m ? `+${m[1]}${m[2]}${m[3] ? ` ext. ${m[3]}` : ""}` : v;
  },
};

/** The properties that map one to one (seed 004, "Properties"). Empty values read as "" or 0, never null. */
export const PROPERTIES = defineFields({
  email: { to: "email", type: wire.text, fallback: "" },
  email_package_id: { to: "messaging.email_package_id", type: packageId, fallback: 0 },
  email_quota: { to: "messaging.email_send_quota", type: wire.int, fallback: 0 },
  sms_quota: { to: "messaging.sms_quota", type: wire.int, fallback: 0 },
  transactions_package_id: { to: "messaging.transactions_package_id", type: packageId, fallback: 0 },
  transactions_quota: { to: "messaging.transactions_quota", type: wire.int, fallback: 0 },
  address: { to: "street", type: wire.text, emptyClears: true, fallback: "" },
  state_provinces: { to: "state", type: wire.text, emptyClears: true, fallback: "" },
  postal_code: { to: "zipcode", type: wire.text, emptyClears: true, fallback: "" },
  telephone: { to: "phone", type: telephone, emptyClears: true, fallback: "" },
  website_url: { to: "website", type: wire.text, emptyClears: true, fallback: "" },
  country: { to: "country", type: wire.text, emptyClears: true, fallback: "" },
  industry: { to: "industry", type: wire.text, emptyClears: true, fallback: "" },
  unique_id: { to: "external_id", type: wire.text, emptyClears: true, fallback: "" },
});

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

/** Properties with their own conversion (below), and read-only or documentation-only ones a client may echo back (ignored). */
const SPECIAL = new Set(["name", "status", "deleted"]);
const IGNORED = new Set(["id", "hash"]);

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
export function encodeCustomer(c: Customer): Record<string, unknown> {
  return { id: c.id, name: nameOut(c), status: c.deleted ? "deleted" : STATUS_OUT[c.status], deleted: c.deleted ? "yes" : "no", ...encodeFields(PROPERTIES, c) };
}

const renameProperties = issueRenamer(PROPERTIES);
const NAME_PARTS = new Set(["first_name", "last_name", "name_prefix", "company"]);

/** Canonical field names in a command's issues -> Everlytic property names. */
export function renameIssues(issues: FieldIssue[]): FieldIssue[] {
  return renameProperties(issues).map((i) => (NAME_PARTS.has(i.field) ? { ...i, field: "name" } : i.field === "status_reason" ? { ...i, field: "status" } : i));
}

export interface DecodedProperties {
  /** Canonical fields (a customer create or patch payload). */
  fields: Record<string, unknown>;
  /** The status asked for, when `status` or `deleted` was sent. */
  target?: StatusTarget;
}

/**
 * Decodes an Everlytic property table: the one-to-one properties through PROPERTIES (ints may come
 * as digit strings and strings as numbers, as PHP clients send them; "" clears an optional one),
 * name, status and deleted by their own rules. Every wrong property is reported at once.
 */
export function decodeProperties(input: unknown, mode: "create" | "update"): DecodedProperties {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw validationFailed([{ field: "properties", code: "invalid_type", message: "must be an object (struct) of customer properties" }]);
  }
  const issues: FieldIssue[] = [];
  const plain: Record<string, unknown> = {};
  const named: Record<string, unknown> = {};
  let target: StatusTarget | undefined;
  let deletedFlag: "yes" | "no" | undefined;
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (IGNORED.has(name)) continue;
    if (!SPECIAL.has(name)) {
      plain[name] = value;
    } else if (name === "name") {
      if (typeof value !== "string") issues.push({ field: "name", code: "invalid_type", message: "must be a string" });
      else Object.assign(named, nameIn(value));
    } else if (name === "status") {
      const s = typeof value === "string" ? value.trim().toLowerCase() : "";
      if (!(EVERLYTIC_STATUSES as readonly string[]).includes(s)) issues.push({ field: "status", code: "invalid_value", message: `must be one of ${EVERLYTIC_STATUSES.join(", ")}` });
      else target = STATUS_IN[s as EverlyticStatus];
    } else {
      const d = typeof value === "string" ? value.trim().toLowerCase() : value === true ? "yes" : value === false ? "no" : "";
      if (d !== "yes" && d !== "no") issues.push({ field: "deleted", code: "invalid_value", message: "must be yes or no" });
      else deletedFlag = d;
    }
  }
  let fields: Record<string, unknown> = {};
  try {
    fields = decodeFields(PROPERTIES, plain);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    issues.push(...error.issues.map((i) => (i.code === "not_allowed" ? { ...i, message: `Unknown property "${i.field}"` } : i)));
  }
  if (deletedFlag === "yes" && target !== undefined && target !== "deleted") issues.push({ field: "deleted", code: "invalid_value", message: "yes contradicts the status sent" });
  else if (deletedFlag === "yes") target = "deleted";
  else if (deletedFlag === "no" && target === "deleted") issues.push({ field: "deleted", code: "invalid_value", message: "no contradicts status deleted" });
  if (mode === "create" && target === "deleted") issues.push({ field: "status", code: "invalid_value", message: "a new customer cannot be deleted" });
  if (issues.length > 0) throw validationFailed(issues);
  Object.assign(fields, named);
  if (mode === "create") {
    // A create payload has nothing to clear.
    for (const [k, v] of Object.entries(fields)) if (v === null) delete fields[k];
    const messaging = fields.messaging as Record<string, unknown> | undefined;
    if (messaging) for (const [k, v] of Object.entries(messaging)) if (v === null) delete messaging[k];
    if (target !== undefined) fields.status = target;
    return { fields };
  }
  return target === undefined ? { fields } : { fields, target };
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

/** ListCustomers `filter`: equality on these properties (a name is not one column, so it is not here). */
const FILTER_FIELDS: Record<string, string> = { ...Object.fromEntries(Object.entries(ORDER_FIELDS).filter(([k]) => k !== "name")), unique_id: "external_id" };

export interface DecodedList {
  page: number;
  count: number;
  sort: string | undefined;
  filters: RawFilter[];
  includeDeleted: boolean;
}

export const MAX_COUNT = 1000;

export interface ListArgs {
  page?: unknown;
  count?: unknown;
  order?: unknown;
  direction?: unknown;
  filter?: unknown;
}

/** ListCustomers(page = 1, count = 50, order = '', direction = 'ASC', filter = {}), the same on REST query strings. */
export function decodeList(args: ListArgs): DecodedList {
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
    const field = Object.hasOwn(ORDER_FIELDS, order) ? ORDER_FIELDS[order] : undefined;
    if (!field) issues.push({ field: "order", code: "not_allowed", message: `cannot order by "${order.slice(0, 100)}"; use one of ${Object.keys(ORDER_FIELDS).join(", ")}` });
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
      const field = Object.hasOwn(FILTER_FIELDS, name) ? FILTER_FIELDS[name] : undefined;
      if (!field) {
        issues.push({ field: `filter.${name.slice(0, 100)}`, code: "not_allowed", message: `cannot filter on it; use one of ${Object.keys(FILTER_FIELDS).join(", ")}` });
        continue;
      }
      if (typeof value !== "string" && typeof value !== "number") {
        issues.push({ field: `filter.${name}`, code: "invalid_type", message: "must be a string or an integer" });
        continue;
      }
      if (name === "status") {
        const s = String(value).toLowerCase();
        const statuses = Object.hasOwn(STATUS_FILTER, s) ? STATUS_FILTER[s as EverlyticStatus] : undefined;
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
