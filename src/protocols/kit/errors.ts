import { AppError, type ErrorCode } from "../../core/errors.js";

/**
 * One table per protocol from every catalogue code to that protocol's error form (a result code,
 * a status, a fault). The mapped type makes it exhaustive: a new code in src/core/errors.ts does
 * not compile until every protocol's table says how it reads.
 */
export type ErrorTable<W> = { readonly [C in ErrorCode]: W };

export function defineErrorTable<W>(table: ErrorTable<W>): ErrorTable<W> {
  return table;
}

/**
 * An answer that only the protocol's own vocabulary expresses (INWX 2000 unknown command, 2002
 * not logged in). `detail` is the protocol's code; `reasonCode` and `reason` the explanation.
 */
export class WireError<W> extends Error {
  constructor(
    readonly detail: W,
    readonly reasonCode: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Errors raised before a method runs (body parser, size limit) onto the catalogue: an oversize
 * body is payload_too_large, any other client-side failure malformed_request, the rest internal.
 */
export function frameworkError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (status === 413) return new AppError("payload_too_large", "The request body is too large", { cause: error });
  if (typeof status === "number" && status < 500) return new AppError("malformed_request", (error as Error).message, { cause: error });
  return new AppError("internal", "Internal error; the request id identifies it in our logs", { cause: error });
}
