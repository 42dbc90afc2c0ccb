import countries from "i18n-iso-countries";
import validator from "validator";

/**
 * Registry extension data: per-TLD facts a customer must carry to register under that TLD
 * (Openprovider's extension_additional_data). One declarative table says which keys each TLD
 * needs and what each key's value looks like; `extensionDataIssues` applies it. Unknown TLDs
 * accept any known key with any single-line value.
 */

/** What a value must look like. */
export type ValueRule =
  | { kind: "text" }
  | { kind: "date" }
  | { kind: "digits"; min: number; max: number }
  | { kind: "pattern"; pattern: RegExp; example: string }
  | { kind: "oneOf"; values: readonly string[] }
  | { kind: "country" }
  | { kind: "email" };

/** Every key extension data may hold, with its general rule. */
export const EXTENSION_KEYS: Readonly<Record<string, ValueRule>> = {
  admin_type: { kind: "text" },
  applicant_purpose: { kind: "text" },
  birth_date: { kind: "date" },
  company_name_cyrillic: { kind: "text" },
  company_name_latin: { kind: "text" },
  company_registration_number: { kind: "text" },
  contact_title: { kind: "text" },
  country_of_citizenship: { kind: "country" },
  customer_uin: { kind: "text" },
  ens_auth_id: { kind: "text" },
  ens_key: { kind: "text" },
  first_name_cyrillic: { kind: "text" },
  first_name_latin: { kind: "text" },
  hr_member: { kind: "text" },
  industry_class: { kind: "text" },
  is_private_enterpreneur: { kind: "oneOf", values: ["0", "1", "true", "false"] },
  last_name_cyrillic: { kind: "text" },
  last_name_latin: { kind: "text" },
  legal_address_cyrillic: { kind: "text" },
  legal_type: { kind: "text" },
  middle_name_cyrillic: { kind: "text" },
  middle_name_latin: { kind: "text" },
  mobile_phone_number: { kind: "pattern", pattern: /^\+\d{1,3}\.?\d{4,14}$/, example: "+7.9161234567" },
  nexus_category: { kind: "text" },
  org_type: { kind: "text" },
  passport_issue_date: { kind: "date" },
  passport_issuer: { kind: "text" },
  passport_number: { kind: "text" },
  passport_series: { kind: "text" },
  postal_address_cyrillic: { kind: "text" },
  social_security_number: { kind: "text" },
  tax_payer_number: { kind: "text" },
  uin: { kind: "text" },
  user_type: { kind: "text" },
  vat: { kind: "text" },
  website: { kind: "text" },
  whois_email: { kind: "email" },
};

export interface TldRule {
  /** Keys every entry for the TLD must have. */
  required: readonly string[];
  /** At least one key of each group must be present. */
  oneOf?: readonly (readonly string[])[];
  /** Extra keys required when another key has a value (e.g. .ru individuals vs companies). */
  when?: readonly { key: string; equals: string; required: readonly string[] }[];
  /** Stricter value rules for this TLD. */
  values?: Readonly<Record<string, ValueRule>>;
}

/**
 * Per-TLD rules (registry policies as registrars document them; codes are the registries' own).
 * .es: legal form code of the Spanish registry and an identity number (NIF/NIE/CIF or passport);
 * .it: entity type 1-7 and the codice fiscale / partita IVA;
 * .ru: individual (passport data, birth date, Cyrillic name) or company (INN, Cyrillic name and address);
 * .us: nexus category and application purpose;
 * .eu: EU citizenship, when given, is an ISO country; .nl: legal form and KvK number format.
 */
export const TLD_RULES: Readonly<Record<string, TldRule>> = {
  es: {
    required: ["legal_type"],
    oneOf: [["social_security_number", "company_registration_number", "passport_number"]],
    values: {
      legal_type: { kind: "digits", min: 1, max: 3 },
      social_security_number: { kind: "pattern", pattern: /^[A-Z0-9]\d{7}[A-Z0-9]$/, example: "12345678Z" },
      company_registration_number: { kind: "pattern", pattern: /^[A-Z]\d{7}[A-Z0-9]$/, example: "B12345678" },
    },
  },
  it: {
    required: ["legal_type"],
    oneOf: [["social_security_number", "vat"]],
    values: {
      legal_type: { kind: "oneOf", values: ["1", "2", "3", "4", "5", "6", "7"] },
      social_security_number: { kind: "pattern", pattern: /^([A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]|\d{11})$/, example: "RSSMRA80A01H501U" },
      vat: { kind: "pattern", pattern: /^(IT)?\d{11}$/, example: "IT12345678901" },
    },
  },
  ru: {
    required: ["user_type"],
    when: [
      { key: "user_type", equals: "individual", required: ["passport_number", "passport_issuer", "passport_issue_date", "birth_date", "first_name_cyrillic", "last_name_cyrillic"] },
      { key: "user_type", equals: "company", required: ["tax_payer_number", "company_name_cyrillic", "legal_address_cyrillic"] },
    ],
    values: {
      user_type: { kind: "oneOf", values: ["individual", "company"] },
      tax_payer_number: { kind: "pattern", pattern: /^(\d{10}|\d{12})$/, example: "7701234567" },
      passport_series: { kind: "digits", min: 4, max: 4 },
    },
  },
  us: {
    required: ["nexus_category", "applicant_purpose"],
    values: {
      nexus_category: { kind: "oneOf", values: ["C11", "C12", "C21", "C31", "C32"] },
      applicant_purpose: { kind: "oneOf", values: ["P1", "P2", "P3", "P4", "P5"] },
    },
  },
  eu: {
    required: [],
  },
  nl: {
    required: [],
    values: {
      legal_type: { kind: "oneOf", values: ["BGG", "BRO", "BV", "BVI/O", "COOP", "CV", "EENMANSZAAK", "EESV", "KERK", "MAATSCHAP", "NV", "OWM", "PERSOON", "REDR", "STICHTING", "VERENIGING", "VOF", "ANDERS"] },
      company_registration_number: { kind: "digits", min: 8, max: 8 },
    },
  },
};

export interface ExtensionIssue {
  /** The TLD and key, e.g. ["es", "legal_type"]. */
  path: [string, string] | [string];
  code: "required" | "invalid_format" | "invalid_value" | "not_allowed";
  message: string;
}

function valueProblem(rule: ValueRule, value: string): { code: ExtensionIssue["code"]; message: string } | null {
  switch (rule.kind) {
    case "text":
      return null;
    case "date": {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      const d = m ? new Date(`${value}T00:00:00Z`) : null;
      return d && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value) ? null : { code: "invalid_format", message: "must be a date YYYY-MM-DD" };
    }
    case "digits":
      return new RegExp(`^\\d{${rule.min},${rule.max}}$`).test(value)
        ? null
        : { code: "invalid_format", message: rule.min === rule.max ? `must be ${rule.min} digits` : `must be ${rule.min}-${rule.max} digits` };
    case "pattern":
      return rule.pattern.test(value) ? null : { code: "invalid_format", message: `has the wrong format (e.g. ${rule.example})` };
    case "oneOf":
      return rule.values.includes(value) ? null : { code: "invalid_value", message: `must be one of ${rule.values.join(", ")}` };
    case "country":
      return /^[A-Z]{2}$/.test(value) && countries.isValid(value) ? null : { code: "invalid_value", message: "must be an ISO 3166-1 alpha-2 country code" };
    case "email":
      return validator.isEmail(value) ? null : { code: "invalid_format", message: "must be an e-mail address" };
  }
}

const present = (data: Readonly<Record<string, string>>, key: string): boolean => (data[key] ?? "") !== "";

/** Everything wrong with one TLD's extension data; empty when it is complete and well-formed. */
export function extensionDataIssues(tld: string, data: Readonly<Record<string, string>>): ExtensionIssue[] {
  const issues: ExtensionIssue[] = [];
  const rule = TLD_RULES[tld];
  for (const [key, value] of Object.entries(data)) {
    const general = EXTENSION_KEYS[key];
    if (!general) {
      issues.push({ path: [tld, key], code: "not_allowed", message: `is not an extension data key` });
      continue;
    }
    if (value === "") continue;
    const problem = valueProblem(rule?.values?.[key] ?? general, value);
    if (problem) issues.push({ path: [tld, key], ...problem, message: `${problem.message} for .${tld}` });
  }
  if (!rule) return issues;
  const needs = [...rule.required];
  for (const w of rule.when ?? []) if (data[w.key] === w.equals) needs.push(...w.required);
  for (const key of needs) if (!present(data, key)) issues.push({ path: [tld, key], code: "required", message: `is required for .${tld}` });
  for (const group of rule.oneOf ?? []) {
    if (!group.some((k) => present(data, k))) issues.push({ path: [tld, group[0] ?? ""], code: "required", message: `or ${group.slice(1).join(" or ")} is required for .${tld}` });
  }
  return issues;
}
