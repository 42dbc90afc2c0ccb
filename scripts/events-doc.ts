// Writes docs/events.md from the event catalogue's schemas (npm run docs:events).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderEventCatalogue } from "../src/modules/events/catalogue-doc.js";

const file = join(import.meta.dirname, "../docs/events.md");
writeFileSync(file, renderEventCatalogue());
process.stdout.write(`wrote ${file}\n`);
