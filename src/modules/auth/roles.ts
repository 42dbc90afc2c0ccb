/**
 * Built-in roles: named sets of permissions over the operation registry.
 * A key carries roles; its permissions are their union. `*` grants everything, `x.*` a family.
 */
export const ROLES: Record<string, { description: string; permissions: readonly string[] }> = {
  owner: { description: "Everything the principal may do", permissions: ["*"] },
  billing: { description: "Read customers and edit their billing data", permissions: ["customer.read", "customer.write", "role.read", "hosting.read", "package.read"] },
  technical: { description: "Read customers, manage API keys, hosting objects and webhooks, read events", permissions: ["customer.read", "apikey.*", "role.read", "hosting.*", "webhook.*", "event.read", "package.read"] },
  "read-only": { description: "Read, never write", permissions: ["customer.read", "apikey.read", "audit.read", "account.read", "role.read", "hosting.read", "event.read", "webhook.read", "package.read"] },
};

export function permissionsOf(roles: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const r of roles) for (const p of ROLES[r]?.permissions ?? []) out.add(p);
  return out;
}

export const ROLE_NAMES = Object.keys(ROLES);

/** Permissions named by `roles` that `holder` does not itself hold: a key never grants more than its creator has. */
export function permissionsBeyond(holder: ReadonlySet<string>, roles: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of permissionsOf(roles)) {
    if (holder.has("*")) continue;
    if (p === "*" || (!holder.has(p) && !holder.has(`${p.split(".")[0]}.*`))) out.push(p);
  }
  return out;
}
