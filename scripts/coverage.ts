// Writes docs/coverage.md: every operation x every protocol (npm run docs:coverage).
import { writeFileSync } from "node:fs";
import { renderCoverage } from "../src/protocols/coverage.js";

writeFileSync(new URL("../docs/coverage.md", import.meta.url), renderCoverage());
process.stdout.write("docs/coverage.md written\n");
