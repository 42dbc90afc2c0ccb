import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { CUSTOMER_STATUSES, INDUSTRIES } from "../../src/modules/customers/schema.js";
import { stepTowards } from "../../src/modules/lifecycle/service.js";
import { decodeList, decodeProperties, EVERLYTIC_STATUSES, nameIn, PROPERTIES, STATUS_IN, STATUS_OUT } from "../../src/protocols/everlytic/fields.js";

const SEED = join(import.meta.dirname, "../../../../shared/seeds/004_57464b3d6c6a6ed0.txt");

it("the industry list is the seed's, value by value and in order (19 values; protocols.md's '20' is a miscount)", () => {
  // The seed separates values with ", " and three values contain ", " themselves
  // ("Hospitality, Travel & Tourism", "Industry, Trade & Manufacture", "Lifestyle, Arts & Entertainment"):
  // the list joined back must be the seed's text exactly, character for character.
  let text: string;
  try {
    text = readFileSync(SEED, "utf8");
  } catch {
    text = "";
  }
  const expected =
    "Personal Use, Agriculture & Environmental, Automotive, Business & Consulting Services, E-commerce, Education & Training, Financial Institutions, Governmental Organisations, Hospitality, Travel & Tourism, Industry, Trade & Manufacture, Lifestyle, Arts & Entertainment, Logistic Services, Publishing & Media, Agencies & Marketing, Medical & Healthcare, Non Governmental Organisations, Property & Real Estate, Retail & Wholesale, Technology & Science";
  if (text !== "") assert.ok(text.includes(`Possible values: ${expected}.`), "the seed's list is the one pinned here");
  assert.equal(INDUSTRIES.join(", "), expected);
  assert.equal(INDUSTRIES.length, 19);
  assert.equal(new Set(INDUSTRIES).size, 19);
});

it("maps every Custos status to an Everlytic one and every Everlytic status back to a reachable target", () => {
  for (const s of CUSTOMER_STATUSES) assert.ok((EVERLYTIC_STATUSES as readonly string[]).includes(STATUS_OUT[s]), s);
  for (const e of EVERLYTIC_STATUSES) assert.equal(STATUS_OUT[STATUS_IN[e]], e, `${e} reads back as itself`);
  assert.equal(stepTowards("active", "suspended"), "suspend");
  assert.equal(stepTowards("suspended", "active"), "unsuspend");
  assert.equal(stepTowards("deactivated", "active"), "reactivate");
  assert.equal(stepTowards("locked", "active"), "unlock");
  assert.equal(stepTowards("active", "deactivated"), "deactivate");
  assert.equal(stepTowards("active", "deleted"), "delete");
  assert.equal(stepTowards("active", "active"), null);
  assert.equal(stepTowards("closed", "active"), "refused");
  assert.equal(stepTowards("deleted", "active"), "refused");
});

it("splits a name at its last word and keeps a single word as the company", () => {
  assert.deepEqual(nameIn("  Jane   van Dijk "), { first_name: "Jane van", last_name: "Dijk", name_prefix: null });
  assert.deepEqual(nameIn("Acme"), { company: "Acme", first_name: null, last_name: null, name_prefix: null });
});

it("decodes properties with PHP-style types and names the property in errors", () => {
  const d = decodeProperties({ name: "Jo Bloggs", email_quota: "250", sms_quota: 3, email_package_id: 0, postal_code: 8001, status: "suspended", hash: "x", id: 4 }, "update");
  assert.deepEqual(d, {
    fields: { first_name: "Jo", last_name: "Bloggs", name_prefix: null, zipcode: "8001", messaging: { email_send_quota: 250, sms_quota: 3, email_package_id: null } },
    target: "suspended",
  });
  assert.throws(
    () => decodeProperties({ email_quota: "many", status: "paused", colour: "red", deleted: "maybe" }, "update"),
    (e: { issues: { field: string }[] }) => {
      assert.deepEqual(e.issues.map((i) => i.field).sort(), ["colour", "deleted", "email_quota", "status"]);
      return true;
    },
  );
  assert.throws(() => decodeProperties({ status: "on", deleted: "yes" }, "update"), /contradicts/);
  assert.throws(() => decodeProperties({ name: "X", email: "x@y.example", status: "deleted" }, "create"), /cannot be deleted/);
  assert.throws(() => decodeProperties([1, 2], "update"), /must be an object/);
  assert.equal(Object.keys(PROPERTIES).length, 14);
});

it("decodes ListCustomers arguments", () => {
  assert.deepEqual(decodeList({}), { page: 1, count: 50, sort: undefined, filters: [], includeDeleted: false });
  assert.deepEqual(decodeList({ page: "2", count: 10, order: "email", direction: "desc", filter: { status: "on", country: "ZA" } }), {
    page: 2,
    count: 10,
    sort: "-email",
    filters: [
      { field: "status", op: "in", value: ["active", "cancellation_requested"] },
      { field: "country", op: "eq", value: "ZA" },
    ],
    includeDeleted: false,
  });
  assert.throws(() => decodeList({ page: 0, count: 5000, order: "colour", direction: "UP", filter: { x: 1 } }), (e: { issues: unknown[] }) => e.issues.length === 5);
});
