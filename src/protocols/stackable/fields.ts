import type { CustomerRoleView } from "../../modules/access/schema.js";
import type { ApiKeyView, AclEntryView, IssuedApiKey } from "../../modules/auth/schema.js";
import { defineFields, wire } from "../kit/fields.js";

/**
 * Wire names are the IDL's argument names (customer.thrift), the same on the JSON proxy and on
 * Thrift. `id` arguments name the object a function acts on (`target`), not input fields.
 */

const targetId = { to: "target", type: wire.int };

export const CUSTOMER_ONLY = defineFields({ id: targetId });
export const CANCELLATION = defineFields({ id: targetId, reason: { to: "reason", type: wire.string } });
export const CREATE_KEY = defineFields({ id: targetId, type: { to: "type", type: wire.string } });
export const KEY_ONLY = defineFields({ id: targetId });
export const CREATE_ACL = defineFields({ id: targetId, address: { to: "address", type: wire.string }, cidr: { to: "prefix_length", type: wire.int } });
export const UPDATE_ACL = defineFields({ id: targetId, address: { to: "address", type: wire.string }, cidr: { to: "prefix_length", type: wire.int } });
export const PASSWORD = defineFields({ id: targetId, password: { to: "password", type: wire.string } });
export const PIN = defineFields({ id: targetId, pin: { to: "pin", type: wire.text } });
export const EMAIL = defineFields({ id: targetId, email: { to: "email", type: wire.string } });

const unix = (iso: string | null): number | undefined => (iso === null ? undefined : Math.floor(Date.parse(iso) / 1000));

/** APIKey struct; `key` and `signingSecret` only when just issued. */
export function apiKey(k: ApiKeyView | IssuedApiKey): Record<string, unknown> {
  const out: Record<string, unknown> = { id: k.id, prefix: k.prefix, type: k.type, name: k.name, roles: k.roles, created: unix(k.created_at) };
  const revoked = unix(k.revoked_at);
  if (revoked !== undefined) out.revoked = revoked;
  if ("secret" in k) out.key = k.secret;
  if ("signing_secret" in k && k.signing_secret !== undefined) out.signingSecret = k.signing_secret;
  return out;
}

/** APIKeyACL struct: the range split into address and prefix length. */
export function apiKeyAcl(e: AclEntryView): Record<string, unknown> {
  const [address = "", prefix = "0"] = e.address.split("/");
  return { id: e.id, keyId: e.key_id, address, cidr: Number(prefix) };
}

export const role = (r: CustomerRoleView): Record<string, unknown> => ({ name: r.name, description: r.description, permissions: r.permissions });
