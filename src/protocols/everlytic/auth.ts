import type { FastifyRequest } from "fastify";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { RequestAuthenticator } from "../shared/auth.js";

/**
 * Everlytic's credential on REST and XML-RPC alike: `Authorization: Basic base64(username:apikey)`.
 * The user is an operator or reseller (or customer) login, the key one of its Custos API keys.
 */
export async function everlyticContext(auth: RequestAuthenticator, request: FastifyRequest, protocol: "everlytic-rest" | "everlytic-xmlrpc"): Promise<Context> {
  const header = request.headers.authorization;
  const m = typeof header === "string" ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (!m?.[1]) throw new AppError("unauthenticated", "Send Authorization: Basic base64(username:apikey)");
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0 || colon === decoded.length - 1) throw new AppError("unauthenticated", "Send Authorization: Basic base64(username:apikey)");
  return auth.withNamedApiKey(decoded.slice(0, colon), decoded.slice(colon + 1), {
    clientIp: request.ip,
    requestId: String(request.id),
    protocol,
    onRate: (state) => {
      request.rateLimit = state;
    },
  });
}
