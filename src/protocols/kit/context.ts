import type { FastifyRequest } from "fastify";

/**
 * Request context every protocol needs, built one way: who is calling from where, under which
 * request id, on which protocol (audit entries and logs carry it), and the credential it sent.
 */
export interface RequestMeta {
  clientIp: string | null;
  requestId: string;
  protocol: string;
}

/**
 * What a protocol that opens customer login sessions declares about them. `apiAccess`: a program
 * drives these sessions, not a person, so the customer's api_allowed switch refuses them like API
 * keys; false for a protocol whose sessions are the customer's own sign-in, which stays allowed so
 * it can still manage its account. The composition root hands the declarations to the credential
 * rules (`apiSessionProtocols` in src/protocols/http.ts), so the domain names no protocol.
 */
export interface SessionProtocol {
  name: string;
  apiAccess: boolean;
}

export function requestMeta(request: FastifyRequest, protocol: string): RequestMeta {
  // Metrics label the request with the protocol that answered it.
  request.custosProtocol = protocol;
  return { clientIp: request.ip, requestId: String(request.id), protocol };
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}

/**
 * One cookie's value. Lenient on purpose: RPC clients send `Cookie: null` before login and echo a
 * raw Set-Cookie value with its attributes, so only the `name=` pair counts; empty, "null" and
 * oversize values read as absent.
 */
export function cookieValue(header: string | string[] | undefined, name: string, maxLength = 512): string | undefined {
  const raw = Array.isArray(header) ? header.join(";") : (header ?? "");
  for (const part of raw.split(/[;,]/)) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      const value = rest.join("=").trim();
      if (value !== "" && value !== "null" && value.length <= maxLength) return value;
    }
  }
  return undefined;
}

/** A session cookie's Set-Cookie value; `token === ""` clears it. */
export function sessionCookie(name: string, token: string): string {
  return token === "" ? `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict` : `${name}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The protocol that took the request (set by `requestMeta`), for metrics. */
    custosProtocol?: string;
    /** The operation or wire method the request ran, for metrics. */
    custosOperation?: string;
  }
}
