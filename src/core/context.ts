/**
 * Who is acting. Every operation runs with a principal, whatever protocol it came in on.
 * - operator: platform admin, sees everything;
 * - reseller: owns customers, sees only its own;
 * - customer: self-service, sees only itself.
 */
export type PrincipalKind = "operator" | "reseller" | "customer";

export interface Principal {
  kind: PrincipalKind;
  /** accounts.id for operators and resellers, customers.id for customers. */
  id: number;
  /** The API key that authenticated the request, when one did. */
  keyId: number | null;
  /** The session that authenticated the request, when one did. */
  sessionId: string | null;
  roles: readonly string[];
  permissions: ReadonlySet<string>;
}

/** Per-call context handed from a protocol adapter to a domain service. */
export interface Context {
  principal: Principal;
  requestId: string;
  clientIp: string | null;
  /** Protocol the call came in on; recorded in audit entries. */
  protocol: string;
}

/** Internal jobs and the CLI act as the platform itself. */
export function systemContext(protocol = "system"): Context {
  return {
    principal: {
      kind: "operator",
      id: 0,
      keyId: null,
      sessionId: null,
      roles: ["system"],
      permissions: new Set(["*"]),
    },
    requestId: `sys_${Date.now().toString(36)}`,
    clientIp: null,
    protocol,
  };
}

/** A caller that has shown no credential (routes whose token is in the URL, logins): it may do nothing. */
export function anonymousContext(meta: { requestId: string; clientIp: string | null; protocol: string }): Context {
  return {
    principal: { kind: "customer", id: 0, keyId: null, sessionId: null, roles: [], permissions: new Set() },
    requestId: meta.requestId,
    clientIp: meta.clientIp,
    protocol: meta.protocol,
  };
}
