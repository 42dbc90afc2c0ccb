import type { z } from "zod";
import type { Context } from "./context.js";
import { AppError, type ErrorCode } from "./errors.js";
import { authorize, type OperationDef } from "./operations.js";
import { parseOrThrow } from "./validation.js";

/**
 * The command layer: every operation a protocol can reach is defined once, here in shape and in
 * `src/modules/<name>/commands.ts` in substance. A protocol binding decodes its wire form into
 * the command's canonical input, calls the runner once, and encodes the result.
 */

/** Codes any command can raise, so no command has to list them. */
export const COMMON_ERRORS = ["validation_failed", "forbidden", "unauthenticated", "rate_limited", "internal"] as const satisfies readonly ErrorCode[];

export interface CommandCall<I, T> {
  ctx: Context;
  /** The input, already parsed by the command's schema. */
  input: I;
  /** What the command acts on (a customer reference, ...); `undefined` for commands on no object. */
  target: T;
}

/**
 * A step that presents a credential (a login) rather than an operation on an object: there is no
 * principal yet, so nothing is authorized; the credential in the input is the check. It runs
 * outside a command transaction: a refused attempt must stay counted against the lockout budget
 * (a rollback would give every guess back), and the deliberately slow password hash must not hold
 * the database's write lock. Its writes are single statements the credential service makes.
 */
export interface CredentialStep {
  name: string;
  credential: true;
}

export interface CommandDef<D, S extends z.ZodType, T, R, P = undefined> {
  /** Name, permission, principals: the operation registry entry this command runs as (or a credential step). */
  operation: OperationDef | CredentialStep;
  /** The canonical payload schema: validation, static type and OpenAPI from one source. */
  input: S;
  /** Catalogue codes `run` may raise besides COMMON_ERRORS; the runner reports any other to `onUndeclared`. */
  errors: readonly ErrorCode[];
  /**
   * Optional work that must not happen while a transaction holds the database: slow I/O such as
   * resolving a webhook target's address (DNS). It runs after authorization and validation and
   * before the transaction opens; what it returns reaches `run` as `prepared`, so `run` can
   * require proof that the check happened. Nothing it writes is rolled back, so it writes only
   * what must stand whatever `run` does: an attempt spent on a secret it checks (a refusal inside
   * the transaction would give the guess back), a one-time code used up. A dry run runs it too.
   * (Inside an outer unit of work, a REST Idempotency-Key, that unit is already open.)
   */
  prepare?(deps: D, call: CommandCall<z.output<S>, T>): Promise<P>;
  /**
   * The use case, run inside one transaction: every service it calls joins it, so either all
   * of it is written or none. `deps` are the domain services, wired in the composition root.
   */
  run(deps: D, call: PreparedCall<z.output<S>, T, P>): Promise<R>;
}

/** What `run` receives: the call, and the result of `prepare` (undefined for commands without one). */
export type PreparedCall<I, T, P> = CommandCall<I, T> & { prepared: P };

export type Command<D = never, S extends z.ZodType = z.ZodType, T = unknown, R = unknown, P = undefined> = CommandDef<D, S, T, R, P> & { readonly name: string };

// biome-ignore lint/suspicious/noExplicitAny: a command table holds commands of every shape
export type AnyCommand = Command<any, z.ZodType, any, any, any>;

/** Codes each operation's commands declare (several commands may run one operation), for OpenAPI. */
const declared = new Map<string, Set<ErrorCode>>();

export function defineCommand<D, S extends z.ZodType, T = undefined, R = unknown, P = undefined>(def: CommandDef<D, S, T, R, P>): Command<D, S, T, R, P> {
  const codes = declared.get(def.operation.name) ?? new Set<ErrorCode>();
  for (const code of def.errors) codes.add(code);
  declared.set(def.operation.name, codes);
  return { ...def, name: def.operation.name };
}

/**
 * Every code a command running `operation` may raise (COMMON_ERRORS included), or undefined when
 * no command runs it (a protocol step that calls a service itself).
 */
export function declaredErrors(operation: string): ErrorCode[] | undefined {
  const codes = declared.get(operation);
  return codes ? [...new Set<ErrorCode>([...COMMON_ERRORS, ...codes])] : undefined;
}

/** What happens when a command raises a code it did not declare. */
export type UndeclaredPolicy = "fail" | "log";

/**
 * The runner's `onUndeclared` hook. "fail" (tests, development) turns the error into a loud
 * internal error naming the command and the code, so a missing declaration cannot go unnoticed;
 * "log" (production) reports it and lets the error through to the protocol's error table.
 */
export function undeclaredErrorHook(policy: UndeclaredPolicy, log: (message: string) => void): (command: string, code: ErrorCode) => void {
  return (command, code) => {
    const message = `command ${command} raised "${code}", which it does not declare in its errors`;
    if (policy === "fail") throw new Error(message);
    log(message);
  };
}

/** How the runner opens a transaction; storage implements it (core does no I/O). */
export interface Transactor {
  transaction<R>(fn: () => Promise<R>, options?: { rollback?: boolean; savepoint?: boolean }): Promise<R>;
}

export interface ExecuteOptions {
  /** Run everything, then roll the transaction back: the result says what would have happened. */
  dryRun?: boolean;
}

/**
 * Runs commands: authorize, validate, prepare (outside any transaction), then `run` in one
 * transaction (rolled back for a dry run). The services
 * each command receives are the ones given here, so every protocol runs the same use case.
 */
export class CommandRunner<D> {
  constructor(
    private readonly tx: Transactor,
    private readonly deps: D,
    /** Told about an error a command raised without declaring it (tests fail on it). */
    private readonly onUndeclared?: (command: string, code: ErrorCode) => void,
  ) {}

  async execute<S extends z.ZodType, T, R, P>(command: Command<D, S, T, R, P>, ctx: Context, input: unknown, target: T, options: ExecuteOptions = {}): Promise<R> {
    try {
      const op = command.operation;
      if ("credential" in op) {
        if (options.dryRun) throw new AppError("validation_failed", `${command.name} has no dry run`);
        const call = { ctx, input: parseOrThrow(command.input, input) as z.output<S>, target };
        return await command.run(this.deps, { ...call, prepared: await this.prepare(command, call) });
      }
      authorize(ctx, op);
      const call = { ctx, input: parseOrThrow(command.input, input) as z.output<S>, target };
      const prepared = await this.prepare(command, call);
      // A read needs no BEGIN/COMMIT of its own (the services it calls open one if they write).
      if (!op.mutates && options.dryRun !== true) return await command.run(this.deps, { ...call, prepared });
      // Inside an outer unit (an Idempotency-Key) no savepoint: a failed command fails the unit.
      return await this.tx.transaction(() => command.run(this.deps, { ...call, prepared }), { rollback: options.dryRun === true, savepoint: false });
    } catch (error) {
      if (error instanceof AppError && this.onUndeclared && !declares(command, error.code)) this.onUndeclared(command.name, error.code);
      throw error;
    }
  }

  private prepare<S extends z.ZodType, T, R, P>(command: Command<D, S, T, R, P>, call: CommandCall<z.output<S>, T>): Promise<P> {
    return command.prepare ? command.prepare(this.deps, call) : Promise.resolve(undefined as P);
  }
}

function declares(command: AnyCommand, code: ErrorCode): boolean {
  return (COMMON_ERRORS as readonly ErrorCode[]).includes(code) || command.errors.includes(code);
}
