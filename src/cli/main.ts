#!/usr/bin/env node
import { createApp } from "../app.js";
import { loadConfig } from "../config.js";

const USAGE = `usage: custos <command>

commands:
  migrate         apply pending database migrations and exit
  health          check that the database answers
  audit verify    recompute the audit hash chain and report the first broken entry
`;

/** The command-line entry: it composes the same services as the server and calls them. */
async function main(argv: string[]): Promise<number> {
  const [cmd, sub] = argv;
  if (cmd === undefined || cmd === "help" || cmd === "--help") {
    process.stdout.write(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  const config = { ...loadConfig(), logLevel: "silent" };
  const app = await createApp(config);
  try {
    switch (`${cmd}${sub ? ` ${sub}` : ""}`) {
      case "migrate":
        process.stdout.write(`${app.storage.describe()}: schema is up to date\n`);
        return 0;
      case "health": {
        const h = await app.services.system.health();
        process.stdout.write(`${JSON.stringify(h)}\n`);
        return h.ok ? 0 : 1;
      }
      case "audit verify": {
        const r = await app.services.audit.verify(app.storage.db);
        process.stdout.write(r.ok ? `audit chain intact: ${r.entries} entries\n` : `audit chain BROKEN at entry ${r.brokenAt ?? "(end)"}: ${r.reason}\n`);
        return r.ok ? 0 : 1;
      }
      default:
        process.stderr.write(`unknown command: ${argv.join(" ")}\n${USAGE}`);
        return 2;
    }
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`custos: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
