import assert from "node:assert/strict";
import { test } from "node:test";
import { locale } from "../../src/core/fields.js";

test("locales are BCP 47 language tags with an optional region, normalised, never cut down", () => {
  assert.equal(locale.parse("de"), "de");
  assert.equal(locale.parse("en_gb"), "en-GB");
  assert.equal(locale.parse("EN-us"), "en-US");
  for (const bad of ["xx-yy-zz", "en-GB-oxendict", "english", "e1", "en-", "-GB", "en-G1"]) {
    assert.equal(locale.safeParse(bad).success, false, bad);
  }
});
