import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { AppError, type ErrorCode } from "../core/errors.js";
import { newRequestId } from "../core/ids.js";
import type { Services } from "../app.js";
import { problem } from "./rest/problem.js";
import { registerWebSecurity } from "./web-security.js";
import { buildOpenApi } from "./rest/openapi.js";
import { registerRoutes, type AnyRoute } from "./rest/route.js";
import { customerRoutes } from "./rest/customers.js";
import { exportRoutes, registerDownloadRoute } from "./rest/exports.js";
import { verificationRoutes } from "./rest/verification.js";
import { inwxPlugin } from "./inwx/plugin.js";
import { stackablePlugin } from "./stackable/plugin.js";
import { OPENPROVIDER_PREFIX, openproviderPlugin } from "./openprovider/plugin.js";
import { consolePlugin } from "./console/plugin.js";
import { consoleLoginFor } from "./console/login.js";
import { froxlorPlugin } from "./froxlor/plugin.js";
import { everlyticRestPlugin } from "./everlytic/rest.js";
import { everlyticXmlRpcPlugin } from "./everlytic/xmlrpc.js";
import type { RestDeps } from "./rest/deps.js";
import { sessionRoutes } from "./rest/sessions.js";
import { credentialRoutes } from "./rest/credentials.js";
import { lifecycleRoutes } from "./rest/lifecycle.js";
import { RequestAuthenticator } from "./shared/auth.js";
import { bearerToken, requestMeta } from "./kit/context.js";
import { accountRoutes } from "./rest/accounts.js";
import { apiKeyRoutes } from "./rest/apikeys.js";
import { auditRoutes } from "./rest/audit.js";
import { accountLoginRoutes } from "./rest/account-login.js";
import { messagingRoutes } from "./rest/messaging.js";
import { roleRoutes } from "./rest/roles.js";
import { eventRoutes } from "./rest/events.js";
import { webhookRoutes } from "./rest/webhooks.js";
import { webhookCatalogue } from "./rest/event-catalogue.js";
import { hostingRoutes } from "./rest/hosting.js";
import { planRoutes } from "./rest/plans.js";
import { budgetRoutes } from "./rest/budgets.js";
import { usageRoutes } from "./rest/usage.js";
import type { RateState } from "../modules/ratelimit/service.js";
import type { StoredResponse } from "../modules/idempotency/service.js";
import type { MetricsService } from "../modules/system/metrics.js";
import { timingSafeEqual } from "node:crypto";

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

/** Maps framework errors (bad JSON, oversize body, wrong media type) onto the catalogue. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError;
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  const byStatus: Record<number, ErrorCode> = { 400: "malformed_request", 413: "payload_too_large", 415: "unsupported_media_type", 404: "not_found" };
  const code = byStatus[status];
  if (code === "payload_too_large") return new AppError(code, "The request body is too large");
  if (code === "unsupported_media_type") return new AppError(code, "Send the body as application/json");
  if (code) return new AppError(code, e.message);
  return new AppError("internal", "Something went wrong on our side; the request id identifies it in our logs", { cause: error });
}

/** Every REST route (the coverage matrix reads the same list). */
export function restRoutes(services: Services): AnyRoute[] {
  return [...customerRoutes(services.customers, services.commands), ...verificationRoutes(services.verification), ...exportRoutes(services.exports), ...sessionRoutes(services.credentials), ...credentialRoutes(services.credentials), ...lifecycleRoutes(services.lifecycle), ...accountRoutes(services.accounts), ...apiKeyRoutes(services.keys), ...roleRoutes(services.keys), ...auditRoutes(services.auditReader), ...hostingRoutes(services.commands), ...eventRoutes(services.events, services.noticeDelivery), ...webhookRoutes(services.webhooks), ...accountLoginRoutes(services.commands, services.accountLogins), ...planRoutes(services.commands), ...budgetRoutes(services.commands), ...usageRoutes(services.commands), ...messagingRoutes(services.commands)];
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

  const renderError = (error: AppError, request: FastifyRequest): StoredResponse => {
    const p = problem(error.code, error.message, request.url.split("?")[0] ?? "/", String(request.id), error.issues);
    const headers: Record<string, string> = { "content-type": "application/problem+json; charset=utf-8" };
    if (error.retryAfter !== undefined) headers["retry-after"] = String(error.retryAfter);
    if (error.code === "unauthenticated") headers["www-authenticate"] = 'Bearer realm="custos"';
    return { statusCode: p.status, body: JSON.stringify(p), headers };
  };

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === "internal") request.log.error({ err: error, requestId: request.id }, "unhandled error");
    const r = renderError(appError, request);
    reply.code(r.statusCode).headers(r.headers).send(r.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const r = renderError(new AppError("not_found", `No route for ${request.method} ${request.url.split("?")[0]}`), request);
    reply.code(r.statusCode).headers(r.headers).send(r.body);
  });

  // After the error handlers (so its refusals render like every other error), before any route.
  await registerWebSecurity(app, { corsOrigins: options.corsOrigins ?? [] });

  const deps: RestDeps = {
    authenticate: async (request) => {
      const token = bearerToken(request.headers.authorization);
      if (!token) throw new AppError("unauthenticated", "Send an API key as Authorization: Bearer <key>");
      const meta = {
        ...requestMeta(request, "rest"),
        onRate: (state: RateState) => {
          request.rateLimit = state;
        },
      };
      return services.requestAuth.withBearer(token, meta);
    },
    idempotency: services.idempotency,
    renderError,
  };

  const routes = restRoutes(services);
  registerRoutes(app, deps, routes);
  registerDownloadRoute(app, services.exports);
  await app.register(inwxPlugin, {
    commands: services.commands,
    verification: services.verification,
    exports: services.exports,
    withSession: (token, meta) => services.requestAuth.withSession(token, meta),
    sessions: services.credentials,
  });
  await app.register(stackablePlugin, { commands: services.commands, withSignature: (request, meta) => services.requestAuth.withSignature(request, meta) });

  await app.register(openproviderPlugin, {
    prefix: OPENPROVIDER_PREFIX,
    commands: services.commands,
    customers: services.customers,
    idempotency: services.idempotency,
    logins: services.accountLogins,
    withBearer: (token, meta) => services.requestAuth.withBearer(token, meta),
  });

  await app.register(consolePlugin, { services, login: consoleLoginFor(services) });

  await app.register(froxlorPlugin, {
    deps: { commands: services.commands },
    auth: services.requestAuth,
  });

  const everlytic = { customers: services.customers, commands: services.commands, requestAuth: services.requestAuth, idempotency: services.idempotency };
  await app.register(everlyticRestPlugin, { prefix: "/api/2.0", ...everlytic });
  await app.register(everlyticXmlRpcPlugin, { prefix: "/api/2.0", ...everlytic });

  app.get("/health", async (_request, reply) => {
    const h = await services.system.health();
    reply.code(h.ok ? 200 : 503).send({ status: h.ok ? "ok" : "unavailable", database: h.database, uptime_s: h.uptime_s });
  });

  // Off the API listener unless a token protects it (main.ts can serve it on a port of its own).
  if (metrics && options.metricsToken) registerMetricsRoute(app, metrics, options.metricsToken);

  const document = buildOpenApi(routes, { version: options.version }, webhookCatalogue());
  app.get("/openapi.json", async () => document);
  await app.register(swagger, { mode: "static", specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  return app;
}
