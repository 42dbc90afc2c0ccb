import cors from "@fastify/cors";
import helmet from "helmet";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../core/errors.js";

export interface WebSecurityOptions {
  /** Origins (scheme://host[:port]) whose browser scripts may call the API; empty: none. */
  corsOrigins: readonly string[];
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Browser-facing protections for every protocol on the one HTTP server, registered once before
 * any route: security headers (helmet, with a CSP the /docs page works under), a CORS policy
 * closed by default (CUSTOS_CORS_ORIGINS opens it to named origins), no caching of API answers
 * (session tokens, TOTP secrets and backup codes travel in them), and no state-changing request
 * from a foreign web page: a browser always sends Origin with those, so one from an origin that is
 * neither this server nor an allowed one is refused. That also closes cross-origin text/plain
 * posts to the cookie-authenticated INWX endpoints. Non-browser clients send no Origin.
 */
export async function registerWebSecurity(app: FastifyInstance, options: WebSecurityOptions): Promise<void> {
  const allowed = new Set(options.corsOrigins.map((o) => o.replace(/\/+$/, "").toLowerCase()));
  // Helmet's middleware built once (the Fastify wrapper rebuilt it, CSP parsing included, for
  // every request): the same headers on every answer, 404s and errors included.
  const secureHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
  app.addHook("onRequest", (request, reply, done) => {
    secureHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin.toLowerCase())),
    methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ["authorization", "content-type", "idempotency-key", "if-match", "if-none-match", "x-request-id"],
    exposedHeaders: ["etag", "location", "retry-after", "x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "idempotent-replayed", "idempotency-redacted"],
    maxAge: 600,
    strictPreflight: false,
  });
  app.addHook("onRequest", (request, _reply, done) => {
    done(foreignOriginRefusal(request));
  });
  app.addHook("onSend", (request, reply, payload, done) => {
    if (!reply.hasHeader("cache-control") && !request.url.startsWith("/docs")) reply.header("cache-control", "no-store");
    done(null, payload);
  });

  /** The refusal for a request a foreign web page made, or undefined. */
  function foreignOriginRefusal(request: FastifyRequest): AppError | undefined {
    const origin = request.headers.origin;
    // A preflight from an origin CORS does not allow: a clear refusal rather than the 404 the
    // CORS plugin leaves it to (allowed origins' preflights were answered before this hook).
    if (request.method === "OPTIONS" && origin !== undefined && request.headers["access-control-request-method"] !== undefined) {
      return new AppError("forbidden", "Cross-origin requests from this origin are not allowed (see CUSTOS_CORS_ORIGINS)");
    }
    if (!UNSAFE_METHODS.has(request.method)) return undefined;
    if (origin === undefined || allowed.has(origin.toLowerCase()) || sameOrigin(request, origin)) return undefined;
    return new AppError("forbidden", "Cross-origin requests from this origin are not allowed (see CUSTOS_CORS_ORIGINS)");
  }
}

function sameOrigin(request: FastifyRequest, origin: string): boolean {
  try {
    return new URL(origin).host.toLowerCase() === String(request.headers.host ?? "").toLowerCase();
  } catch {
    return false;
  }
}
