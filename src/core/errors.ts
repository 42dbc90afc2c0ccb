/**
 * The closed catalogue of error codes. Every protocol maps each code exhaustively to its own
 * form (an HTTP status and problem+json, an EPP result code, a fault, ...). Add a code here and the
 * compiler points at every mapping that must learn it.
 */
export const ERROR_CODES = [
  "validation_failed",
  "malformed_request",
  "unsupported_media_type",
  "payload_too_large",
  "not_found",
  "conflict",
  "precondition_failed",
  "idempotency_key_reused",
  "idempotency_key_in_use",
  "unauthenticated",
  "forbidden",
  "rate_limited",
  "invalid_state_transition",
  "second_factor_required",
  "gone",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One thing wrong with one field of the input. `field` is a dotted path ("address.country"). */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

export interface AppErrorOptions {
  issues?: FieldIssue[];
  /** Seconds a client should wait (rate limiting, lockout). */
  retryAfter?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.issues = options.issues ?? [];
    this.retryAfter = options.retryAfter;
  }
}

export const notFound = (what: string): AppError => new AppError("not_found", `${what} not found`);

export const validationFailed = (issues: FieldIssue[], message?: string): AppError =>
  new AppError(
    "validation_failed",
    message ?? (issues.length === 1 && issues[0] ? `${issues[0].field}: ${issues[0].message}` : "The request has invalid fields"),
    { issues },
  );

export const conflict = (field: string, message: string): AppError =>
  new AppError("conflict", message, { issues: [{ field, code: "already_exists", message }] });
