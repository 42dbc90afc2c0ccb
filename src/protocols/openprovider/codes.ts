import { defineErrorTable } from "../kit/errors.js";

/** An Openprovider error: HTTP status, result code, and the `desc` when the error's own message is not used. */
export interface OpError {
  status: number;
  code: number;
  /** Fixed text Openprovider clients know; without it the catalogue error's message is the desc. */
  desc?: string;
}

export const AUTH_FAILED: OpError = { status: 401, code: 196, desc: "Authentication/Authorization Failed" };
export const ACCESS_DENIED: OpError = { status: 401, code: 10005, desc: "Access denied." };

/**
 * Every catalogue code in Openprovider's words. 196 and 10005 are Openprovider's own; the other
 * codes were not observed on the wire and are Custos's picks in the 1xx (customer) range,
 * listed in this adapter's README. The compiler keeps the table complete.
 */
export const OP_ERRORS = defineErrorTable<OpError>({
  validation_failed: { status: 400, code: 100 },
  malformed_request: { status: 400, code: 100 },
  unsupported_media_type: { status: 415, code: 100, desc: "Send the body as application/json" },
  payload_too_large: { status: 413, code: 100, desc: "The request body is too large" },
  not_found: { status: 404, code: 101, desc: "Customer not found" },
  gone: { status: 404, code: 101, desc: "Customer not found" },
  conflict: { status: 409, code: 102 },
  precondition_failed: { status: 409, code: 102 },
  idempotency_key_reused: { status: 409, code: 102, desc: "The idempotency key was used with another request" },
  idempotency_key_in_use: { status: 409, code: 102, desc: "A request with this idempotency key is still running" },
  invalid_state_transition: { status: 409, code: 103 },
  unauthenticated: AUTH_FAILED,
  second_factor_required: { status: 401, code: 196, desc: "Authentication/Authorization Failed: send otp" },
  forbidden: { status: 403, code: 10005, desc: "Access denied." },
  rate_limited: { status: 429, code: 104, desc: "Too many requests; retry later" },
  internal: { status: 500, code: 1, desc: "Internal error; the X-Request-Id identifies it" },
});

/** A real client parses only the first 120 bytes of an error body: every error body fits. */
export const ERROR_BODY_MAX = 120;

/** `{"desc":"…","code":N}` (desc first, no data), `desc` shortened until the body fits. */
export function errorBody(code: number, desc: string): string {
  let d = desc;
  let body = JSON.stringify({ desc: d, code });
  while (Buffer.byteLength(body) > ERROR_BODY_MAX && d.length > 0) {
    d = `${[...d].slice(0, -2).join("").trimEnd()}…`;
    body = JSON.stringify({ desc: d, code });
  }
  return body;
}
