/**
 * node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [--inclusive[=text]]
 *
 * Prints the functions with the most self time in a V8 CPU profile (as written by the Custos
 * process under `npm run bench -- --cpu-prof`), grouped by function and source position, plus the
 * share of time spent under Custos's own code (dist/ or src/) versus dependencies and Node.
 * --inclusive also lists time including callees (each function counted once per sample, so
 * recursion does not inflate it), optionally only for functions whose name or file contains text.
 * Hooks that call the next hook inherit everything after them: read those with care.
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const [file, topArg] = positional;
const inclusiveArg = process.argv.find((a) => a.startsWith("--inclusive"));
if (!file) {
  process.stderr.write("usage: bench/profile-summary.ts <file.cpuprofile> [top]\n");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const short = (url: string) => url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "~/").replace(/^.*\/(dist|src)\//, "$1/");
const grouped = new Map<string, number>();
let total = 0;
let idle = 0;
const area = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id);
  if (!n) continue;
  total += us;
  const { functionName, url, lineNumber } = n.callFrame;
  if (functionName === "(idle)" || functionName === "(program)") idle += functionName === "(idle)" ? us : 0;
  const key = `${functionName || "(anonymous)"} ${url ? `${short(url)}:${lineNumber + 1}` : ""}`;
  grouped.set(key, (grouped.get(key) ?? 0) + us);
  const a = url.includes("/node_modules/") ? (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? "deps") : /\/(dist|src)\//.test(url) ? "custos" : url.startsWith("node:") ? "node" : functionName.startsWith("(") ? functionName : "native/other";
  area.set(a, (area.get(a) ?? 0) + us);
}
const busy = total - idle;
const pct = (us: number) => `${((100 * us) / Math.max(busy, 1)).toFixed(1)}%`;
process.stdout.write(`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled\n\nby area (self time, share of busy):\n`);
for (const [a, us] of [...area].sort((x, y) => y[1] - x[1]).slice(0, 15)) if (a !== "(idle)") process.stdout.write(`  ${pct(us).padStart(6)}  ${a}\n`);
process.stdout.write("\ntop functions by self time:\n");
for (const [k, us] of [...grouped].sort((x, y) => y[1] - x[1]).slice(0, Number(topArg ?? 25))) {
  if (k.startsWith("(idle)")) continue;
  process.stdout.write(`  ${pct(us).padStart(6)}  ${k}\n`);
}

if (inclusiveArg !== undefined) {
  const filter = inclusiveArg.includes("=") ? inclusiveArg.slice(inclusiveArg.indexOf("=") + 1) : "";
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: Node) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url ? `${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ""}`;
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (byId.get(id)?.callFrame.functionName === "(idle)") return;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const k = label(n);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  });
  process.stdout.write("\ntop functions by inclusive time:\n");
  const rows = [...inclusive].filter(([k]) => k.includes(filter) && !k.startsWith("(root)"));
  for (const [k, us] of rows.sort((x, y) => y[1] - x[1]).slice(0, Number(topArg ?? 25))) process.stdout.write(`  ${pct(us).padStart(6)}  ${k}\n`);
}
