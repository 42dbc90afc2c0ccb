import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeSearch, decodeOrder, decodePaging } from "../../src/protocols/froxlor/listing.js";
import { intval, normaliseParams, phpBool, stripcslashes } from "../../src/protocols/froxlor/php.js";
import { keyFromBasic, phpJson } from "../../src/protocols/froxlor/plugin.js";

test("stripcslashes unescapes C escapes as PHP does", () => {
  assert.equal(stripcslashes("a\\nb\\tc"), "a\nb\tc");
  assert.equal(stripcslashes("\\x41\\101\\\\"), "AA\\");
  assert.equal(stripcslashes("plain"), "plain");
});

test("parameters become text the way api.php normalises them", () => {
  assert.deepEqual(normaliseParams({ a: 5, b: true, c: false, d: null, e: "x\\ny", f: [1, { g: 0 }] }), { a: "5", b: "1", c: false, d: null, e: "x\ny", f: ["1", { g: 0 }] });
  assert.equal(intval("12abc"), 12);
  assert.equal(intval("abc"), 0);
  for (const on of [true, 1, "1", "2", " 3"]) assert.equal(phpBool(on), true, JSON.stringify(on));
  for (const off of [false, 0, "0", "", "true", "yes", null, undefined]) assert.equal(phpBool(off), false, JSON.stringify(off));
});

test("answers are pretty-printed with 4 spaces, slashes unescaped, non-ASCII as \\uXXXX", () => {
  assert.equal(phpJson({ data: { company: "Müller/Söhne 😀" } }), '{\n    "data": {\n        "company": "M\\u00fcller/S\\u00f6hne \\ud83d\\ude00"\n    }\n}');
});

test("Basic key:secret names a Custos key", () => {
  assert.equal(keyFromBasic("ck_0123456789ab", "rest_of_it"), "ck_0123456789ab_rest_of_it");
  assert.equal(keyFromBasic("anything", "whole-bootstrap-key"), "whole-bootstrap-key");
  assert.equal(keyFromBasic("ck_0123456789ab", "ck_0123456789ab_rest"), "ck_0123456789ab_rest");
});

test("sql_search, sql_orderby and paging map onto whitelisted fields", () => {
  assert.deepEqual(decodeSearch({ loginname: "web", "c.email": { op: "=", value: "a@b.example" }, customerid: { op: ">", value: 3 }, "bad name": "x", password: "y", name: { op: "like" } }), [
    { field: "login", op: "like", value: "*web*" },
    { field: "email", op: "eq", value: "a@b.example" },
    { field: "id", op: "gt", value: "3" },
  ]);
  assert.deepEqual(decodeSearch({ loginname: "a%b_c" }), [{ field: "login", op: "like", value: "*a*b?c*" }]);
  assert.deepEqual(decodeSearch({ loginname: { op: "In", value: ["web1", "x@y.z", "web2"] } }), [{ field: "login", op: "in", value: ["web1", "web2"] }]);
  assert.equal(decodeOrder({ "c.loginname": "desc", name: "sideways" }), "-login,last_name");
  assert.deepEqual(decodePaging({ sql_offset: 5 }), { limit: 10_000, offset: undefined });
  assert.deepEqual(decodePaging({ sql_limit: "10", sql_offset: "5" }), { limit: 10, offset: 5 });
});
