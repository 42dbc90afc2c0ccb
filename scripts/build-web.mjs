// Builds the operator console (web/) into dist/web/: one JavaScript bundle (Preact, minified),
// one stylesheet and the page. npm start and npm test run it; the output is never committed.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "web");
mkdirSync(out, { recursive: true });
const started = performance.now();
await build({
  entryPoints: { console: join(root, "web", "src", "main.tsx"), "console-style": join(root, "web", "src", "console.css") },
  outdir: out,
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome110", "firefox110", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning",
});
const { renameSync } = await import("node:fs");
renameSync(join(out, "console-style.css"), join(out, "console.css"));
copyFileSync(join(root, "web", "index.html"), join(out, "index.html"));
process.stdout.write(`console built into dist/web in ${Math.round(performance.now() - started)} ms\n`);
