import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { coverageMatrix, coverageTargets, protocolCoverage, renderCoverage } from "../../src/protocols/coverage.js";

test("every operation is bound or refused with a reason on every protocol", () => {
  const protocols = protocolCoverage();
  const missing = coverageMatrix(protocols).flatMap((row) => row.cells.flatMap((c, i) => (c.kind === "missing" ? [`${row.operation} on ${protocols[i]?.protocol}`] : [])));
  assert.deepEqual(missing, [], "bind these operations or list them as unsupported with a reason");
});

test("every protocol method names a known operation, and no refusal names a bound or unknown one", () => {
  const targets = new Set(coverageTargets());
  for (const p of protocolCoverage()) {
    const unbound = p.bindings.filter((b) => b.operation === null || !targets.has(b.operation)).map((b) => `${b.method} -> ${b.operation}`);
    assert.deepEqual(unbound, [], `${p.protocol} methods bound to no operation`);
    for (const [operation, reason] of Object.entries(p.unsupported)) {
      assert.ok(targets.has(operation), `${p.protocol} refuses ${operation}, which does not exist`);
      assert.ok(reason.trim().length > 0, `${p.protocol} refuses ${operation} without a reason`);
      assert.ok(!p.bindings.some((b) => b.operation === operation), `${p.protocol} both binds and refuses ${operation}`);
    }
  }
});

test("docs/coverage.md is the generated table (npm run docs:coverage)", () => {
  assert.equal(readFileSync(new URL("../../docs/coverage.md", import.meta.url), "utf8"), renderCoverage());
});
