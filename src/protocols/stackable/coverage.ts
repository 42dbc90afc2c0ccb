import { listOperations } from "../../core/operations.js";
import { CredentialEvents } from "../../modules/credentials/operations.js";

const NOT_IN_SEED = "The Stackable Customer service (seed 002) has no function for it";
const SIGNED_KEYS = "Stackable authenticates every call with a signed API key; it has no login or session step";

/**
 * Operations no Stackable function binds, with the reason: seed 002's 35 functions are all bound
 * (methods.ts, hosting.ts), so what is left is what the seed has no function for.
 */
export function stackableUnsupported(bound: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const op of listOperations()) if (!bound.has(op.name)) out[op.name] = NOT_IN_SEED;
  for (const step of [CredentialEvents.login, CredentialEvents.logout, CredentialEvents.emailConfirm]) out[step] = SIGNED_KEYS;
  return out;
}
