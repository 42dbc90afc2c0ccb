import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { Services } from "../../app.js";
import { AppError, type ErrorCode } from "../../core/errors.js";
import type { StoredResponse } from "../../modules/idempotency/service.js";
import type { RateState } from "../../modules/ratelimit/service.js";
import { bearerToken, requestMeta } from "../kit/context.js";
import { accountLoginRoutes } from "./account-login.js";
import { accountRoutes } from "./accounts.js";
import { apiKeyRoutes } from "./apikeys.js";
import { auditRoutes } from "./audit.js";
import { budgetRoutes } from "./budgets.js";
import { credentialRoutes } from "./credentials.js";
import { customerRoutes } from "./customers.js";
import type { RestDeps } from "./deps.js";
import { webhookCatalogue } from "./event-catalogue.js";
import { eventRoutes } from "./events.js";
import { exportRoutes, registerDownloadRoute } from "./exports.js";
import { hostingRoutes } from "./hosting.js";
import { lifecycleRoutes } from "./lifecycle.js";
import { messagingRoutes } from "./messaging.js";
import { buildOpenApi } from "./openapi.js";
import { planRoutes } from "./plans.js";
import { problem } from "./problem.js";
import { roleRoutes } from "./roles.js";
import { type AnyRoute, REST_PROTOCOL, registerRoutes } from "./route.js";
import { sessionRoutes } from "./sessions.js";
import { usageRoutes } from "./usage.js";
import { verificationRoutes } from "./verification.js";
import { webhookRoutes } from "./webhooks.js";

/**
 * The REST API on the shared server: its routes, its bearer authentication, its problem+json
 * error form and its OpenAPI document. `src/protocols/http.ts` only calls the three registrations.
 */

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
  return [...customerRoutes(services.commands), ...verificationRoutes(services.commands), ...exportRoutes(services.commands), ...sessionRoutes(services.commands), ...credentialRoutes(services.commands), ...lifecycleRoutes(services.commands), ...accountRoutes(services.commands), ...apiKeyRoutes(services.commands), ...roleRoutes(services.commands), ...auditRoutes(services.commands), ...hostingRoutes(services.commands), ...eventRoutes(services.commands), ...webhookRoutes(services.commands), ...accountLoginRoutes(services.commands), ...planRoutes(services.commands), ...budgetRoutes(services.commands), ...usageRoutes(services.commands), ...messagingRoutes(services.commands)];
}

/** An error as an RFC 9457 problem document, with the headers its code calls for. */
export function renderProblem(error: AppError, request: FastifyRequest): StoredResponse {
  const p = problem(error.code, error.message, request.url.split("?")[0] ?? "/", String(request.id), error.issues);
  const headers: Record<string, string> = { "content-type": "application/problem+json; charset=utf-8" };
  if (error.retryAfter !== undefined) headers["retry-after"] = String(error.retryAfter);
  if (error.code === "unauthenticated") headers["www-authenticate"] = 'Bearer realm="custos"';
  return { statusCode: p.status, body: JSON.stringify(p), headers };
}

/** The server-wide error and not-found handlers: problem+json (protocols with their own form override them in their scope). */
export function registerRestErrors(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === "internal") request.log.error({ err: error, requestId: request.id }, "unhandled error");
    const r = renderProblem(appError, request);
    reply.code(r.statusCode).headers(r.headers).send(r.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const r = renderProblem(new AppError("not_found", `No route for ${request.method} ${request.url.split("?")[0]}`), request);
    reply.code(r.statusCode).headers(r.headers).send(r.body);
  });
}

/** REST's credential: `Authorization: Bearer <API key or session token>`. */
export function restDeps(services: Services): RestDeps {
  return {
    authenticate: async (request) => {
      const token = bearerToken(request.headers.authorization);
      if (!token) throw new AppError("unauthenticated", "Send an API key as Authorization: Bearer <key>");
      const meta = {
        ...requestMeta(request, REST_PROTOCOL.name),
        onRate: (state: RateState) => {
          request.rateLimit = state;
        },
      };
      return services.requestAuth.withBearer(token, meta);
    },
    idempotency: services.idempotency,
    renderError: renderProblem,
  };
}

/** Registers every REST route and the download route; returns the routes for the OpenAPI document. */
export function registerRest(app: FastifyInstance, services: Services): AnyRoute[] {
  const routes = restRoutes(services);
  registerRoutes(app, restDeps(services), routes);
  registerDownloadRoute(app, services.exports);
  return routes;
}

/** GET /openapi.json and the /docs page, from the same route table. */
export async function registerRestDocs(app: FastifyInstance, routes: AnyRoute[], version: string): Promise<void> {
  const document = buildOpenApi(routes, { version }, webhookCatalogue());
  app.get("/openapi.json", async () => document);
  await app.register(swagger, { mode: "static", specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: "/docs" });
}
