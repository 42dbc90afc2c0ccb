import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, it } from "node:test";
import { promisify } from "node:util";
import { forEachDialect, OPERATOR_KEY, type TestServer, startServer } from "../helpers/harness.js";

const run = promisify(execFile);

/** The README's Froxlor example, exactly as written (only the address is the test server's). */
function readmeExample(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("### Froxlor (api.php)"));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(m?.[1], "the README has a Froxlor sh example");
  return m[1];
}

forEachDialect("the README's Froxlor curl example", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
  });
  after(async () => s.close());

  it("works as written with bash, curl and node", async () => {
    const script = readmeExample().replaceAll("http://127.0.0.1:8080", s.url);
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script], { env: { ...process.env, H: `Authorization: Bearer ${OPERATOR_KEY}` }, encoding: "utf8" });
    // Three pretty-printed JSON answers back to back (api.php ends none with a newline).
    const answers = stdout.split(/(?<=\n\})(?=\{)/).map((t) => JSON.parse(t));
    assert.equal(answers.length, 3, stdout);
    assert.equal(answers[0].data.name, "Starter");
    assert.equal(answers[1].data.loginname, "webuser1");
    assert.equal(answers[1].data.diskspace, 2048 * 1024, "the plan's values, in KiB");
    assert.equal(answers[2].data.count, 1);
    assert.equal(answers[2].data.list[0].loginname, "webuser1");
  });
});
