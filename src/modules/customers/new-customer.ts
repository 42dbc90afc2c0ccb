import { randomDigits } from "../../core/ids.js";
import { validationFailed } from "../../core/errors.js";
import { FIELD_DEFAULTS } from "./fields.js";
import type { CustomerState } from "./repository.js";
import type { CustomerCreateInput } from "./schema.js";

function asciiInitial(s: string | null | undefined): string {
  const folded = (s ?? "").normalize("NFD").replace(/[^A-Za-z]/g, "");
  return folded.charAt(0).toUpperCase();
}

/** Registrar-style contact handle: initials + 6 digits + '-' + country, e.g. JD123456-NL. */
export function makeHandle(state: Pick<CustomerState, "first_name" | "last_name" | "company" | "country">): string {
  let initials = asciiInitial(state.first_name) + asciiInitial(state.last_name);
  if (initials.length < 2) {
    const c = (state.company ?? "").normalize("NFD").replace(/[^A-Za-z]/g, "").toUpperCase();
    initials = (initials + c).slice(0, 2);
  }
  initials = initials.padEnd(2, "X");
  return `${initials}${randomDigits(6)}-${state.country ?? "XX"}`;
}

export function checkNameRule(state: Pick<CustomerState, "company" | "first_name" | "last_name">): void {
  if (state.company) return;
  const issues = [];
  if (!state.first_name) issues.push({ field: "first_name", code: "required", message: "is required unless company is set" });
  if (!state.last_name) issues.push({ field: "last_name", code: "required", message: "is required unless company is set" });
  if (issues.length > 0) throw validationFailed(issues, "Either company, or both first_name and last_name, is required");
}

/** A new customer's state before its payload: the defaults of fields.ts. */
const EMPTY_STATE = FIELD_DEFAULTS as Omit<CustomerState, "login" | "customer_number" | "email" | "owner_id">;

/** The full state of a new customer from a parsed create payload; login and number stay "" until generated. */
export function newCustomerState(data: CustomerCreateInput, ownerId: number): CustomerState {
  // Object.assign rather than spreads: a bulk import builds a million of these.
  const state = Object.assign({}, EMPTY_STATE, data) as CustomerState;
  state.login = data.login ?? "";
  state.customer_number = data.customer_number ?? "";
  state.owner_id = ownerId;
  state.status = data.status ?? "active";
  return state;
}
