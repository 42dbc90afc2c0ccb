import { Command, CommanderError } from "commander";
import { VERSION } from "../app.js";
import { keysCommand, resellersCommand } from "./accounts.js";
import { bulkCommands } from "./bulk.js";
import { customersCommand } from "./customers.js";
import { describeError, io, type OutputFormat, withRuntime } from "./runtime.js";

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
        io.out(`${app.storage.describe()}: schema is up to date\n`);
      });
    });

  program
    .command("health")
    .description("check that the database answers")
    .action(async () => {
      await withRuntime(async ({ app }) => {
        const h = await app.services.system.health();
        io.out(`${JSON.stringify(h)}\n`);
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
        io.out(r.ok ? `audit chain intact: ${r.entries} entries\n` : `audit chain BROKEN at entry ${r.brokenAt ?? "(end)"}: ${r.reason}\n`);
        setExit(r.ok ? 0 : 1);
      });
    });

  customersCommand(program, format);
  keysCommand(program, format);
  resellersCommand(program, format);
  bulkCommands(program, setExit);
  return program;
}

/** Runs one command line; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
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
    io.err(describeError(error));
    return 1;
  }
}

