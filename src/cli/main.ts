#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { VERSION } from "../app.js";
import { keysCommand, resellersCommand } from "./accounts.js";
import { bulkCommands } from "./bulk.js";
import { customersCommand } from "./customers.js";
import { describeError, type OutputFormat, withRuntime } from "./runtime.js";

/**
 * The command-line entry: it composes the same services as the server and calls them as an
 * operator. Every command is a thin decoding of arguments into one service call.
 */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("custos")
    .description("Custos customer-account service: administration and bulk work")
    .version(VERSION)
    .option("--json", "print JSON instead of tables")
    .showHelpAfterError()
    .exitOverride();
  const format = (): OutputFormat => (program.opts<{ json?: boolean }>().json ? "json" : "table");

  program
    .command("migrate")
    .description("apply pending database migrations and exit")
    .action(async () => {
      await withRuntime(async ({ app }) => {
        process.stdout.write(`${app.storage.describe()}: schema is up to date\n`);
      });
    });

  program
    .command("health")
    .description("check that the database answers")
    .action(async () => {
      await withRuntime(async ({ app }) => {
        const h = await app.services.system.health();
        process.stdout.write(`${JSON.stringify(h)}\n`);
        setExit(h.ok ? 0 : 1);
      });
    });

  program
    .command("audit")
    .description("the audit log")
    .command("verify")
    .description("recompute the audit hash chain and report the first broken entry")
    .action(async () => {
      await withRuntime(async ({ app }) => {
        const r = await app.services.audit.verify(app.storage.db);
        process.stdout.write(r.ok ? `audit chain intact: ${r.entries} entries\n` : `audit chain BROKEN at entry ${r.brokenAt ?? "(end)"}: ${r.reason}\n`);
        setExit(r.ok ? 0 : 1);
      });
    });

  customersCommand(program, format);
  keysCommand(program, format);
  resellersCommand(program, format);
  bulkCommands(program, setExit);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(describeError(error));
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(describeError(error));
    process.exit(1);
  },
);
