import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { anonymousContext, type Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { OperationDef } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { StoredResponse } from "../../modules/idempotency/service.js";
import { IdempotencyService } from "../../modules/idempotency/service.js";
import { requestMeta } from "../kit/context.js";
import type { RestDeps } from "./deps.js";
import { compileSerializer } from "./json-schema.js";

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HandlerInput<P, Q> {
  ctx: Context;
  params: P;
  query: Q;
  /** The decoded JSON body, not yet validated: the domain service validates it. */
  body: unknown;
  request: FastifyRequest;
  /** The caller asked for a dry run (routes with `dryRun: true` only). */
  dryRun: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: a route table holds routes of every shape
export type AnyRoute = RouteDef<any, any>;

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType> {
  operation: OperationDef | null;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Fastify path, e.g. /v1/customers/:ref */
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: P;
  query?: Q;
  /** The payload schema (the same one the service validates with), for OpenAPI. */
  body?: z.ZodType;
  /** Response schemas by status; bodies are shaped by them before they leave. */
  responses: Record<number, z.ZodType | null>;
  /** Extra response headers for OpenAPI. */
  responseHeaders?: Record<string, string>;
  auth?: boolean;
  /** POST routes honour Idempotency-Key. */
  idempotent?: boolean;
  /** Honours `Prefer: return=dry-run` / `?dry_run=true`: validated and run, then rolled back. */
  dryRun?: boolean;
  handler(input: HandlerInput<z.output<P>, z.output<Q>>): Promise<RouteResult>;
}

export function defineRoute<P extends z.ZodType = z.ZodObject<{}>, Q extends z.ZodType = z.ZodObject<{}>>(def: RouteDef<P, Q>): RouteDef<P, Q> {
  return def;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function registerRoutes(app: FastifyInstance, deps: RestDeps, routes: AnyRoute[]): void {
  for (const route of routes) {
    const serializers = new Map<number, (value: unknown) => string>();
    for (const [status, schema] of Object.entries(route.responses)) if (schema) serializers.set(Number(status), compileSerializer(schema));
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const ctx = route.auth === false ? anonymousContext(requestMeta(request, "rest")) : await deps.authenticate(request);
        const params = route.params ? parseOrThrow(route.params, request.params, "path") : {};
        const query = route.query ? parseOrThrow(route.query, request.query ?? {}, "query") : {};
        const dryRun = route.dryRun === true && wantsDryRun(request);
        if (dryRun) reply.header("preference-applied", "return=dry-run");
        const run = async (): Promise<StoredResponse> => {
          const result = await route.handler({ ctx, params, query, body: request.body, request, dryRun });
          const serialize = serializers.get(result.status);
          let payload = "";
          if (result.body !== undefined) payload = serialize ? serialize(result.body) : JSON.stringify(result.body);
          return { statusCode: result.status, body: payload, headers: result.headers ?? {} };
        };
        const key = request.headers["idempotency-key"];
        let response: StoredResponse;
        if (route.idempotent && typeof key === "string") {
          if (!IDEMPOTENCY_KEY.test(key)) {
            throw new AppError("validation_failed", "Idempotency-Key must be 1-255 printable ASCII characters", {
              issues: [{ field: "Idempotency-Key", code: "invalid_format", message: "must be 1-255 printable ASCII characters" }],
            });
          }
          const scope = `${ctx.principal.kind}:${ctx.principal.id}`;
          const fingerprint = IdempotencyService.fingerprint(request.method, request.url, request.rawBodyText ?? "");
          const claim = await deps.idempotency.claim(scope, key, fingerprint);
          if (claim.kind === "replay") {
            reply.header("idempotent-replayed", "true");
            response = claim.response;
          } else {
            try {
              response = await run();
            } catch (error) {
              if (error instanceof AppError && error.code !== "internal") {
                // A refused request is an answer too: store it so retries see the same refusal.
                response = deps.renderError(error, request);
              } else {
                await deps.idempotency.release(scope, key);
                throw error;
              }
            }
            await deps.idempotency.complete(scope, key, response);
          }
        } else {
          response = await run();
        }
        for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
        reply.code(response.statusCode);
        if (response.body === "") return reply.send();
        const isProblem = response.statusCode >= 400;
        reply.type(isProblem ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8");
        return reply.send(response.body);
      },
    });
  }
}

/** RFC 7240 `Prefer: return=dry-run`, or `?dry_run=true` for clients that cannot set headers. */
export function wantsDryRun(request: FastifyRequest): boolean {
  const prefer = request.headers.prefer;
  const preferred = (Array.isArray(prefer) ? prefer.join(",") : (prefer ?? "")).split(/[,;]/).some((p) => p.trim().toLowerCase() === "return=dry-run");
  const flag = (request.query as Record<string, unknown> | undefined)?.dry_run;
  return preferred || flag === "true" || flag === "1";
}

declare module "fastify" {
  interface FastifyRequest {
    rawBodyText?: string;
  }
}

/** The caller itself as a customer reference, for the /v1/me/... routes. */
export function selfRef(ctx: Context): string {
  if (ctx.principal.kind !== "customer") throw new AppError("forbidden", "/v1/me is for customers; operators and resellers use /v1/customers/{ref}");
  return `id:${ctx.principal.id}`;
}
