import { defineErrorTable } from "../kit/errors.js";

/**
 * How each catalogue code reads on Stackable's transports. The JSON proxy answers
 * `{"error":{"type","message","fields"}}` with `status`; Thrift answers the function's declared
 * `InvalidArguments` (its `code` field carries the catalogue code) unless `thrift` says
 * TApplicationException: a failed authentication and an internal error are not the caller's
 * arguments (protocols.md §3, decision 1).
 */
export interface StackableError {
  status: number;
  type: "InvalidArguments" | "Unauthorized" | "Forbidden" | "NotFound" | "Conflict" | "TooManyRequests" | "InternalError";
  thrift: "InvalidArguments" | "TApplicationException";
}

const args = (status: number, type: StackableError["type"] = "InvalidArguments"): StackableError => ({ status, type, thrift: "InvalidArguments" });

export const STACKABLE_ERRORS = defineErrorTable<StackableError>({
  validation_failed: args(400),
  malformed_request: args(400),
  unsupported_media_type: args(415),
  payload_too_large: args(413),
  not_found: args(404, "NotFound"),
  conflict: args(409, "Conflict"),
  precondition_failed: args(412),
  idempotency_key_reused: args(422),
  idempotency_key_in_use: args(409, "Conflict"),
  unauthenticated: { status: 401, type: "Unauthorized", thrift: "TApplicationException" },
  forbidden: args(403, "Forbidden"),
  rate_limited: args(429, "TooManyRequests"),
  invalid_state_transition: args(409, "Conflict"),
  second_factor_required: { status: 401, type: "Unauthorized", thrift: "TApplicationException" },
  gone: args(410, "NotFound"),
  internal: { status: 500, type: "InternalError", thrift: "TApplicationException" },
});
