import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { froxlorFuzz } from "./fuzz-target.js";

/**
 * Hostile input over every way api.php takes it must never get a server error, on either
 * database. The shared corpus (test/security/fuzz.security.test.ts, issue 10) takes froxlorFuzz as
 * its Froxlor entry once both are on main; this runs the same target with a compact corpus.
 */
const strings = ["\u0000", "a\u0000b", "\uD800", "x\uDFFFy", "😀\u0000", "' OR 1=1 --", "%00", "\r\nX-Injected: 1", "\u202Eevil", "x".repeat(70_000), "<![CDATA[x]]>&amp;"];
const bodies = [
  { label: "invalid UTF-8", json: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]) },
  { label: "escaped lone surrogate", json: '{"command":"Customers.get","params":{"loginname":"\\ud800"}}' },
  { label: "deep array nesting", json: `${"[".repeat(50_000)}${"]".repeat(50_000)}` },
  { label: "deep object nesting", json: `{"command":"Customers.listing","params":${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}}` },
  { label: "oversize", json: `{"company":"${"x".repeat(400 * 1024)}"}` },
  { label: "not JSON", json: "<xml/>" },
];

forEachDialect("Froxlor api.php under hostile input", (dialect) => {
  let s: TestServer;
  let customerId: number;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    customerId = (await s.app.services.customers.create(systemContext("test"), { email: "fuzz@froxlor.example", company: "Fuzz Ltd" })).id;
  });
  after(async () => s.close());

  it("never answers a server error", async () => {
    const failures: string[] = [];
    let answers = 0;
    for await (const a of froxlorFuzz({ strings, bodies }).run(s, { customerId })) {
      answers++;
      if (a.status >= 500) failures.push(`${a.what}: ${a.status} ${a.text.slice(0, 120)}`);
    }
    assert.ok(answers > 100, `${answers} answers`);
    assert.deepEqual(failures, []);
  });
});
