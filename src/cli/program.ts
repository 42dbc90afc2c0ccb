import { checkpointVerifier } from "../modules/audit/checkpoints.js";
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

  const audit = program.command("audit").description("the audit log");
  audit
    .command("verify")
    .description("recompute the audit hash chain and its signed checkpoints; report the first broken entry and entries not sealed yet")
    .option("--public-key <base64url>", "check checkpoint signatures with this Ed25519 public key (as exported) instead of the configured one")
    .action(async (opts: { publicKey?: string }) => {
      await withRuntime(async ({ app }) => {
        const r = await app.services.auditReader.verifyChain(opts.publicKey ? checkpointVerifier(opts.publicKey) : undefined);
        const extra = `; ${r.checkpoints} checkpoints (${r.signedCheckpoints} signatures verified); ${r.unsealed} unsealed${r.oldestUnsealedAt ? ` since ${r.oldestUnsealedAt}` : ""}`;
        io.out(r.ok ? `audit chain intact: ${r.entries} entries${extra}\n` : `audit chain BROKEN at entry ${r.brokenAt ?? "(end)"}: ${r.reason}${extra}\n`);
        setExit(r.ok ? 0 : 1);
      });
    });
  audit
    .command("checkpoints")
    .description("export the signed checkpoints of the audit chain (JSON lines) to keep outside the database")
    .action(async () => {
      await withRuntime(async ({ app }) => {
        for (const c of await app.services.auditReader.checkpoints()) io.out(`${JSON.stringify({ object: "audit_checkpoint", ...c })}\n`);
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

