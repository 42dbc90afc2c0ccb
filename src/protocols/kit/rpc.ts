import { AppError, type FieldIssue, validationFailed } from "../../core/errors.js";
import { assertSafeText } from "../../core/validation.js";

/**
 * RPC method tables. Each wire method names the operation it runs and is three small steps:
 * decode the wire parameters into the command's canonical input, run ONE command (or one session
 * function), encode the result. The dispatcher finds the method, runs the steps, and renames
 * field issues raised anywhere below into the protocol's own parameter names.
 */

export interface RpcMethod<C, I = unknown, R = unknown> {
  /** The operation (registry name) the method runs; the coverage matrix reads it. */
  operation: string;
  /** Wire parameters -> canonical input. Throws validation_failed naming wire parameters. */
  decode(params: Record<string, unknown>, call: C): I;
  /** Runs one command with the decoded input. */
  run(input: I, call: C): Promise<R>;
  /** Result -> the protocol's answer payload. */
  encode(result: R, call: C): Record<string, unknown>;
  /** Renames canonical field names in issues raised by `run` (a field map's `issueRenamer`). */
  renameIssues?: (issues: FieldIssue[]) => FieldIssue[];
}

/** Keeps each method's input/result types while the table holds methods of every shape. */
export function method<C, I, R>(def: RpcMethod<C, I, R>): RpcMethod<C, I, R> {
  return def;
}

// biome-ignore lint/suspicious/noExplicitAny: a method table holds methods of every shape
export type MethodTable<C> = Readonly<Record<string, RpcMethod<C, any, any>>>;

/** A wire method no table entry answers; each protocol renders it in its own words. */
export class UnknownMethod extends Error {
  constructor(readonly method: string) {
    super(`Unknown command ${method.slice(0, 100)}`);
  }
}

export interface DispatcherOptions {
  /** Method names compared case-insensitively (INWX). The table's keys are then lower case. */
  caseInsensitive?: boolean;
}

export type Dispatch<C> = (method: unknown, params: Record<string, unknown>, call: C) => Promise<Record<string, unknown>>;

export function createDispatcher<C>(table: MethodTable<C>, options: DispatcherOptions = {}): Dispatch<C> {
  return async (name, params, call) => {
    if (typeof name !== "string" || name === "") throw validationFailed([{ field: "method", code: "required", message: "The following parameter is missing: method" }]);
    const key = options.caseInsensitive ? name.toLowerCase() : name;
    const m = Object.hasOwn(table, key) ? table[key] : undefined;
    if (!m) throw new UnknownMethod(name);
    // NUL, unpaired surrogates and absurd nesting never reach a method, on any RPC protocol.
    assertSafeText(params);
    const input = m.decode(params, call);
    let result: unknown;
    try {
      result = await m.run(input, call);
    } catch (error) {
      if (m.renameIssues && error instanceof AppError && error.issues.length > 0) {
        throw new AppError(error.code, error.message, { issues: m.renameIssues(error.issues), cause: error, ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}) });
      }
      throw error;
    }
    return m.encode(result, call);
  };
}

/** Refuses parameters a method does not take (for methods without a field map). */
export function onlyParams(params: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw validationFailed(unknown.map((field) => ({ field, code: "not_allowed", message: `Unknown parameter ${field}` })));
}

/** A required parameter given as text (numbers are taken as their text). */
export function requiredText(params: Record<string, unknown>, name: string): string {
  const v = params[name];
  if (v === undefined || v === null || v === "") throw validationFailed([{ field: name, code: "required", message: `The following parameter is missing: ${name}` }]);
  if (typeof v !== "string" && typeof v !== "number") throw validationFailed([{ field: name, code: "invalid_type", message: "must be a string" }]);
  return String(v);
}
