import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { phone as canonicalPhone } from "../../src/core/fields.js";
import { extensionDataIssues, TLD_RULES } from "../../src/modules/customers/extension-data.js";
import { customerCreateSchema } from "../../src/modules/customers/schema.js";
import { decodeCustomer, decodeListQuery, opDate, wireField } from "../../src/protocols/openprovider/fields.js";
import { joinPhone, splitPhone } from "../../src/protocols/openprovider/phone.js";

describe("Openprovider phone split and join", () => {
  // canonical -> expected Openprovider parts, one or more numbers per country.
  const cases: [string, string, string, string][] = [
    ["NL", "+31.201234567", "20", "1234567"],
    ["NL mobile", "+31.612345678", "6", "12345678"],
    ["DE", "+49.30123456", "30", "123456"],
    ["GB", "+44.2079460958", "20", "79460958"],
    ["US", "+1.2125550123", "212", "5550123"],
    ["FR", "+33.142685300", "1", "42685300"],
    ["IT (the 0 belongs to the number)", "+39.0612345678", "06", "12345678"],
    ["ES", "+34.912345678", "912", "345678"],
    ["BE", "+32.25123456", "2", "5123456"],
    ["RU", "+7.4951234567", "495", "1234567"],
    ["AU", "+61.212345678", "2", "12345678"],
    ["BR", "+55.11912345678", "11", "912345678"],
    ["JP", "+81.312345678", "3", "12345678"],
    ["CH", "+41.446681800", "44", "6681800"],
    ["AT", "+43.19876543", "1", "9876543"],
  ];
  for (const [country, canonical, area, subscriber] of cases) {
    it(`${country}: ${canonical} splits into area ${area} and survives the round trip`, () => {
      const cc = `+${canonical.slice(1, canonical.indexOf("."))}`;
      const parts = splitPhone(canonical);
      assert.deepEqual(parts, { country_code: cc, area_code: area, subscriber_number: subscriber });
      const joined = joinPhone(parts);
      assert.equal(canonicalPhone.parse(joined), canonical);
    });
  }

  it("accepts an area code written with its trunk zero", () => {
    assert.equal(canonicalPhone.parse(joinPhone({ country_code: "+31", area_code: "020", subscriber_number: "1234567" })), "+31.201234567");
    assert.equal(canonicalPhone.parse(joinPhone({ country_code: "0049", area_code: "030", subscriber_number: "123 456" })), "+49.30123456");
  });

  it("reads all-empty parts as no phone and an empty canonical phone as empty parts", () => {
    assert.equal(joinPhone({ country_code: "", area_code: "", subscriber_number: "" }), null);
    assert.deepEqual(splitPhone(null), { country_code: "", area_code: "", subscriber_number: "" });
  });

  it("leaves an impossible country code to the canonical rule, which refuses it", () => {
    const joined = joinPhone({ country_code: "+04", area_code: "111", subscriber_number: "123456" });
    assert.equal(canonicalPhone.safeParse(joined).success, false);
  });
});

describe("extension data rules per TLD", () => {
  it("covers at least .es .it .ru .us .eu .nl", () => {
    for (const tld of ["es", "it", "ru", "us", "eu", "nl"]) assert.ok(TLD_RULES[tld], tld);
  });

  it("names the TLD and the key that is missing", () => {
    assert.deepEqual(extensionDataIssues("us", { nexus_category: "C11" }), [{ path: ["us", "applicant_purpose"], code: "required", message: "is required for .us" }]);
    const es = extensionDataIssues("es", { legal_type: "1" });
    assert.equal(es.length, 1);
    assert.deepEqual(es[0]?.path, ["es", "social_security_number"]);
  });

  it("accepts complete data for each TLD", () => {
    assert.deepEqual(extensionDataIssues("es", { legal_type: "612", company_registration_number: "B12345678" }), []);
    assert.deepEqual(extensionDataIssues("it", { legal_type: "1", social_security_number: "RSSMRA80A01H501U" }), []);
    assert.deepEqual(extensionDataIssues("ru", { user_type: "company", tax_payer_number: "7701234567", company_name_cyrillic: "ООО Ромашка", legal_address_cyrillic: "Москва" }), []);
    assert.deepEqual(extensionDataIssues("us", { nexus_category: "C12", applicant_purpose: "P1" }), []);
    assert.deepEqual(extensionDataIssues("eu", { country_of_citizenship: "NL", whois_email: "jane@example.com" }), []);
    assert.deepEqual(extensionDataIssues("nl", { legal_type: "BV", company_registration_number: "12345678" }), []);
  });

  it("checks formats of dates and numbers", () => {
    const ru = extensionDataIssues("ru", {
      user_type: "individual",
      passport_number: "123456",
      passport_issuer: "ОВД",
      passport_issue_date: "2020-02-30",
      birth_date: "01.02.1980",
      first_name_cyrillic: "Иван",
      last_name_cyrillic: "Иванов",
      passport_series: "45a1",
    });
    assert.deepEqual(
      ru.map((i) => [i.path.join("."), i.code]),
      [
        ["ru.passport_issue_date", "invalid_format"],
        ["ru.birth_date", "invalid_format"],
        ["ru.passport_series", "invalid_format"],
      ],
    );
    assert.equal(extensionDataIssues("nl", { company_registration_number: "1234" })[0]?.message, "must be 8 digits for .nl");
    assert.equal(extensionDataIssues("us", { nexus_category: "C99", applicant_purpose: "P1" })[0]?.code, "invalid_value");
  });

  it("refuses keys Openprovider does not know, and individuals needing other keys than companies (.ru)", () => {
    assert.equal(extensionDataIssues("eu", { favourite_colour: "blue" })[0]?.code, "not_allowed");
    const individual = extensionDataIssues("ru", { user_type: "individual" }).map((i) => i.path[1]);
    assert.ok(individual.includes("passport_number") && !individual.includes("tax_payer_number"));
  });

  it("runs inside the canonical schema, with the TLD in the field path", () => {
    const r = customerCreateSchema.safeParse({ email: "a@example.com", company: "X", extension_data: [{ name: ".ES", data: { legal_type: "1" } }] });
    assert.equal(r.success, false);
    assert.deepEqual(r.error?.issues.map((i) => i.path.join(".")), ["extension_data.es.social_security_number"]);
  });
});

describe("Openprovider customer decoding", () => {
  it("maps nested name, address and phone onto canonical fields and drops read-only keys", () => {
    const input = decodeCustomer(
      {
        id: 9,
        handle: "JD123456-NL",
        reseller_id: 3,
        is_deleted: false,
        name: { first_name: "Jane", last_name: "Doe", initials: "J.", prefix: "", full_name: "Jane Doe" },
        address: { street: "Albusstraat", number: 83, zipcode: "4903 RG", city: "Oosterhout", country: "NL" },
        phone: { country_code: "+31", area_code: "20", subscriber_number: "1234567" },
        email: "jane@example.com",
        additional_data: { birth_date: "", company_registration_number: "12345678", attached_files: [] },
        extension_additional_data: [{ name: "nl", data: { legal_type: "BV", vat: "" } }],
        tags: [{ key: "customer", value: "gold" }],
      },
      "create",
    );
    assert.deepEqual(input, {
      email: "jane@example.com",
      first_name: "Jane",
      initials: "J.",
      last_name: "Doe",
      street: "Albusstraat",
      house_number: "83",
      zipcode: "4903 RG",
      city: "Oosterhout",
      country: "NL",
      phone: "+31.201234567",
      tags: [{ key: "customer", value: "gold" }],
      additional_data: { company_registration_number: "12345678" },
      extension_data: [{ name: "nl", data: { legal_type: "BV" } }],
    });
  });

  it("reads an empty value as a clear on update and as absent on create", () => {
    assert.deepEqual(decodeCustomer({ vat: "", fax: { country_code: "", area_code: "", subscriber_number: "" } }, "update"), { vat_number: null, fax: null });
    assert.deepEqual(decodeCustomer({ vat: "", fax: { country_code: "", area_code: "", subscriber_number: "" } }, "create"), {});
  });

  it("names canonical fields in Openprovider's words in errors", () => {
    assert.equal(wireField("house_number"), "address.number");
    assert.equal(wireField("extension_data.es.legal_type"), "extension_additional_data.es.legal_type");
    assert.equal(wireField("notes"), "comments");
  });

  it("writes dates as Openprovider does", () => {
    assert.equal(opDate("2021-02-18T09:46:27.123Z"), "2021-02-18 09:46:27");
    assert.equal(opDate(null), "0000-00-00 00:00:00");
  });

  it("decodes list patterns, type, paging and with_additional_data 1/0/true/false", () => {
    const { list, issues } = decodeListQuery({ email_pattern: "*@example.com", type: "individual", limit: "10", offset: "20", order_by: "last_name", order: "DESC", with_additional_data: "true" });
    assert.deepEqual(issues, []);
    assert.equal(list.withAdditionalData, true);
    assert.deepEqual(list.query.filters, [
      { field: "email", op: "like", value: "*@example.com" },
      { field: "company", op: "eq", value: "" },
    ]);
    assert.equal(list.query.sort, "-last_name");
    assert.equal(list.query.limit, 10);
    assert.equal(list.query.offset, 20);
    assert.equal(decodeListQuery({ with_additional_data: "1" }).list.withAdditionalData, true);
    assert.equal(decodeListQuery({ with_additional_data: "yes" }).issues[0]?.field, "with_additional_data");
    assert.equal(decodeListQuery({ limit: "5000" }).issues[0]?.field, "limit");
  });
});
