/**
 * Built-in roles: named sets of permissions over the operation registry (Stackable listRoles).
 * A key carries roles; its permissions are their union. `*` grants everything, `x.*` a family.
 */
export const ROLES: Record<string, { description: string; permissions: readonly string[] }> = {
  owner: { description: "Everything the principal may do", permissions: ["*"] },
  billing: { description: "Read customers and edit their billing data", permissions: ["customer.read", "customer.write"] },
  technical: { description: "Read customers and manage API keys", permissions: ["customer.read", "apikey.*"] },
  "read-only": { description: "Read, never write", permissions: ["customer.read", "apikey.read", "audit.read"] },
};

export function permissionsOf(roles: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const r of roles) for (const p of ROLES[r]?.permissions ?? []) out.add(p);
  return out;
}
