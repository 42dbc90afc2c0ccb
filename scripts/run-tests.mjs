// Runs every *.test.ts under test/ with Node's test runner (Node 20 has no --test globs).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return find(p);
    return p.endsWith(".test.ts") ? [p] : [];
  });
}

// The console tests drive the built front end in Chromium: build it first (esbuild, well under a second).
const built = spawnSync(process.execPath, ["scripts/build-web.mjs"], { stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);

const only = process.argv.slice(2);
const files = only.length > 0 ? only : find("test").sort();
const concurrency = process.env.CUSTOS_TEST_CONCURRENCY ?? "2";
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files], {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
