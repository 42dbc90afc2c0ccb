import type { ErrorCode, FieldIssue } from "../../core/errors.js";
import { z } from "zod";

/** Every catalogue code has exactly one HTTP status; the compiler enforces completeness. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation_failed: 422,
  malformed_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  idempotency_key_reused: 422,
  idempotency_key_in_use: 409,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  invalid_state_transition: 409,
  second_factor_required: 401,
  gone: 410,
  internal: 500,
};

const TITLES: Record<ErrorCode, string> = {
  validation_failed: "Validation failed",
  malformed_request: "Malformed request",
  unsupported_media_type: "Unsupported media type",
  payload_too_large: "Payload too large",
  not_found: "Not found",
  conflict: "Conflict",
  precondition_failed: "Precondition failed",
  idempotency_key_reused: "Idempotency key reused",
  idempotency_key_in_use: "Idempotency key in use",
  unauthenticated: "Unauthenticated",
  forbidden: "Forbidden",
  rate_limited: "Too many requests",
  invalid_state_transition: "Invalid state transition",
  second_factor_required: "Second factor required",
  gone: "Gone",
  internal: "Internal error",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance: string;
  request_id: string;
  errors?: FieldIssue[];
}

export function problem(code: ErrorCode, detail: string, instance: string, requestId: string, issues: FieldIssue[]): Problem {
  const p: Problem = { type: `urn:custos:problem:${code}`, title: TITLES[code], status: HTTP_STATUS[code], detail, code, instance, request_id: requestId };
  if (issues.length > 0) p.errors = issues;
  return p;
}

/** RFC 9457 problem document, for OpenAPI. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe("Stable machine-readable error code"),
    instance: z.string(),
    request_id: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem" });
