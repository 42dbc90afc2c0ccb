/**
 * The customer's writable fields, once. Everything that lists them derives from this table: the
 * `customers` table type and the row <-> customer mapping (repository.ts), the state of a new
 * customer (service.ts), which fields only an operator or the owning reseller may change, which
 * objects a patch merges, what anonymisation clears, and the CLI's import/export columns and
 * aliases. Adding a field: one entry here, its validation in schema.ts, and a migration.
 *
 * `store` says how the field is stored and read:
 * - `text`: a required string, stored as it is;
 * - `optional_text`: '' in the database, null in the API;
 * - `nullable_text`: NULL in the database and in the API;
 * - `int`: an integer;
 * - `flag`: 0/1 in the database, a boolean in the API;
 * - `json`: a JSON document (objects and lists) in a text column.
 */
export type FieldStore = "text" | "optional_text" | "nullable_text" | "int" | "flag" | "json";

export interface FieldDef {
  store: FieldStore;
  /** The value of a new customer that does not give it (fields without one are always given or generated). */
  default?: unknown;
  /** Only an operator or the owning reseller may change it; a customer cannot on itself. */
  adminOnly?: boolean;
  /** An object whose keys a patch merges into the stored object instead of replacing it (and a CLI column group `field.key`). */
  merged?: boolean;
  /** Personal data that anonymisation clears. */
  personal?: boolean;
  /** False: exported but never imported (the CLI ignores the column). */
  importable?: boolean;
  /** Other column names an import file may use for it (matched after lower-casing, spaces to `_`). */
  aliases?: readonly string[];
}

export const CUSTOMER_FIELDS = {
  login: { store: "text", aliases: ["username", "loginname"] },
  customer_number: { store: "text", adminOnly: true, aliases: ["customer_no", "customernumber"] },
  external_id: { store: "nullable_text", default: null, adminOnly: true, aliases: ["externalid", "external_reference"] },
  email: { store: "text", aliases: ["mail", "e_mail", "email_address"] },
  status: { store: "text", default: "active", adminOnly: true },
  owner_id: { store: "int", adminOnly: true, importable: false },
  title: { store: "optional_text", default: null, personal: true },
  first_name: { store: "optional_text", default: null, personal: true, aliases: ["firstname", "given_name", "forename"] },
  last_name: { store: "optional_text", default: null, personal: true, aliases: ["lastname", "surname", "family_name"] },
  name_prefix: { store: "optional_text", default: null, personal: true },
  initials: { store: "optional_text", default: null, personal: true },
  company: { store: "optional_text", default: null, personal: true, aliases: ["organisation", "organization", "company_name"] },
  street: { store: "optional_text", default: null, personal: true },
  house_number: { store: "optional_text", default: null, personal: true, aliases: ["house_no"] },
  house_number_suffix: { store: "optional_text", default: null, personal: true },
  zipcode: { store: "optional_text", default: null, personal: true, aliases: ["zip", "zip_code", "postcode", "postal_code"] },
  city: { store: "optional_text", default: null, personal: true, aliases: ["town"] },
  state: { store: "optional_text", default: null, personal: true, aliases: ["province"] },
  country: { store: "optional_text", default: null, aliases: ["country_code"] },
  phone: { store: "optional_text", default: null, personal: true, aliases: ["telephone", "phone_number", "tel"] },
  fax: { store: "optional_text", default: null, personal: true, aliases: ["fax_number"] },
  website: { store: "optional_text", default: null, personal: true, aliases: ["url", "homepage"] },
  vat_number: { store: "optional_text", default: null, personal: true, aliases: ["vat", "vat_id"] },
  locale: { store: "optional_text", default: null, aliases: ["language"] },
  currency: { store: "optional_text", default: null },
  industry: { store: "optional_text", default: null },
  notes: { store: "optional_text", default: null, adminOnly: true, personal: true },
  notes_visible: { store: "flag", default: false, adminOnly: true },
  theme: { store: "optional_text", default: null },
  api_allowed: { store: "flag", default: true, adminOnly: true },
  tags: { store: "json", default: [] },
  metadata: { store: "json", default: {}, merged: true },
  resources: { store: "json", default: {}, merged: true, adminOnly: true },
  messaging: { store: "json", default: {}, merged: true, adminOnly: true },
  registrar: { store: "json", default: {}, merged: true },
  additional_data: { store: "json", default: {}, merged: true },
  extension_data: { store: "json", default: [] },
} as const satisfies Record<string, FieldDef>;

export type CustomerFieldName = keyof typeof CUSTOMER_FIELDS;

type ColumnOf<S extends FieldStore> = S extends "nullable_text" ? string | null : S extends "int" | "flag" ? number : string;

/** The stored columns of the customer's fields (repository.ts adds id, handle, timestamps and version). */
export type CustomerFieldColumns = { [K in CustomerFieldName]: ColumnOf<(typeof CUSTOMER_FIELDS)[K]["store"]> };

/** Every field with its definition, in table order. */
export const FIELD_ENTRIES = Object.entries(CUSTOMER_FIELDS) as [CustomerFieldName, FieldDef][];

const namesWhere = (test: (def: FieldDef) => boolean): CustomerFieldName[] => FIELD_ENTRIES.filter(([, def]) => test(def)).map(([name]) => name);

export const OPTIONAL_TEXT_FIELDS = namesWhere((d) => d.store === "optional_text");
export const JSON_FIELDS = namesWhere((d) => d.store === "json");
export const FLAG_FIELDS = namesWhere((d) => d.store === "flag");
export const ADMIN_ONLY_FIELDS: ReadonlySet<string> = new Set(namesWhere((d) => d.adminOnly === true));
export const MERGED_FIELDS: ReadonlySet<string> = new Set(namesWhere((d) => d.merged === true));
export const PERSONAL_TEXT_FIELDS = namesWhere((d) => d.personal === true && d.store === "optional_text");
/** Every field in table order: the columns an export writes between id/handle and the timestamps. */
export const FIELD_NAMES = FIELD_ENTRIES.map(([name]) => name);
/** Fields an import sets, in column order (an export adds owner_id, which only a move changes). */
export const IMPORTABLE_FIELDS = namesWhere((d) => d.importable !== false);

/** The defaults of a new customer, for every field that has one. */
export const FIELD_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(FIELD_ENTRIES.filter(([, d]) => "default" in d).map(([name, d]) => [name, d.default]));

/** Alias -> field, for import column names. */
export const FIELD_ALIASES: Readonly<Record<string, CustomerFieldName>> = Object.fromEntries(FIELD_ENTRIES.flatMap(([name, d]) => (d.aliases ?? []).map((a) => [a, name])));
