import type { AppError, FieldIssue } from "../../core/errors.js";
import { defineErrorTable } from "../kit/errors.js";
import { fieldLabel, wireName } from "./fields.js";

/**
 * Every catalogue code -> Froxlor's answer: the HTTP status and `{"message": ...}`. Texts are
 * Froxlor's own where Froxlor has one (clients print them). Field issues are worded by
 * `issueText` below, which knows the parameter's value the client sent.
 */
export interface FroxlorAnswer {
  status: number;
  message: string;
}

/** What a message may quote: the parameters of the call and how the customer was looked up. */
export interface ErrorScene {
  params: Record<string, unknown>;
  /** "Customers:get"-style name for missing/empty parameter texts. */
  command: string;
  /** The key a customer was looked up by, for "could not be found" texts. */
  lookup?: { by: "id" | "loginname"; value: string };
  /** The caller is a customer (its own key): a missing other customer reads as foreign. */
  selfKey: boolean;
  /** The object family a not_found is about. */
  object?: "customer" | "plan" | "admin";
}

type Render = (e: AppError, scene: ErrorScene) => FroxlorAnswer;

const fixed =
  (status: number, message: string): Render =>
  () => ({ status, message });

function notFoundText(e: AppError, s: ErrorScene): FroxlorAnswer {
  if (s.object === "admin") return { status: 404, message: `Admin with id #${String(s.params.adminid ?? s.params.move_to_admin ?? "")} could not be found` };
  if (s.object === "plan") {
    const by = s.params.id !== undefined && Number(s.params.id) > 0 ? `id #${String(s.params.id)}` : `name '${String(s.params.planname ?? "")}'`;
    return { status: 404, message: `Hosting plan with ${by} could not be found` };
  }
  if (s.selfKey) return { status: 401, message: "You cannot access data of other customers" };
  if (s.lookup?.by === "id") return { status: 404, message: `Customer with id #${s.lookup.value} could not be found` };
  if (s.lookup?.by === "loginname") return { status: 404, message: `Customer with loginname '${s.lookup.value}' could not be found` };
  return { status: 404, message: e.message };
}

const text = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

/** One field issue in Froxlor's words. */
export function issueText(issue: FieldIssue, scene: ErrorScene): FroxlorAnswer {
  const wire = wireName(issue.field);
  const value = text(scene.params[wire]);
  if (issue.code === "exceeds_budget") {
    return wire === "customers" ? { status: 406, message: "No more resources available" } : { status: 400, message: "You cannot allocate more resources than you own for yourself." };
  }
  switch (wire) {
    case "email":
      if (issue.code === "required") return { status: 400, message: "Missing Input in Field Email" };
      if (issue.code === "already_exists") return { status: 400, message: `Email-address ${value} already in use.` };
      return { status: 400, message: `Email-address ${value} contains invalid characters or is incomplete` };
    case "new_loginname":
      if (issue.code === "already_exists") return { status: 400, message: `Loginname ${value} already exists` };
      if (issue.code === "out_of_range" && value.length > 42) return { status: 400, message: "Loginname contains too many characters. Only 42 characters are allowed." };
      // Froxlor has no minimum; Custos's login names have 5 characters at least (docs/fields.md).
      if (issue.code === "out_of_range") return { status: 400, message: `Loginname "${value}" is too short. Please use at least 5 characters.` };
      return { status: 400, message: `Loginname "${value}" contains illegal characters.` };
    case "new_customer_password":
      if (issue.code === "out_of_range" && /at least/.test(issue.message)) return { status: 400, message: `The given password is too short. Please enter at least ${/\d+/.exec(issue.message)?.[0] ?? "10"} characters.` };
      return { status: 400, message: "The specified password-complexity was not satisfied." };
    case "hosting_plan_id":
      return { status: 404, message: `Hosting plan with id #${value} could not be found` };
    case "adminid":
      return { status: 404, message: `Admin with id #${text(scene.params.adminid ?? scene.params.move_to_admin)} could not be found` };
  }
  if (issue.code === "required" && (wire === "name" || wire === "firstname" || wire === "company")) {
    return { status: 400, message: `Missing Input in Field ${wire === "firstname" ? "First name" : wire === "name" ? "Name" : "Company"}` };
  }
  if (issue.code === "already_exists") return { status: 400, message: `The value for the field "${fieldLabel(wire)}" is already in use.` };
  return { status: 400, message: `The value for the field "${fieldLabel(wire)}" is not in the expected format.` };
}

const byIssue: Render = (e, s) => {
  const first = e.issues[0];
  return first ? issueText(first, s) : { status: 400, message: e.message };
};

export const FROXLOR_ERRORS = defineErrorTable<Render>({
  validation_failed: byIssue,
  malformed_request: fixed(400, "Invalid JSON Format."),
  unsupported_media_type: fixed(400, "Invalid JSON Format."),
  payload_too_large: fixed(413, "The request body is too large."),
  not_found: notFoundText,
  conflict: byIssue,
  precondition_failed: fixed(409, "The record was changed concurrently; read it again and retry."),
  idempotency_key_reused: fixed(400, "Idempotency keys are not used by this API."),
  idempotency_key_in_use: fixed(409, "Idempotency keys are not used by this API."),
  // Any credential problem after the first check reads the same (protocols.md §2, checks 2).
  unauthenticated: fixed(403, "Invalid authorization credentials"),
  forbidden: fixed(403, "Not allowed to execute given command."),
  rate_limited: (e) => ({ status: 429, message: e.message }),
  invalid_state_transition: (e) => {
    if (e.issues[0]?.field === "owner_id") return { status: 406, message: "Cannot move customer to the same admin/reseller as he currently is assigned to" };
    return { status: 406, message: e.message };
  },
  second_factor_required: fixed(403, "Invalid authorization credentials"),
  gone: fixed(404, "The requested object is gone."),
  internal: fixed(500, "Internal error"),
});

export function froxlorAnswer(e: AppError, scene: ErrorScene): FroxlorAnswer {
  return FROXLOR_ERRORS[e.code](e, scene);
}
