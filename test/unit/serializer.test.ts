import assert from "node:assert/strict";
import { it } from "node:test";
import { customerSchema } from "../../src/modules/customers/schema.js";
import { compileSerializer } from "../../src/core/json-schema.js";

const customer = {
  object: "customer",
  id: 7,
  handle: "JD123456-NL",
  login: "cust7",
  customer_number: "10007",
  external_id: null,
  email: "jane@example.com",
  status: "active",
  deleted: false,
  owner_id: 1,
  title: "MISS",
  first_name: "Jane",
  last_name: "Doe",
  name_prefix: null,
  initials: null,
  full_name: "Jane Doe",
  company: null,
  street: "Main 1\nBack house",
  house_number: null,
  house_number_suffix: null,
  zipcode: "1011 AB",
  city: "Amsterdam",
  state: null,
  country: "NL",
  phone: "+31.201234567",
  fax: null,
  website: null,
  vat_number: null,
  locale: "nl-NL",
  currency: "EUR",
  industry: "Hospitality, Travel & Tourism",
  notes: 'quote " and \\ and </script>',
  notes_visible: true,
  theme: null,
  api_allowed: true,
  tags: [{ key: "plan", value: "gold" }],
  metadata: { a: "1", "weird key": "ü" },
  resources: { diskspace_mb: -1, email_imap: true, allowed_php_configs: [1, 2], hosting_plan_id: null },
  messaging: { sms_quota: 5 },
  registrar: { low_balance: -5.5, is_reseller: "no", mail_list_ids: [3] },
  additional_data: { birth_date: "1980-02-03" },
  extension_data: [{ name: "es", data: { type: "1" } }],
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-02T00:00:00.000Z",
  deleted_at: null,
  version: 3,
};

it("writes a customer exactly as validating with its schema and JSON.stringify would", () => {
  const serialize = compileSerializer(customerSchema);
  assert.deepEqual(JSON.parse(serialize(customer)), JSON.parse(JSON.stringify(customerSchema.parse(customer))));
});

it("drops properties the response schema does not declare, at any depth", () => {
  const serialize = compileSerializer(customerSchema);
  const leaky = { ...customer, password_hash: "$argon2id$...", tags: [{ key: "k", value: "v", secret: "s" }], totp_secret: "JBSWY3DP" };
  const out = serialize(leaky);
  assert.doesNotMatch(out, /argon2|JBSWY3DP|"secret"/);
});
