import { defineFields, wire, type WireType } from "../kit/fields.js";

/**
 * INWX parameter names and wire types <-> canonical fields (docs/fields.md has the table for every
 * seed). The kit decodes, encodes and renames error fields from these tables; the commands apply
 * every value rule.
 */

/** INWX's language parameter: DE, EN or ES, stored as the canonical locale de, en, es. */
const language: WireType = {
  decode: (v) =>
    typeof v !== "string"
      ? { ok: false, code: "invalid_type", message: "must be a string" }
      : ["DE", "EN", "ES"].includes(v.toUpperCase())
        ? { ok: true, value: v.toLowerCase() }
        : { ok: false, code: "invalid_value", message: "must be one of DE, EN, ES" },
  encode(v) {
    const lang = typeof v === "string" ? v.slice(0, 2).toUpperCase() : "";
    return lang === "DE" || lang === "EN" || lang === "ES" ? lang : undefined;
  },
};

/** INWX types customerNo as int: an all-digit customer number leaves as one, any other as text. */
export const customerNo = (v: unknown): unknown => (typeof v === "string" && /^\d{1,15}$/.test(v) ? Number(v) : v);

/** customer.update parameters (seed 2.7.7.1) -> the customer.update command's input. */
export const UPDATE_FIELDS = defineFields({
  username: { type: wire.text, to: "login" },
  title: { type: wire.text, to: "title" },
  firstname: { type: wire.text, to: "first_name" },
  lastname: { type: wire.text, to: "last_name" },
  org: { type: wire.text, to: "company", emptyClears: true },
  street: { type: wire.text, to: "street" },
  pc: { type: wire.text, to: "zipcode" },
  city: { type: wire.text, to: "city" },
  cc: { type: wire.text, to: "country" },
  voice: { type: wire.text, to: "phone" },
  fax: { type: wire.text, to: "fax", emptyClears: true },
  www: { type: wire.text, to: "website", emptyClears: true },
  email: { type: wire.text, to: "email" },
  emailAutomated: { type: wire.text, to: "registrar.email_automated" },
  emailBilling: { type: wire.text, to: "registrar.email_billing" },
  servicePin: { type: wire.text, to: "pin" },
  summaryInvoice: { type: wire.boolean, to: "registrar.summary_invoice" },
  mailListId: { type: wire.intList, to: "registrar.mail_list_ids" },
  language: { type: language, to: "locale" },
  notificationEmail: { type: wire.boolean, to: "registrar.notification_email" },
  notificationQueue: { type: wire.boolean, to: "registrar.notification_queue" },
  renewalReport: { type: wire.boolean, to: "registrar.renewal_report" },
  lowBalance: { type: wire.decimal, to: "registrar.low_balance" },
  bankAccHolder: { type: wire.text, to: "registrar.bank_account_holder" },
  bankCode: { type: wire.text, to: "registrar.bank_code" },
  bankName: { type: wire.text, to: "registrar.bank_name" },
  bankAccHolderNo: { type: wire.text, to: "registrar.bank_account_number" },
  vatNo: { type: wire.text, to: "vat_number", emptyClears: true },
  whoisProvider: { type: wire.text, to: "registrar.whois_provider" },
  whoisUrl: { type: wire.text, to: "registrar.whois_url" },
  defaultRegistrant: { type: wire.int, to: "registrar.default_registrant" },
  defaultAdmin: { type: wire.int, to: "registrar.default_admin" },
  defaultTech: { type: wire.int, to: "registrar.default_tech" },
  defaultBilling: { type: wire.int, to: "registrar.default_billing" },
  defaultNsset: { type: wire.int, to: "registrar.default_nsset" },
  defaultWeb: { type: wire.text, to: "registrar.default_web" },
  defaultMail: { type: wire.text, to: "registrar.default_mail" },
  defaultImportNS: { type: wire.boolean, to: "registrar.default_import_ns" },
  defaultRenewalMode: { type: wire.text, to: "registrar.default_renewal_mode" },
  supplimentinvoicetext: { type: wire.text, to: "registrar.supplement_invoice_text" },
  password: { type: wire.text, to: "password" },
  rowsPerPage: { type: wire.int, to: "registrar.rows_per_page" },
  isReseller: { type: wire.text, to: "registrar.is_reseller" },
  /** Not a customer field: asks for a dry run. */
  testing: { type: wire.boolean, to: "$testing" },
  nif: { type: wire.text, to: "registrar.nif" },
  idCard: { type: wire.text, to: "registrar.id_card" },
  disablepremium: { type: wire.boolean, to: "registrar.disable_premium" },
  wdrpEmail: { type: wire.text, to: "registrar.wdrp_email" },
  errpEmail: { type: wire.text, to: "registrar.errp_email" },
  errpEmailName: { type: wire.text, to: "registrar.errp_email_name" },
  renewalReportEmail: { type: wire.text, to: "registrar.renewal_report_email" },
});

/** customer.info resData (seed 2.7.4.2), every call. The service PIN is never returned: it is stored hashed. */
export const INFO_FIELDS = defineFields({
  accountId: { type: wire.int, to: "id" },
  customerId: { type: wire.int, to: "id" },
  customerNo: { type: { decode: wire.text.decode, encode: customerNo }, to: "customer_number" },
  username: { type: wire.text, to: "login" },
  title: { type: wire.text, to: "title" },
  firstname: { type: wire.text, to: "first_name" },
  lastname: { type: wire.text, to: "last_name" },
  org: { type: wire.text, to: "company" },
  street: { type: wire.text, to: "street" },
  pc: { type: wire.text, to: "zipcode" },
  city: { type: wire.text, to: "city" },
  cc: { type: wire.text, to: "country" },
  voice: { type: wire.text, to: "phone" },
  fax: { type: wire.text, to: "fax" },
  www: { type: wire.text, to: "website" },
  email: { type: wire.text, to: "email" },
  crDate: { type: wire.date, to: "created_at" },
  // INWX knows no other language: a customer without a locale, or with another one, reads as EN.
  language: { type: language, to: "locale", fallback: "EN" },
  vatNo: { type: wire.text, to: "vat_number" },
  currency: { type: wire.text, to: "currency" },
  tfa: { type: wire.text, to: "$login.tfa" },
});

/** customer.info with `wide`: registrar preferences and login facts too. */
export const WIDE_FIELDS = defineFields({
  secureMode: { type: wire.boolean, to: "registrar.secure_mode" },
  signPdfs: { type: wire.boolean, to: "registrar.sign_pdfs" },
  summaryInvoice: { type: wire.boolean, to: "registrar.summary_invoice" },
  mailListId: { type: wire.intList, to: "registrar.mail_list_ids" },
  notificationEmail: { type: wire.boolean, to: "registrar.notification_email" },
  notificationQueue: { type: wire.boolean, to: "registrar.notification_queue" },
  lowBalance: { type: wire.decimal, to: "registrar.low_balance" },
  renewalReport: { type: wire.boolean, to: "registrar.renewal_report" },
  paymentType: { type: wire.text, to: "registrar.payment_type" },
  bankAccHolder: { type: wire.text, to: "registrar.bank_account_holder" },
  bankName: { type: wire.text, to: "registrar.bank_name" },
  bankCode: { type: wire.text, to: "registrar.bank_code" },
  bankAccHolderNo: { type: wire.text, to: "registrar.bank_account_number" },
  vat: { type: wire.decimal, to: "registrar.vat_rate" },
  whoisProvider: { type: wire.text, to: "registrar.whois_provider" },
  whoisUrl: { type: wire.text, to: "registrar.whois_url" },
  defaultRegistrant: { type: wire.int, to: "registrar.default_registrant" },
  defaultAdmin: { type: wire.int, to: "registrar.default_admin" },
  defaultTech: { type: wire.int, to: "registrar.default_tech" },
  defaultBilling: { type: wire.int, to: "registrar.default_billing" },
  defaultNsset: { type: wire.int, to: "registrar.default_nsset" },
  defaultWeb: { type: wire.text, to: "registrar.default_web" },
  defaultMail: { type: wire.text, to: "registrar.default_mail" },
  defaultImportNS: { type: wire.boolean, to: "registrar.default_import_ns" },
  defaultRenewalMode: { type: wire.text, to: "registrar.default_renewal_mode" },
  lastLogin: { type: wire.date, to: "$login.lastLoginAt" },
  loginCount: { type: wire.int, to: "$login.loginCount" },
  rowsPerPage: { type: wire.int, to: "registrar.rows_per_page" },
  lastIP: { type: wire.text, to: "$login.lastIp" },
  verification: { type: wire.int, to: "$verification" },
  emailBilling: { type: wire.text, to: "registrar.email_billing" },
  emailAutomated: { type: wire.text, to: "registrar.email_automated" },
  isReseller: { type: wire.text, to: "registrar.is_reseller" },
  serviceProviderId: { type: wire.int, to: "registrar.service_provider_id" },
  supplimentInvoiceText: { type: wire.text, to: "registrar.supplement_invoice_text" },
  wdrpEmail: { type: wire.text, to: "registrar.wdrp_email" },
});

/** customer.contactverificationsettingsupdate / ...info. */
export const VERIFICATION_FIELDS = defineFields({
  supportEmail: { type: wire.string, to: "support_email" },
  supportName: { type: wire.string, to: "support_name" },
  signature: { type: wire.string, to: "signature" },
});

/** account.login's parameters (read by requiredText; the table renames the login command's issues). */
export const LOGIN_FIELDS = defineFields({
  user: { type: wire.text, to: "identifier" },
  pass: { type: wire.text, to: "password" },
});
