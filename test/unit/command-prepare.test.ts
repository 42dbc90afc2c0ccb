import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { CommandRunner, defineCommand } from "../../src/core/commands.js";
import { anonymousContext, systemContext } from "../../src/core/context.js";
import { AppError } from "../../src/core/errors.js";
import { defineOperation } from "../../src/core/operations.js";

/** A transactor that records when its transaction is open, so the test sees where each step ran. */
function recordingTx() {
  const state = { open: false, opened: 0 };
  return {
    state,
    tx: {
      async transaction<R>(fn: () => Promise<R>): Promise<R> {
        state.open = true;
        state.opened++;
        try {
          return await fn();
        } finally {
          state.open = false;
        }
      },
    },
  };
}

const op = defineOperation({ name: "test.prepared", permission: "test.x", mutates: true, principals: ["operator"], summary: "test" });

test("prepare runs after authorization and validation, outside the transaction, and hands its result to run", async () => {
  const { state, tx } = recordingTx();
  const seen: string[] = [];
  const cmd = defineCommand({
    operation: op,
    input: z.strictObject({ url: z.string() }),
    errors: [],
    async prepare(_deps: object, { input }) {
      seen.push(`prepare open=${state.open}`);
      if (input.url === "internal") throw new AppError("validation_failed", "refused before any transaction");
      return { checked: input.url };
    },
    async run(_deps: object, { prepared }) {
      seen.push(`run open=${state.open}`);
      return prepared.checked;
    },
  });
  const runner = new CommandRunner(tx, {});
  assert.equal(await runner.execute(cmd, systemContext("test"), { url: "https://example.com" }, undefined), "https://example.com");
  assert.deepEqual(seen, ["prepare open=false", "run open=true"]);

  seen.length = 0;
  await assert.rejects(runner.execute(cmd, systemContext("test"), { url: "internal" }, undefined), (e: AppError) => e.code === "validation_failed");
  assert.deepEqual(seen, ["prepare open=false"], "a refusal in prepare opens no transaction");
  assert.equal(state.opened, 1);

  // Neither an unauthorized caller nor invalid input reaches prepare.
  await assert.rejects(runner.execute(cmd, anonymousContext({ requestId: "r", clientIp: null, protocol: "test" }), { url: "x" }, undefined), (e: AppError) => e.code === "unauthenticated" || e.code === "forbidden");
  await assert.rejects(runner.execute(cmd, systemContext("test"), { url: 1 }, undefined), (e: AppError) => e.code === "validation_failed");
  assert.deepEqual(seen, ["prepare open=false"]);
});
