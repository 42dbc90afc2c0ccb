import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { CommandRunner, defineCommand } from "../../src/core/commands.js";
import { AppError } from "../../src/core/errors.js";
import { defineOperation } from "../../src/core/operations.js";
import { systemContext } from "../../src/core/context.js";
import { jsonCodec, xmlRpcStructCodec } from "../../src/protocols/kit/codec.js";
import { decodeFields, defineFields, encodeFields, issueRenamer, wire } from "../../src/protocols/kit/fields.js";
import { createDispatcher, method, UnknownMethod } from "../../src/protocols/kit/rpc.js";
import { encodeFault } from "../../src/protocols/kit/xmlrpc.js";

const MAP = defineFields({
  firstname: { to: "first_name", type: wire.text },
  org: { to: "company", type: wire.text, emptyClears: true },
  rows: { to: "registrar.rows_per_page", type: wire.int },
  crDate: { to: "created_at", type: wire.date },
});

test("a field map decodes wire names into nested canonical fields, with type conversion", () => {
  assert.deepEqual(decodeFields(MAP, { firstname: 42, org: "", rows: "25" }), { first_name: "42", company: null, registrar: { rows_per_page: 25 } });
});

test("a field map refuses unknown names, nulls and wrong wire types in one error naming the wire parameters", () => {
  assert.throws(
    () => decodeFields(MAP, { nick: "x", firstname: null, rows: "many" }),
    (e: AppError) =>
      e.code === "validation_failed" &&
      JSON.stringify(e.issues.map((i) => [i.field, i.code])) === JSON.stringify([["nick", "not_allowed"], ["firstname", "invalid_type"], ["rows", "invalid_type"]]),
  );
});

test("a field map encodes in table order, leaves out nulls unless asked, and renames canonical issue fields", () => {
  const out = encodeFields(MAP, { first_name: "Ina", company: null, registrar: { rows_per_page: 10 }, created_at: "2026-01-02T03:04:05.000Z" });
  assert.deepEqual(Object.keys(out), ["firstname", "rows", "crDate"]);
  assert.ok(out.crDate instanceof Date);
  assert.equal(encodeFields(MAP, { company: null }, { keepNull: true }).org, null);
  const rename = issueRenamer(MAP);
  assert.deepEqual(
    rename([{ field: "registrar.rows_per_page", code: "out_of_range", message: "" }, { field: "company", code: "invalid_format", message: "" }, { field: "other", code: "x", message: "" }]).map((i) => i.field),
    ["rows", "org", "other"],
  );
});

test("the dispatcher finds methods case-insensitively, renames issues raised by run, and reports unknown methods", async () => {
  const dispatch = createDispatcher<{ calls: number }>(
    {
      "customer.update": method({
        operation: "customer.update",
        decode: (params) => decodeFields(MAP, params),
        async run() {
          throw new AppError("validation_failed", "bad", { issues: [{ field: "first_name", code: "invalid_format", message: "bad" }] });
        },
        encode: () => ({}),
        renameIssues: issueRenamer(MAP),
      }),
      "account.info": method({ operation: "customer.get", decode: () => undefined, run: async (_i, call) => ++call.calls, encode: (n) => ({ n }) }),
    },
    { caseInsensitive: true },
  );
  assert.deepEqual(await dispatch("Account.Info", {}, { calls: 0 }), { n: 1 });
  await assert.rejects(dispatch("customer.update", { firstname: "x" }, { calls: 0 }), (e: AppError) => e.issues[0]?.field === "firstname");
  await assert.rejects(dispatch("nope.nope", {}, { calls: 0 }), UnknownMethod);
  await assert.rejects(dispatch(undefined, {}, { calls: 0 }), (e: AppError) => e.issues[0]?.field === "method");
});

test("the codecs read JSON and XML-RPC calls and write answers and faults", () => {
  assert.deepEqual(jsonCodec.decode('{"method":"a.b","params":{"x":1}}'), { method: "a.b", params: { x: 1 } });
  assert.throws(() => jsonCodec.decode("[]"), (e: AppError) => e.code === "malformed_request");
  const xml = "<?xml version='1.0'?><methodCall><methodName>a.b</methodName><params><param><value><struct><member><name>x</name><value><int>1</int></value></member></struct></value></param></params></methodCall>";
  assert.deepEqual(xmlRpcStructCodec.decode(xml), { method: "a.b", params: { x: 1 } });
  assert.match(xmlRpcStructCodec.encode({ code: 1000 }), /<methodResponse><params><param><value><struct><member><name>code<\/name><value><int>1000<\/int>/);
  assert.match(encodeFault(4, "Too many parameters"), /<fault><value><struct>.*<name>faultCode<\/name><value><int>4<\/int>.*Too many parameters/);
});

test("the runner authorizes, validates, runs in one transaction (rolled back for a dry run) and reports undeclared errors", async () => {
  const op = defineOperation({ name: "test.kit_command", permission: "test.write", mutates: true, principals: ["operator"], summary: "test" });
  const seen: string[] = [];
  const tx = {
    async transaction<R>(fn: () => Promise<R>, options?: { rollback?: boolean }) {
      seen.push(options?.rollback ? "rollback" : "commit");
      return fn();
    },
  };
  const cmd = defineCommand({
    operation: op,
    input: z.strictObject({ n: z.number().int() }),
    errors: [],
    async run(deps: { double: (n: number) => number }, { input }) {
      if (input.n < 0) throw new AppError("conflict", "negative");
      return deps.double(input.n);
    },
  });
  const undeclared: string[] = [];
  const runner = new CommandRunner(tx, { double: (n: number) => n * 2 }, (name, code) => undeclared.push(`${name}:${code}`));
  const ctx = systemContext("test");
  assert.equal(await runner.execute(cmd, ctx, { n: 2 }, undefined), 4);
  assert.equal(await runner.execute(cmd, ctx, { n: 3 }, undefined, { dryRun: true }), 6);
  assert.deepEqual(seen, ["commit", "rollback"]);
  await assert.rejects(runner.execute(cmd, ctx, { n: "x" }, undefined), (e: AppError) => e.code === "validation_failed");
  await assert.rejects(runner.execute(cmd, ctx, { n: -1 }, undefined), (e: AppError) => e.code === "conflict");
  assert.deepEqual(undeclared, ["test.kit_command:conflict"]);
  const customer = { ...ctx, principal: { ...ctx.principal, kind: "customer" as const } };
  await assert.rejects(runner.execute(cmd, customer, { n: 1 }, undefined), (e: AppError) => e.code === "forbidden");
});
