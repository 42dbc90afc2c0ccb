import { type FieldIssue, validationFailed } from "../../core/errors.js";
import type { Customer } from "../../modules/customers/schema.js";

/**
 * INWX parameter names and types <-> canonical customer fields (docs/fields.md has the table
 * for every seed). Only decoding and encoding lives here: the adapter checks that a value has
 * the INWX *type* (int, boolean, float, ...) and the domain service applies every value rule.
 */

type Kind = "text" | "int" | "boolean" | "float" | "float_signed" | "array_int" | "language";

interface UpdateField {
  kind: Kind;
  /** Canonical path: "first_name" or "registrar.email_billing"; "secret:*" goes to credentials. */
  to: string;
  /** For INWX's optional types (token0255, phoneoptional, ...): "" clears the canonical field. */
  emptyClears?: boolean;
}

/** customer.update parameters (seed 2.7.7.1). */
export const UPDATE_FIELDS: Record<string, UpdateField> = {
  username: { kind: "text", to: "login" },
  title: { kind: "text", to: "title" },
  firstname: { kind: "text", to: "first_name" },
  lastname: { kind: "text", to: "last_name" },
  org: { kind: "text", to: "company", emptyClears: true },
  street: { kind: "text", to: "street" },
  pc: { kind: "text", to: "zipcode" },
  city: { kind: "text", to: "city" },
  cc: { kind: "text", to: "country" },
  voice: { kind: "text", to: "phone" },
  fax: { kind: "text", to: "fax", emptyClears: true },
  www: { kind: "text", to: "website", emptyClears: true },
  email: { kind: "text", to: "email" },
  emailAutomated: { kind: "text", to: "registrar.email_automated" },
  emailBilling: { kind: "text", to: "registrar.email_billing" },
  servicePin: { kind: "text", to: "secret:pin" },
  summaryInvoice: { kind: "boolean", to: "registrar.summary_invoice" },
  mailListId: { kind: "array_int", to: "registrar.mail_list_ids" },
  language: { kind: "language", to: "locale" },
  notificationEmail: { kind: "boolean", to: "registrar.notification_email" },
  notificationQueue: { kind: "boolean", to: "registrar.notification_queue" },
  renewalReport: { kind: "boolean", to: "registrar.renewal_report" },
  lowBalance: { kind: "float_signed", to: "registrar.low_balance" },
  bankAccHolder: { kind: "text", to: "registrar.bank_account_holder" },
  bankCode: { kind: "text", to: "registrar.bank_code" },
  bankName: { kind: "text", to: "registrar.bank_name" },
  bankAccHolderNo: { kind: "text", to: "registrar.bank_account_number" },
  vatNo: { kind: "text", to: "vat_number", emptyClears: true },
  whoisProvider: { kind: "text", to: "registrar.whois_provider" },
  whoisUrl: { kind: "text", to: "registrar.whois_url" },
  defaultRegistrant: { kind: "int", to: "registrar.default_registrant" },
  defaultAdmin: { kind: "int", to: "registrar.default_admin" },
  defaultTech: { kind: "int", to: "registrar.default_tech" },
  defaultBilling: { kind: "int", to: "registrar.default_billing" },
  defaultNsset: { kind: "int", to: "registrar.default_nsset" },
  defaultWeb: { kind: "text", to: "registrar.default_web" },
  defaultMail: { kind: "text", to: "registrar.default_mail" },
  defaultImportNS: { kind: "boolean", to: "registrar.default_import_ns" },
  defaultRenewalMode: { kind: "text", to: "registrar.default_renewal_mode" },
  supplimentinvoicetext: { kind: "text", to: "registrar.supplement_invoice_text" },
  password: { kind: "text", to: "secret:password" },
  rowsPerPage: { kind: "int", to: "registrar.rows_per_page" },
  isReseller: { kind: "text", to: "registrar.is_reseller" },
  testing: { kind: "boolean", to: "adapter:testing" },
  nif: { kind: "text", to: "registrar.nif" },
  idCard: { kind: "text", to: "registrar.id_card" },
  disablepremium: { kind: "boolean", to: "registrar.disable_premium" },
  wdrpEmail: { kind: "text", to: "registrar.wdrp_email" },
  errpEmail: { kind: "text", to: "registrar.errp_email" },
  errpEmailName: { kind: "text", to: "registrar.errp_email_name" },
  renewalReportEmail: { kind: "text", to: "registrar.renewal_report_email" },
};

/** Canonical path -> INWX name, to name the INWX parameter in errors the service reports. */
const CANONICAL_TO_INWX = new Map<string, string>(Object.entries(UPDATE_FIELDS).map(([inwx, f]) => [f.to, inwx]));
CANONICAL_TO_INWX.set("pin", "servicePin");

export function inwxFieldName(canonical: string): string {
  return CANONICAL_TO_INWX.get(canonical) ?? CANONICAL_TO_INWX.get(canonical.split(".").slice(0, 2).join(".")) ?? canonical;
}

export function renameIssues(issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => ({ ...i, field: inwxFieldName(i.field) }));
}

const INT = /^-?\d{1,15}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;

function decodeValue(kind: Kind, value: unknown): { ok: true; value: unknown } | { ok: false; code: "invalid_type" | "out_of_range" | "invalid_value"; message: string } {
  switch (kind) {
    case "text":
      if (typeof value === "string") return { ok: true, value };
      // XML-RPC and JSON clients send numeric-looking text (postal codes, PINs) as numbers.
      if (typeof value === "number" && Number.isFinite(value)) return { ok: true, value: String(value) };
      return { ok: false, code: "invalid_type", message: "must be a string" };
    case "int":
      if (typeof value === "number" && Number.isSafeInteger(value)) return { ok: true, value };
      if (typeof value === "string" && INT.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return { ok: false, code: "invalid_type", message: "must be an integer" };
    case "boolean":
      if (value === true || value === 1 || value === "1" || value === "true") return { ok: true, value: true };
      if (value === false || value === 0 || value === "0" || value === "false") return { ok: true, value: false };
      return { ok: false, code: "invalid_type", message: "must be a boolean (0, 1, true or false)" };
    case "float":
    case "float_signed": {
      const n = typeof value === "number" ? value : typeof value === "string" && DECIMAL.test(value.trim()) ? Number(value.trim()) : Number.NaN;
      if (!Number.isFinite(n)) return { ok: false, code: "invalid_type", message: "must be a decimal number" };
      if (kind === "float" && n < 0) return { ok: false, code: "out_of_range", message: "must not be negative" };
      return { ok: true, value: n };
    }
    case "array_int": {
      const list = Array.isArray(value) ? value : [value];
      const out: number[] = [];
      for (const v of list) {
        const d = decodeValue("int", v);
        if (!d.ok) return { ok: false, code: "invalid_type", message: "must be an integer or a list of integers" };
        out.push(d.value as number);
      }
      return { ok: true, value: out };
    }
    case "language":
      if (typeof value !== "string") return { ok: false, code: "invalid_type", message: "must be a string" };
      if (!["DE", "EN", "ES"].includes(value.toUpperCase())) return { ok: false, code: "invalid_value", message: "must be one of DE, EN, ES" };
      return { ok: true, value: value.toLowerCase() };
  }
}

export interface DecodedUpdate {
  patch: Record<string, unknown>;
  password: string | undefined;
  servicePin: string | undefined;
  testing: boolean;
}

/** Decodes customer.update parameters into a canonical patch (types only; the service checks values). */
export function decodeCustomerUpdate(params: Record<string, unknown>): DecodedUpdate {
  const issues: FieldIssue[] = [];
  const patch: Record<string, unknown> = {};
  const registrar: Record<string, unknown> = {};
  const out: DecodedUpdate = { patch, password: undefined, servicePin: undefined, testing: false };
  for (const [name, raw] of Object.entries(params)) {
    const field = UPDATE_FIELDS[name];
    if (!field) {
      issues.push({ field: name, code: "not_allowed", message: `Unknown parameter ${name}` });
      continue;
    }
    if (raw === null || raw === undefined) {
      issues.push({ field: name, code: "invalid_type", message: "must not be null" });
      continue;
    }
    const d = decodeValue(field.kind, raw);
    if (!d.ok) {
      issues.push({ field: name, code: d.code, message: d.message });
      continue;
    }
    const value = field.emptyClears && d.value === "" ? null : d.value;
    if (field.to === "secret:password") out.password = value as string;
    else if (field.to === "secret:pin") out.servicePin = value as string;
    else if (field.to === "adapter:testing") out.testing = value as boolean;
    else if (field.to.startsWith("registrar.")) registrar[field.to.slice("registrar.".length)] = value;
    else patch[field.to] = value;
  }
  if (issues.length > 0) throw validationFailed(issues);
  if (Object.keys(registrar).length > 0) patch.registrar = registrar;
  return out;
}

/** INWX dateTime values leave as Date so each encoder writes its own form (ISO text, dateTime.iso8601). */
const date = (iso: string | null | undefined): Date | undefined => (iso ? new Date(iso) : undefined);
const bool = (b: boolean | undefined): boolean | undefined => b;

export interface LoginFacts {
  tfa: "0" | "GOOGLE-AUTH";
  lastLoginAt: string | null;
  loginCount: number;
  lastIp: string | null;
}

/** A customer number as INWX's int when it is one, else as given. */
export function customerNo(c: Customer): number | string {
  return /^\d{1,15}$/.test(c.customer_number) ? Number(c.customer_number) : c.customer_number;
}

/** customer.info resData (seed 2.7.4.2). The service PIN is never returned: it is stored hashed. */
export function encodeCustomerInfo(c: Customer, wide: boolean, login: LoginFacts | null): Record<string, unknown> {
  const r = c.registrar;
  const lang = c.locale?.slice(0, 2).toUpperCase();
  const base: Record<string, unknown> = {
    accountId: c.id,
    customerId: c.id,
    customerNo: customerNo(c),
    username: c.login,
    title: c.title ?? undefined,
    firstname: c.first_name ?? undefined,
    lastname: c.last_name ?? undefined,
    org: c.company ?? undefined,
    street: c.street ?? undefined,
    pc: c.zipcode ?? undefined,
    city: c.city ?? undefined,
    cc: c.country ?? undefined,
    voice: c.phone ?? undefined,
    fax: c.fax ?? undefined,
    www: c.website ?? undefined,
    email: c.email,
    crDate: date(c.created_at),
    language: lang === "DE" || lang === "EN" || lang === "ES" ? lang : undefined,
    vatNo: c.vat_number ?? undefined,
    currency: c.currency ?? undefined,
    tfa: login?.tfa,
  };
  const detail: Record<string, unknown> = wide
    ? {
        secureMode: bool(r.secure_mode),
        signPdfs: bool(r.sign_pdfs),
        summaryInvoice: bool(r.summary_invoice),
        mailListId: r.mail_list_ids,
        notificationEmail: bool(r.notification_email),
        notificationQueue: bool(r.notification_queue),
        lowBalance: r.low_balance,
        renewalReport: bool(r.renewal_report),
        paymentType: r.payment_type,
        bankAccHolder: r.bank_account_holder,
        bankName: r.bank_name,
        bankCode: r.bank_code,
        bankAccHolderNo: r.bank_account_number,
        vat: r.vat_rate,
        whoisProvider: r.whois_provider,
        whoisUrl: r.whois_url,
        defaultRegistrant: r.default_registrant ?? undefined,
        defaultAdmin: r.default_admin ?? undefined,
        defaultTech: r.default_tech ?? undefined,
        defaultBilling: r.default_billing ?? undefined,
        defaultNsset: r.default_nsset ?? undefined,
        defaultWeb: r.default_web,
        defaultMail: r.default_mail,
        defaultImportNS: bool(r.default_import_ns),
        defaultRenewalMode: r.default_renewal_mode,
        lastLogin: date(login?.lastLoginAt),
        loginCount: login?.loginCount,
        rowsPerPage: r.rows_per_page,
        lastIP: login?.lastIp ?? undefined,
        verification: 0,
        emailBilling: r.email_billing,
        emailAutomated: r.email_automated,
        isReseller: r.is_reseller,
        serviceProviderId: r.service_provider_id ?? undefined,
        supplimentInvoiceText: r.supplement_invoice_text,
        wdrpEmail: r.wdrp_email,
      }
    : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...base, ...detail })) if (v !== undefined && v !== null) out[k] = v;
  return out;
}
