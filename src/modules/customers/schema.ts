import { z } from "zod";
import { country, email, locale, nonNegativeInt, phone, quota, text, token, url, vatNumber } from "../../core/fields.js";
import { extensionDataIssues } from "./extension-data.js";
import { type CustomerFieldName, FIELD_ENTRIES } from "./fields.js";

/**
 * The canonical customer: the union of the customer fields of all five seeds, each under one
 * name with one rule. docs/fields.md maps every seed field onto these names.
 */

export const CUSTOMER_STATUSES = [
  "active",
  "suspended",
  "deactivated",
  "locked",
  "cancellation_requested",
  "closed",
  "deleted",
] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

export const TITLES = ["MISTER", "MISS", "COMPANY"] as const;
export const CURRENCIES = ["EUR", "CHF", "USD"] as const;

/** Everlytic's industry list, verbatim. */
export const INDUSTRIES = [
  "Personal Use",
  "Agriculture & Environmental",
  "Automotive",
  "Business & Consulting Services",
  "E-commerce",
  "Education & Training",
  "Financial Institutions",
  "Governmental Organisations",
  "Hospitality, Travel & Tourism",
  "Industry, Trade & Manufacture",
  "Lifestyle, Arts & Entertainment",
  "Logistic Services",
  "Publishing & Media",
  "Agencies & Marketing",
  "Medical & Healthcare",
  "Non Governmental Organisations",
  "Property & Real Estate",
  "Retail & Wholesale",
  "Technology & Science",
] as const;

export const LOGIN_PATTERN = /^[a-z][a-z0-9\-_]+$/;
export const HANDLE_PATTERN = /^[A-Z]{2}\d{6}-[A-Z]{2}$/;

const login = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(
    z
      .string()
      .min(5, "must be at least 5 characters")
      .max(42, "must be at most 42 characters")
      .regex(LOGIN_PATTERN, "must start with a letter and contain only a-z, 0-9, - and _"),
  );

const customerNumber = z
  .string()
  .min(1, "must not be empty")
  .max(32, "must be at most 32 characters")
  .regex(/^[A-Za-z0-9 -]*$/, "may contain only letters, digits, spaces and -");

const zipcode = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().min(2, "must be at least 2 characters").max(10, "must be at most 10 characters").regex(/^[0-9 \-A-Z]*$/, "may contain only digits, letters, spaces and -"));

export const tagSchema = z.strictObject({
  key: token(1, 64),
  value: token(0, 255),
});

const METADATA_MAX_BYTES = 8192;
export const metadataSchema = z
  .record(token(1, 40), token(0, 500))
  .refine((m) => Object.keys(m).length <= 50, { message: "may hold at most 50 keys", params: { code: "out_of_range" } })
  .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= METADATA_MAX_BYTES, {
    message: `must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
    params: { code: "out_of_range" },
  });

/** Froxlor's resource limits and switches; -1 means unlimited. */
export const resourcesSchema = z.strictObject({
  diskspace_mb: quota.optional(),
  traffic_gb: quota.optional(),
  subdomains: quota.optional(),
  emails: quota.optional(),
  email_accounts: quota.optional(),
  email_forwarders: quota.optional(),
  email_quota_mb: quota.optional(),
  ftps: quota.optional(),
  mysqls: quota.optional(),
  email_imap: z.boolean().optional(),
  email_pop3: z.boolean().optional(),
  php_enabled: z.boolean().optional(),
  perl_enabled: z.boolean().optional(),
  dns_enabled: z.boolean().optional(),
  logview_enabled: z.boolean().optional(),
  allowed_php_configs: z.array(nonNegativeInt).max(100).optional(),
  allowed_mysql_servers: z.array(nonNegativeInt).max(100).optional(),
  hosting_plan_id: nonNegativeInt.nullable().optional(),
});

/** Everlytic's messaging packages and prepaid quotas. */
export const messagingSchema = z.strictObject({
  email_package_id: nonNegativeInt.nullable().optional(),
  sms_package_id: nonNegativeInt.nullable().optional(),
  email_send_quota: nonNegativeInt.optional(),
  sms_quota: nonNegativeInt.optional(),
  transactions_package_id: nonNegativeInt.nullable().optional(),
  transactions_quota: nonNegativeInt.optional(),
});

const emailOptional = z.union([z.literal(""), email]);
const contactHandle = nonNegativeInt.nullable();

/** INWX account preferences (billing, notifications, domain defaults), typed as INWX types them. */
export const registrarSchema = z.strictObject({
  secure_mode: z.boolean().optional(),
  sign_pdfs: z.boolean().optional(),
  summary_invoice: z.boolean().optional(),
  mail_list_ids: z.array(nonNegativeInt).max(100).optional(),
  notification_email: z.boolean().optional(),
  notification_queue: z.boolean().optional(),
  low_balance: z.number().finite().optional(),
  renewal_report: z.boolean().optional(),
  renewal_report_email: emailOptional.optional(),
  payment_type: z.enum(["PAYPAL", "BANKTRANSFER"]).optional(),
  bank_account_holder: token(0, 255).optional(),
  bank_name: token(0, 64).optional(),
  bank_code: token(0, 64).optional(),
  bank_account_number: token(0, 64).optional(),
  vat_rate: z.number().int().min(0).max(100).optional(),
  whois_provider: token(0, 255).optional(),
  whois_url: token(0, 255).optional(),
  default_registrant: contactHandle.optional(),
  default_admin: contactHandle.optional(),
  default_tech: contactHandle.optional(),
  default_billing: contactHandle.optional(),
  default_nsset: contactHandle.optional(),
  default_web: token(0, 255).optional(),
  default_mail: text(0, 255).optional(),
  default_import_ns: z.boolean().optional(),
  default_renewal_mode: z.enum(["AUTORENEW", "AUTODELETE", "AUTOEXPIRE"]).optional(),
  rows_per_page: z.number().int().min(1).max(1000).optional(),
  email_billing: emailOptional.optional(),
  email_automated: emailOptional.optional(),
  is_reseller: z.enum(["yes", "no", "null"]).optional(),
  service_provider_id: nonNegativeInt.nullable().optional(),
  supplement_invoice_text: text(0, 100).optional(),
  wdrp_email: emailOptional.optional(),
  errp_email: emailOptional.optional(),
  errp_email_name: token(0, 255).optional(),
  nif: text(0, 10).optional(),
  id_card: token(0, 64).optional(),
  disable_premium: z.boolean().optional(),
});

/** Openprovider additional_data: registry identity facts. */
export const additionalDataSchema = z.strictObject({
  birth_date: z.iso.date("must be a date YYYY-MM-DD").optional(),
  birth_city: token(0, 64).optional(),
  birth_state: token(0, 64).optional(),
  birth_address: token(0, 255).optional(),
  birth_zipcode: token(0, 16).optional(),
  birth_country: country.optional(),
  social_security_number: token(0, 64).optional(),
  passport_number: token(0, 64).optional(),
  company_registration_number: token(0, 64).optional(),
  company_registration_city: token(0, 64).optional(),
  company_registration_subscription_date: z.iso.date("must be a date YYYY-MM-DD").optional(),
  headquarters_address: token(0, 255).optional(),
  headquarters_city: token(0, 64).optional(),
  headquarters_state: token(0, 64).optional(),
  headquarters_country: country.optional(),
  headquarters_zipcode: token(0, 16).optional(),
  trading_name: token(0, 255).optional(),
  company_url: url.optional(),
});

/** Per-TLD registry data; each entry is checked against the TLD's rules (extension-data.ts). */
export const extensionDataSchema = z
  .array(
    z.strictObject({
      name: z
        .string()
        .transform((s) => s.trim().toLowerCase().replace(/^\./, ""))
        .pipe(z.string().regex(/^[a-z0-9-]{2,63}$/, "must be a top-level domain such as es or nl")),
      data: z.record(token(1, 64), token(0, 255)),
    }),
  )
  .max(50)
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    for (const entry of entries) {
      if (seen.has(entry.name)) ctx.addIssue({ code: "custom", path: [entry.name], message: `.${entry.name} appears twice`, params: { code: "invalid_value" } });
      seen.add(entry.name);
      for (const issue of extensionDataIssues(entry.name, entry.data)) {
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, params: { code: issue.code } });
      }
    }
  });

/** Fields a client may write. Every one is optional on update; `null` clears an optional field. */
const writable = {
  login,
  customer_number: customerNumber,
  external_id: token(1, 255),
  email,
  title: z.enum(TITLES),
  first_name: token(1, 64),
  last_name: token(1, 64),
  name_prefix: token(1, 32),
  initials: token(1, 16),
  company: token(1, 255),
  street: text(1, 255),
  house_number: token(1, 16),
  house_number_suffix: token(1, 16),
  zipcode,
  city: token(1, 64),
  state: token(1, 64),
  country,
  phone,
  fax: phone,
  website: url,
  vat_number: vatNumber,
  locale,
  currency: z.enum(CURRENCIES),
  industry: z.enum(INDUSTRIES),
  notes: text(1, 10000),
  notes_visible: z.boolean(),
  theme: token(1, 64),
  api_allowed: z.boolean(),
  tags: z.array(tagSchema).max(50),
  metadata: metadataSchema,
  resources: resourcesSchema,
  messaging: messagingSchema,
  registrar: registrarSchema,
  additional_data: additionalDataSchema,
  extension_data: extensionDataSchema,
} satisfies Record<Exclude<CustomerFieldName, "status" | "owner_id">, z.ZodType>;

type Writable = typeof writable;
const REQUIRED_ON_CREATE = ["email"] as const satisfies readonly (keyof Writable)[];
/** Fields that are always present and cannot be cleared: those stored as required text, flags and JSON. */
const NOT_NULLABLE: readonly string[] = FIELD_ENTRIES.filter(([, d]) => d.store === "text" || d.store === "flag" || d.store === "json").map(([name]) => name);

function optionalShape<Nullable extends boolean>(nullable: Nullable) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(writable)) {
    const required = (REQUIRED_ON_CREATE as readonly string[]).includes(key) && !nullable;
    const canClear = nullable && !NOT_NULLABLE.includes(key);
    const s = canClear ? schema.nullable() : schema;
    shape[key] = required ? s : s.optional();
  }
  return shape as { [K in keyof Writable]: z.ZodOptional<Writable[K]> | Writable[K] };
}

export const customerCreateSchema = z
  .strictObject({
    ...(optionalShape(false) as { [K in keyof Writable]: z.ZodOptional<Writable[K]> }),
    email: writable.email,
    owner_id: z.number().int().positive().optional().describe("Reseller account that owns the customer; defaults to the caller"),
    status: z.enum(["active", "suspended", "deactivated"]).optional(),
  })
  .describe("A new customer. Either company, or both first_name and last_name, is required.");

type NullableWritable = { [K in keyof Writable]: z.ZodOptional<z.ZodNullable<Writable[K]>> };
export const customerPatchSchema = z
  .strictObject(optionalShape(true) as unknown as NullableWritable)
  .describe("A partial update; omitted fields stay as they are, null clears an optional field.");

/** Body of a move: the account that will own the customer. */
export const customerMoveSchema = z.strictObject({ owner_id: z.number().int().positive().describe("Id of the reseller or operator account that will own the customer") }).meta({ id: "CustomerMove" });

export type CustomerCreateInput = z.output<typeof customerCreateSchema>;
export type CustomerPatchInput = z.output<typeof customerPatchSchema>;

/** The customer as every protocol reads it. Secrets never appear here. */
export const customerSchema = z.object({
  object: z.literal("customer"),
  id: z.number().int(),
  handle: z.string(),
  login: z.string(),
  customer_number: z.string(),
  external_id: z.string().nullable(),
  email: z.string(),
  status: z.enum(CUSTOMER_STATUSES),
  deleted: z.boolean(),
  owner_id: z.number().int(),
  title: z.enum(TITLES).nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  name_prefix: z.string().nullable(),
  initials: z.string().nullable(),
  full_name: z.string().nullable(),
  company: z.string().nullable(),
  street: z.string().nullable(),
  house_number: z.string().nullable(),
  house_number_suffix: z.string().nullable(),
  zipcode: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  country: z.string().nullable(),
  phone: z.string().nullable(),
  fax: z.string().nullable(),
  website: z.string().nullable(),
  vat_number: z.string().nullable(),
  locale: z.string().nullable(),
  currency: z.enum(CURRENCIES).nullable(),
  industry: z.enum(INDUSTRIES).nullable(),
  notes: z.string().nullable(),
  notes_visible: z.boolean(),
  theme: z.string().nullable(),
  api_allowed: z.boolean(),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
  metadata: z.record(z.string(), z.string()),
  resources: resourcesSchema.partial(),
  messaging: messagingSchema.partial(),
  registrar: registrarSchema.partial(),
  additional_data: additionalDataSchema.partial(),
  extension_data: z.array(z.object({ name: z.string(), data: z.record(z.string(), z.string()) })),
  created_at: z.string(),
  updated_at: z.string(),
  deleted_at: z.string().nullable(),
  version: z.number().int(),
});
export type Customer = z.output<typeof customerSchema>;

/** Fields a list may filter and sort on; names outside this list are refused, never interpolated. */
export const FILTERABLE_FIELDS = [
  "id",
  "handle",
  "login",
  "customer_number",
  "external_id",
  "email",
  "status",
  "owner_id",
  "title",
  "first_name",
  "last_name",
  "company",
  "street",
  "zipcode",
  "city",
  "state",
  "country",
  "phone",
  "vat_number",
  "locale",
  "currency",
  "industry",
  "notes",
  "created_at",
  "updated_at",
  "version",
] as const;
export type FilterableField = (typeof FILTERABLE_FIELDS)[number];
export const SORTABLE_FIELDS = FILTERABLE_FIELDS.filter((f) => f !== "external_id");
export const NUMERIC_FIELDS: ReadonlySet<string> = new Set(["id", "owner_id", "version"]);

export const FILTER_OPERATORS = ["eq", "ne", "lt", "lte", "gt", "gte", "prefix", "like", "in"] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface Filter {
  field: FilterableField;
  op: FilterOperator;
  value: string | number | (string | number)[];
}
export interface SortKey {
  field: FilterableField;
  direction: "asc" | "desc";
}
export interface ListQuery {
  filters: Filter[];
  sort: SortKey[];
  limit: number;
  /** Keyset cursor (opaque to clients). */
  startingAfter?: string;
  endingBefore?: string;
  offset?: number;
  includeTotal: boolean;
  includeDeleted: boolean;
}
export interface ListPage<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
  prev_cursor: string | null;
  total?: number;
}

/** A filter as a protocol decoded it, before the service checks field, operator and value. */
export interface RawFilter {
  field: string;
  op: string;
  value: string | string[];
}
export interface RawListQuery {
  filters: RawFilter[];
  sort?: string | undefined;
  limit: number;
  startingAfter?: string | undefined;
  endingBefore?: string | undefined;
  offset?: number | undefined;
  includeTotal: boolean;
  includeDeleted: boolean;
}
