import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { timingSafeEqual } from "node:crypto";
import type { Services } from "../app.js";
import { AppError } from "../core/errors.js";
import { newRequestId } from "../core/ids.js";
import type { MetricsService } from "../modules/system/metrics.js";
import { consoleLoginFor } from "./console/login.js";
import { consolePlugin } from "./console/plugin.js";
import { everlyticRestPlugin } from "./everlytic/rest.js";
import { everlyticXmlRpcPlugin } from "./everlytic/xmlrpc.js";
import { froxlorPlugin } from "./froxlor/plugin.js";
import { INWX_PROTOCOL, inwxPlugin } from "./inwx/plugin.js";
import { bearerToken, type SessionProtocol } from "./kit/context.js";
import { OPENPROVIDER_PREFIX, openproviderPlugin } from "./openprovider/plugin.js";
import { registerRest, registerRestDocs, registerRestErrors } from "./rest/server.js";
import { REST_PROTOCOL } from "./rest/route.js";
import { stackablePlugin } from "./stackable/plugin.js";
import { registerWebSecurity } from "./web-security.js";

export interface HttpOptions {
  logLevel: string;
  bodyLimit: number;
  trustProxy: boolean | string | number;
  version: string;
  /** CUSTOS_CORS_ORIGINS: origins allowed to call from browsers (none by default). */
  corsOrigins?: readonly string[];
  /** Requests are counted here; with `metricsToken` the API listener also serves GET /metrics. */
  metrics?: MetricsService;
  metricsToken?: string | undefined;
}

/** GET /metrics on `app`; with `token`, only for `Authorization: Bearer <token>`. */
export function registerMetricsRoute(app: FastifyInstance, metrics: MetricsService, token?: string): void {
  const expected = token === undefined ? undefined : Buffer.from(token);
  app.get("/metrics", async (request, reply) => {
    if (expected) {
      const given = Buffer.from(bearerToken(request.headers.authorization) ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError("unauthenticated", "Send the metrics token as Authorization: Bearer <CUSTOS_METRICS_TOKEN>");
      }
    }
    reply.header("cache-control", "no-store").type(metrics.contentType);
    return metrics.render();
  });
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** URLs that carry a credential (download tokens in the path, keys in the query) are logged without it. */
export function redactUrl(url: string): string {
  return url.replace(/^(\/v1\/downloads\/)[^/?#]+/, "$1[redacted]").replace(CREDENTIAL_PARAM, "$1[redacted]");
}
/** Query parameters that carry a credential when a client puts one in the URL; logged without it. */
const CREDENTIAL_PARAM = /([?&](?:api[_-]?key|key|token|access[_-]?token|auth|authorization|session|password|pass|secret|pin|tan)=)[^&#]*/gi;
/**
 * A hop count becomes a trust function: the socket peer and the next n-1 X-Forwarded-For entries
 * (from the right) are proxies, the entry after them is the client.
 */
function trustedHops(trustProxy: boolean | string | number): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy !== "number") return trustProxy;
  const hops = trustProxy;
  return (_address, hop) => hop < hops;
}
const fatal = new TextDecoder("utf-8", { fatal: true });

/** The protocols that open customer login sessions, each as it declares itself. */
const SESSION_PROTOCOLS: readonly SessionProtocol[] = [REST_PROTOCOL, INWX_PROTOCOL];

/** Protocols whose customer sessions are API access (api_allowed=false refuses them), for the credential rules. */
export function apiSessionProtocols(): ReadonlySet<string> {
  return new Set(SESSION_PROTOCOLS.filter((p) => p.apiAccess).map((p) => p.name));
}

/** One HTTP server for every protocol; each protocol registers its own routes and error form. */
export async function buildHttpServer(services: Services, options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      redact: { paths: ["req.headers.authorization", "req.headers.cookie", "req.headers.signature"], censor: "[redacted]" },
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.hostname,
          remoteAddress: req.ip,
          ...(req.socket.remotePort !== undefined ? { remotePort: req.socket.remotePort } : {}),
        }),
      },
    },
    bodyLimit: options.bodyLimit,
    trustProxy: trustedHops(options.trustProxy),
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : newRequestId();
    },
    // Duplicate slashes are tolerated: an Everlytic client calls /api/2.0//lists/{id}.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 500 },
  });

  // Hot-path hooks take a callback: an async hook costs a promise per request.
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    done();
  });
  const metrics = options.metrics;
  if (metrics) {
    app.addHook("onResponse", (request, reply, done) => {
      const operation = request.custosOperation ?? (request.routeOptions.url ? `${request.method} ${request.routeOptions.url}` : "unmatched");
      metrics.observeRequest(request.custosProtocol ?? "http", operation, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
  app.addHook("onSend", (request, reply, payload, done) => {
    const rate = request.rateLimit;
    if (rate) {
      reply.header("x-ratelimit-limit", String(rate.limit));
      reply.header("x-ratelimit-remaining", String(rate.remaining));
      reply.header("x-ratelimit-reset", String(rate.resetSeconds));
    }
    done(null, payload);
  });

  // JSON bodies: strict UTF-8, clear parse errors. The raw text is kept for idempotency fingerprints.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body: Buffer, done) => {
    let text: string;
    try {
      text = fatal.decode(body);
    } catch {
      done(new AppError("malformed_request", "The body is not valid UTF-8"), undefined);
      return;
    }
    request.rawBodyText = text;
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new AppError("malformed_request", `The body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });

  // Anything no protocol claims (unknown paths, /health, refusals before routing) answers as REST does.
  registerRestErrors(app);

  // After the error handlers (so its refusals render like every other error), before any route.
  await registerWebSecurity(app, { corsOrigins: options.corsOrigins ?? [] });

  const rest = registerRest(app, services);
  await app.register(inwxPlugin, {
    commands: services.commands,
    withSession: (token, meta) => services.requestAuth.withSession(token, meta),
    sessions: services.credentials,
  });
  await app.register(stackablePlugin, { commands: services.commands, withSignature: (request, meta) => services.requestAuth.withSignature(request, meta) });

  await app.register(openproviderPlugin, {
    prefix: OPENPROVIDER_PREFIX,
    commands: services.commands,
    idempotency: services.idempotency,
    logins: services.accountLogins,
    withBearer: (token, meta) => services.requestAuth.withBearer(token, meta),
  });

  await app.register(consolePlugin, { services, login: consoleLoginFor(services) });

  await app.register(froxlorPlugin, {
    deps: { commands: services.commands },
    auth: services.requestAuth,
  });

  const everlytic = { commands: services.commands, requestAuth: services.requestAuth, idempotency: services.idempotency };
  await app.register(everlyticRestPlugin, { prefix: "/api/2.0", ...everlytic });
  await app.register(everlyticXmlRpcPlugin, { prefix: "/api/2.0", ...everlytic });

  app.get("/health", async (_request, reply) => {
    const h = await services.system.health();
    reply.code(h.ok ? 200 : 503).send({ status: h.ok ? "ok" : "unavailable", database: h.database, uptime_s: h.uptime_s });
  });

  // Off the API listener unless a token protects it (main.ts can serve it on a port of its own).
  if (metrics && options.metricsToken) registerMetricsRoute(app, metrics, options.metricsToken);

  await registerRestDocs(app, rest, options.version);

  return app;
}
