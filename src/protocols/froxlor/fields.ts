import type { FieldIssue } from "../../core/errors.js";
import type { Customer } from "../../modules/customers/schema.js";
import type { Usage } from "../../modules/usage/schema.js";
import { intval, phpBool, phpNumeric, phpText } from "./php.js";

/**
 * Froxlor `panel_customers` names and units <-> canonical customer fields. One table decodes
 * Customers.add/update parameters, encodes rows, and names Froxlor's field in error texts.
 * README.md in this folder has the same table in prose.
 */

type Kind =
  /** text; "" clears on update */
  | "text"
  /** e-mail; "" is refused on update (Froxlor: Missing Input in Field Email) */
  | "email"
  /** a customer number: ints become text */
  | "number_text"
  | "bool"
  /** MB on the wire and in Custos; rows show KiB (x1024), unlimited -1024 */
  | "mb_kib"
  /** GB on the wire and in Custos; rows show KiB (x1048576), unlimited -1048576 */
  | "gb_kib"
  /** a count or MB quota, -1 unlimited, same unit both ways */
  | "quota"
  | "int"
  | "int_list"
  | "gender"
  | "language";

export interface FroxlorField {
  kind: Kind;
  /** Canonical path. */
  to: string;
  /** Froxlor's label in "The value for the field ... is not in the expected format." */
  label?: string;
  /** The `<name>_ul` flag that makes the quota unlimited. */
  unlimited?: string;
}

/** Customers.add / Customers.update parameters (seed 001, Customers.add and .update). */
export const CUSTOMER_FIELDS: Readonly<Record<string, FroxlorField>> = {
  new_loginname: { kind: "text", to: "login" },
  email: { kind: "email", to: "email" },
  name: { kind: "text", to: "last_name", label: "name" },
  firstname: { kind: "text", to: "first_name", label: "first name" },
  company: { kind: "text", to: "company", label: "company" },
  street: { kind: "text", to: "street", label: "street" },
  zipcode: { kind: "text", to: "zipcode", label: "zipcode" },
  city: { kind: "text", to: "city", label: "city" },
  phone: { kind: "text", to: "phone", label: "phone" },
  fax: { kind: "text", to: "fax", label: "fax" },
  customernumber: { kind: "number_text", to: "customer_number", label: "customer number" },
  def_language: { kind: "language", to: "locale" },
  api_allowed: { kind: "bool", to: "api_allowed" },
  gender: { kind: "gender", to: "title" },
  custom_notes: { kind: "text", to: "notes" },
  custom_notes_show: { kind: "bool", to: "notes_visible" },
  theme: { kind: "text", to: "theme" },
  diskspace: { kind: "mb_kib", to: "resources.diskspace_mb", unlimited: "diskspace_ul" },
  traffic: { kind: "gb_kib", to: "resources.traffic_gb", unlimited: "traffic_ul" },
  subdomains: { kind: "quota", to: "resources.subdomains", unlimited: "subdomains_ul" },
  emails: { kind: "quota", to: "resources.emails", unlimited: "emails_ul" },
  email_accounts: { kind: "quota", to: "resources.email_accounts", unlimited: "email_accounts_ul" },
  email_forwarders: { kind: "quota", to: "resources.email_forwarders", unlimited: "email_forwarders_ul" },
  email_quota: { kind: "quota", to: "resources.email_quota_mb", unlimited: "email_quota_ul" },
  ftps: { kind: "quota", to: "resources.ftps", unlimited: "ftps_ul" },
  mysqls: { kind: "quota", to: "resources.mysqls", unlimited: "mysqls_ul" },
  email_imap: { kind: "bool", to: "resources.email_imap" },
  email_pop3: { kind: "bool", to: "resources.email_pop3" },
  phpenabled: { kind: "bool", to: "resources.php_enabled" },
  perlenabled: { kind: "bool", to: "resources.perl_enabled" },
  dnsenabled: { kind: "bool", to: "resources.dns_enabled" },
  logviewenabled: { kind: "bool", to: "resources.logview_enabled" },
  allowed_phpconfigs: { kind: "int_list", to: "resources.allowed_php_configs" },
  allowed_mysqlserver: { kind: "int_list", to: "resources.allowed_mysql_servers" },
  hosting_plan_id: { kind: "int", to: "resources.hosting_plan_id" },
};

/** What a customer's own key may change with Customers.update; everything else is ignored. */
export const CUSTOMER_SELF_FIELDS = ["def_language", "theme"] as const;
/** Fields Customers.update never changes (the login name is fixed once created). */
const ADD_ONLY = new Set(["new_loginname"]);

/** Froxlor language names (lng/*.lng.php) <-> locale codes. */
const LANGUAGES: Record<string, string> = {
  de: "Deutsch",
  en: "English",
  fr: "Français",
  it: "Italiano",
  nl: "Nederlands",
  pt: "Português",
  sv: "Svenska",
  es: "Español",
  ca: "Català",
  cs: "Česky",
};
const LANGUAGE_CODES = new Map(Object.entries(LANGUAGES).map(([code, name]) => [name.toLowerCase(), code]));

export function languageToLocale(v: string): string {
  return LANGUAGE_CODES.get(v.toLowerCase()) ?? v;
}

export function localeToLanguage(locale: string | null): string {
  if (!locale) return "English";
  return LANGUAGES[locale.slice(0, 2)] ?? "English";
}

export interface DecodedCustomer {
  /** Canonical fields (a create body or a patch). */
  fields: Record<string, unknown>;
  /** Wire issues found while decoding (names Froxlor's parameters). */
  issues: FieldIssue[];
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split(".", 2) as [string, string | undefined];
  if (tail === undefined) {
    target[head] = value;
    return;
  }
  if (target[head] === undefined) target[head] = {};
  (target[head] as Record<string, unknown>)[tail] = value;
}

/**
 * Decodes Customers.add (`mode: "add"`) or an admin's Customers.update (`"update"`) parameters.
 * Absent (or null) parameters stay absent: on update the current value stays. On add "" means
 * absent; on update "" clears an optional text. Unknown parameters are ignored, as Froxlor does.
 */
export function decodeCustomer(params: Record<string, unknown>, mode: "add" | "update"): DecodedCustomer {
  const fields: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  const fmt = (name: string, spec: FroxlorField) => issues.push({ field: name, code: "invalid_format", message: spec.label ?? name });
  for (const [name, spec] of Object.entries(CUSTOMER_FIELDS)) {
    if (mode === "update" && ADD_ONLY.has(name)) continue;
    const raw = params[name];
    const ul = spec.unlimited !== undefined && phpBool(params[spec.unlimited]);
    if (ul) {
      setPath(fields, spec.to, -1);
      continue;
    }
    if (raw === undefined || raw === null) continue;
    switch (spec.kind) {
      case "text":
      case "email":
      case "language": {
        const t = phpText(raw);
        if (t === undefined) {
          fmt(name, spec);
          break;
        }
        if (t === "") {
          if (spec.kind === "email" && mode === "update") issues.push({ field: name, code: "required", message: "Missing Input in Field Email" });
          else if (mode === "update" && spec.to !== "login") setPath(fields, spec.to, null);
          break;
        }
        setPath(fields, spec.to, spec.kind === "language" ? languageToLocale(t) : t);
        break;
      }
      case "number_text": {
        const t = phpText(raw);
        if (t === undefined) fmt(name, spec);
        else if (t !== "") setPath(fields, spec.to, t);
        else if (mode === "update") fmt(name, spec);
        break;
      }
      case "bool":
        setPath(fields, spec.to, phpBool(raw));
        break;
      case "gender": {
        const g = intval(raw);
        setPath(fields, spec.to, g === 1 ? "MISTER" : g === 2 ? "MISS" : null);
        break;
      }
      case "mb_kib":
      case "gb_kib":
      case "quota":
      case "int": {
        if (raw === "") {
          if (spec.kind !== "int") setPath(fields, spec.to, 0);
          break;
        }
        const n = phpNumeric(raw);
        if (n === undefined) {
          issues.push({ field: name, code: "invalid_type", message: spec.label ?? name });
          break;
        }
        setPath(fields, spec.to, Math.trunc(n));
        break;
      }
      case "int_list": {
        const list = Array.isArray(raw) ? raw : typeof raw === "object" ? Object.values(raw as object) : [raw];
        setPath(fields, spec.to, list.map(intval));
        break;
      }
    }
  }
  if (mode === "add" && fields.title === null) delete fields.title;
  return { fields, issues };
}

/** A customer's own Customers.update: only def_language and theme (and the password) are read. */
export function decodeSelfUpdate(params: Record<string, unknown>): DecodedCustomer {
  const only: Record<string, unknown> = {};
  for (const k of CUSTOMER_SELF_FIELDS) if (params[k] !== undefined) only[k] = params[k];
  return decodeCustomer(only, "update");
}

/** Canonical field -> the Froxlor parameter that carries it, for error texts. */
const WIRE_NAME = new Map(Object.entries(CUSTOMER_FIELDS).map(([wire, spec]) => [spec.to, wire]));
WIRE_NAME.set("password", "new_customer_password");
WIRE_NAME.set("owner_id", "adminid");

export function wireName(canonical: string): string {
  return WIRE_NAME.get(canonical) ?? WIRE_NAME.get(canonical.split(".").slice(0, 2).join(".")) ?? canonical;
}

export function fieldLabel(wire: string): string {
  return CUSTOMER_FIELDS[wire]?.label ?? wire;
}

const QUOTAS = [
  ["diskspace", "diskspace_mb"],
  ["mysqls", "mysqls"],
  ["emails", "emails"],
  ["email_accounts", "email_accounts"],
  ["email_forwarders", "email_forwarders"],
  ["email_quota", "email_quota_mb"],
  ["ftps", "ftps"],
  ["subdomains", "subdomains"],
  ["traffic", "traffic_gb"],
] as const;

const KIB_PER_MB = 1024;
const KIB_PER_GB = 1024 * 1024;

/** A quota as a row shows it: diskspace and traffic in KiB with Froxlor's unlimited values. */
export function quotaToWire(wire: string, value: number | undefined): number {
  const v = value ?? 0;
  if (wire === "diskspace") return v * KIB_PER_MB;
  if (wire === "traffic") return v * KIB_PER_GB;
  return v;
}

/** Usage reported for the resource behind a quota, in the row's unit. */
function usedToWire(wire: string, usage: Usage | undefined): number {
  if (!usage) return 0;
  const line = (r: string) => usage.resources.find((l) => l.resource === r)?.value ?? 0;
  switch (wire) {
    case "diskspace":
      return Math.round(line("diskspace_mb") * KIB_PER_MB);
    case "traffic":
      return Math.round(line("traffic_gb") * KIB_PER_GB);
    case "email_quota":
      return 0;
    default:
      return Math.round(line(wire));
  }
}

const flag = (b: boolean | undefined, dflt: 0 | 1): number => (b === undefined ? dflt : b ? 1 : 0);
const jsonList = (v: number[] | undefined, dflt: string): string => (v === undefined ? dflt : v.length === 0 ? "" : JSON.stringify(v));
/** Statuses Froxlor shows as deactivated: the customer cannot use the panel. */
const INACTIVE = new Set(["suspended", "deactivated", "closed", "deleted"]);

export interface RowExtras {
  /** The owner's name, for admin keys. A customer's own key gets no adminname. */
  adminname?: string;
  usage?: Usage;
  /** A customer reading itself sees custom_notes only when custom_notes_show is on. */
  selfView?: boolean;
  /** show_usages: domains, webspace_used, mailspace_used, dbspace_used. */
  showUsages?: boolean;
}

/** The customer as a `panel_customers` row, every column in Froxlor's order. */
export function encodeRow(c: Customer, extras: RowExtras = {}): Record<string, unknown> {
  const r = c.resources;
  const res = r as Record<string, number | undefined>;
  const row: Record<string, unknown> = {
    customerid: c.id,
    loginname: c.login,
    password: "",
    adminid: c.owner_id,
    name: c.last_name ?? "",
    firstname: c.first_name ?? "",
    gender: c.title === "MISTER" ? 1 : c.title === "MISS" ? 2 : 0,
    company: c.company ?? "",
    street: c.street ?? "",
    zipcode: c.zipcode ?? "",
    city: c.city ?? "",
    // Froxlor's phone pattern has no ".": +49.1786453760 shows as +49 1786453760.
    phone: (c.phone ?? "").replace(".", " "),
    fax: (c.fax ?? "").replace(".", " "),
    email: c.email,
    customernumber: c.customer_number,
    def_language: localeToLanguage(c.locale),
  };
  for (const [wire, canonical] of QUOTAS) {
    row[wire] = quotaToWire(wire, res[canonical]);
    row[`${wire}_used`] = usedToWire(wire, extras.usage);
  }
  Object.assign(row, {
    documentroot: "",
    standardsubdomain: 0,
    guid: 0,
    ftp_lastaccountnumber: 0,
    mysql_lastaccountnumber: 0,
    deactivated: INACTIVE.has(c.status) ? 1 : 0,
    phpenabled: flag(r.php_enabled, 0),
    lastlogin_succ: 0,
    lastlogin_fail: 0,
    loginfail_count: c.status === "locked" ? 1 : 0,
    reportsent: 0,
    pop3: flag(r.email_pop3, 1),
    imap: flag(r.email_imap, 1),
    perlenabled: flag(r.perl_enabled, 0),
    dnsenabled: flag(r.dns_enabled, 0),
    theme: c.theme ?? "Froxlor",
    custom_notes: extras.selfView && !c.notes_visible ? "" : c.notes,
    custom_notes_show: c.notes_visible ? 1 : 0,
    lepublickey: null,
    leprivatekey: null,
    leregistered: 0,
    allowed_phpconfigs: jsonList(r.allowed_php_configs, ""),
    type_2fa: 0,
    data_2fa: "",
    api_allowed: c.api_allowed ? 1 : 0,
    shell_allowed: 0,
    logviewenabled: flag(r.logview_enabled, 0),
    allowed_mysqlserver: jsonList(r.allowed_mysql_servers, "[0]"),
    gui_access: 1,
  });
  if (extras.adminname !== undefined) row.adminname = extras.adminname;
  if (extras.showUsages) {
    const line = (n: string) => extras.usage?.resources.find((l) => l.resource === n)?.value ?? 0;
    row.domains = Math.round(line("domains"));
    row.webspace_used = Math.round(line("webspace_mb") * KIB_PER_MB);
    row.mailspace_used = Math.round(line("mailspace_mb") * KIB_PER_MB);
    row.dbspace_used = Math.round(line("dbspace_mb") * KIB_PER_MB);
  }
  return row;
}

/** Froxlor names in sql_search / sql_orderby -> canonical list fields (unknown names are skipped). */
export const LISTING_FIELDS: Readonly<Record<string, string>> = {
  customerid: "id",
  loginname: "login",
  adminid: "owner_id",
  name: "last_name",
  firstname: "first_name",
  company: "company",
  street: "street",
  zipcode: "zipcode",
  city: "city",
  phone: "phone",
  email: "email",
  customernumber: "customer_number",
  def_language: "locale",
};
