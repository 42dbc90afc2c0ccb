import type { FieldIssue } from "../../core/errors.js";
import { defineErrorTable } from "../kit/errors.js";

/**
 * Every catalogue code in Everlytic's words: the REST status, which is also the XML-RPC
 * faultCode (XML-RPC errors are HTTP 200 + <fault>; protocols.md §5, decision 1). Everlytic
 * documents only "4xx with {error: {message}}" and 404 for a missing object; the rest follows HTTP.
 */
export const EVERLYTIC_ERRORS = defineErrorTable<number>({
  validation_failed: 400,
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
});

/** An XML-RPC method no table entry answers: a 404 fault, as a missing REST resource. */
export const UNKNOWN_METHOD = 404;

/** The one-line message Everlytic clients show (`error.message`, faultString): each field issue named. */
export function errorMessage(message: string, issues: FieldIssue[]): string {
  if (issues.length === 0) return message;
  return issues.map((i) => `${i.field}: ${i.message}`).join("; ");
}
