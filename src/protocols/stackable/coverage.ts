import { listOperations } from "../../core/operations.js";
import { CredentialEvents } from "../../modules/credentials/operations.js";

const CREDENTIAL_STEPS_STACKABLE = [CredentialEvents.login, CredentialEvents.logout, CredentialEvents.emailConfirm];

/**
 * Operations the Stackable Customer service does not answer, with the reason. Seed 002 has 35
 * functions; those for hosting objects (settings, IP addresses, FTP users, CP_Wizard sites,
 * bandwidth, notices, contacts) are in customer.thrift already and answer once their commands
 * land (issue 14); until then they are listed here under their operation names.
 */
const PENDING_HOSTING =
  "In customer.thrift (seed 002) but not bound yet: it waits for the hosting commands of issue 14; until then the Processor answers TApplicationException and the JSON proxy UnknownFunction";

/** Hosting operations of issue 14 that Stackable functions will bind to, by operation name. */
const HOSTING_OPERATIONS = new Set([
  "setting.set",
  "setting.list",
  "ip_address.add",
  "ip_address.list",
  "ip_address.free",
  "ftp_user.create",
  "ftp_user.list",
  "ftp_user.update",
  "ftp_user.delete",
  "site.wizard",
  "bandwidth.billable",
  "notice.list",
  "notice.acknowledge",
  "contact.create",
  "contact.delete",
  "contact.list",
  "contact_method.create",
  "contact_method.delete",
  "contact_method_notice.create",
  "contact_method_notice.delete",
  "contact_notice_type.list",
  "contact_method_type.list",
]);

const NOT_IN_SEED = "The Stackable Customer service (seed 002) has no function for it";
const SIGNED_KEYS = "Stackable authenticates every call with a signed API key; it has no login or session step";

/** Every operation no Stackable function binds (`bound` are the operations the method table names). */
export function stackableUnsupported(bound: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const op of listOperations()) {
    if (bound.has(op.name)) continue;
    out[op.name] = HOSTING_OPERATIONS.has(op.name) ? PENDING_HOSTING : NOT_IN_SEED;
  }
  for (const step of CREDENTIAL_STEPS_STACKABLE) out[step] = SIGNED_KEYS;
  return out;
}
