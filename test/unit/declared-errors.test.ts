import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import type { Services } from "../../src/app.js";
import { CommandRunner, defineCommand, undeclaredErrorHook } from "../../src/core/commands.js";
import { systemContext } from "../../src/core/context.js";
import { AppError } from "../../src/core/errors.js";
import { defineOperation } from "../../src/core/operations.js";
import { buildOpenApi } from "../../src/protocols/rest/openapi.js";
import { restRoutes } from "../../src/protocols/rest/server.js";

const tx = { transaction: <R>(fn: () => Promise<R>) => fn() };

test("an undeclared error code fails loudly under the fail policy and is logged and passed on under the log policy", async () => {
  const cmd = defineCommand({
    operation: defineOperation({ name: "test.undeclared", permission: "test.x", mutates: false, principals: ["operator"], summary: "test" }),
    input: z.strictObject({}),
    errors: ["not_found"],
    async run(_deps: object, { input }) {
      if (Object.keys(input).length === 0) throw new AppError("conflict", "not declared");
    },
  });
  const strict = new CommandRunner(tx, {}, undeclaredErrorHook("fail", () => assert.fail("no log under fail")));
  await assert.rejects(strict.execute(cmd, systemContext("test"), {}, undefined), (e: Error) => !(e instanceof AppError) && /test\.undeclared raised "conflict"/.test(e.message));
  const logged: string[] = [];
  const lenient = new CommandRunner(tx, {}, undeclaredErrorHook("log", (m) => logged.push(m)));
  await assert.rejects(lenient.execute(cmd, systemContext("test"), {}, undefined), (e: AppError) => e.code === "conflict");
  assert.equal(logged.length, 1);
  // Codes every command may raise need no declaration.
  await assert.rejects(strict.execute(cmd, systemContext("test"), { x: 1 }, undefined), (e: AppError) => e.code === "validation_failed");
});

test("OpenAPI lists per route the problem statuses of the codes its command declares, plus what the REST edge refuses", () => {
  const doc = buildOpenApi(restRoutes({} as Services), { version: "test" }) as { paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>> };
  const reseller = doc.paths["/v1/resellers/{id}"]?.get?.responses ?? {};
  assert.ok(reseller["404"]?.description.includes("not_found"));
  assert.equal(reseller["409"], undefined, "reading a reseller declares no conflict");
  assert.equal(reseller["413"], undefined, "a GET has no body to be too large");
  for (const status of ["401", "403", "422", "429", "500"]) assert.ok(reseller[status], `every command may answer ${status}`);
  const create = doc.paths["/v1/resellers"]?.post?.responses ?? {};
  assert.ok(create["409"]?.description.includes("conflict"));
  assert.ok(create["409"]?.description.includes("idempotency_key_in_use"));
  assert.ok(create["400"] && create["413"] && create["415"]);
});
