import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { anonymousContext, type Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import { authorize, type OperationDef } from "../../core/operations.js";
import { assertSafeText, parseOrThrow } from "../../core/validation.js";
import type { StoredResponse } from "../../modules/idempotency/service.js";
import { IdempotencyService, redactSecrets } from "../../modules/idempotency/service.js";
import { requestMeta, type SessionProtocol } from "../kit/context.js";
import type { RestDeps } from "./deps.js";
import { compileSerializer } from "../../core/json-schema.js";

/** A REST login session is the customer's own sign-in: it stays open with API access switched off, so the customer can manage its account. */
export const REST_PROTOCOL: SessionProtocol = { name: "rest", apiAccess: false };

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
  /** A larger body limit than the server's default, in bytes (bulk ingestion). */
  bodyLimit?: number;
  /** POST routes honour Idempotency-Key. */
  idempotent?: boolean;
  /**
   * Secrets in the answer (top-level body fields, header names): shown to the first request only;
   * a replay of it by Idempotency-Key carries a marker instead (see IdempotencyService).
   */
  secrets?: { fields?: string[]; headers?: string[] };
  /** Honours `Prefer: return=dry-run` / `?dry_run=true`: validated and run, then rolled back. */
  dryRun?: boolean;
  handler(input: HandlerInput<z.output<P>, z.output<Q>>): Promise<RouteResult>;
}

export function defineRoute<P extends z.ZodType = z.ZodObject<{}>, Q extends z.ZodType = z.ZodObject<{}>>(def: RouteDef<P, Q>): RouteDef<P, Q> {
  return def;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** Refusals a retry may not meet again: never stored as a key's answer. */
const TRANSIENT: ReadonlySet<string> = new Set(["internal", "rate_limited", "idempotency_key_in_use", "idempotency_key_reused"]);

export function registerRoutes(app: FastifyInstance, deps: RestDeps, routes: AnyRoute[]): void {
  for (const route of routes) {
    const serializers = new Map<number, (value: unknown) => string>();
    for (const [status, schema] of Object.entries(route.responses)) if (schema) serializers.set(Number(status), compileSerializer(schema));
    app.route({
      method: route.method,
      url: route.url,
      ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        request.custosOperation = route.operation?.name ?? `${route.method} ${route.url}`;
        const ctx = route.auth === false ? anonymousContext(requestMeta(request, REST_PROTOCOL.name)) : await deps.authenticate(request);
        // NUL, unpaired surrogates and absurd nesting are refused here, the same on both databases.
        assertSafeText(request.params, "path");
        assertSafeText(request.query, "query");
        assertSafeText(request.body);
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
        // A dry run writes nothing, so there is nothing to replay: it ignores the key.
        if (route.idempotent && typeof key === "string" && !dryRun) {
          if (!IDEMPOTENCY_KEY.test(key)) {
            throw new AppError("validation_failed", "Idempotency-Key must be 1-255 printable ASCII characters", {
              issues: [{ field: "Idempotency-Key", code: "invalid_format", message: "must be 1-255 printable ASCII characters" }],
            });
          }
          // The permission is checked before anything is replayed: a stored answer is the
          // operation's result and must not reach a caller who may not run the operation.
          if (route.operation) authorize(ctx, route.operation);
          const fingerprint = IdempotencyService.fingerprint(request.method, request.url, request.rawBodyText ?? "");
          const outcome = await deps.idempotency.execute(credentialScope(ctx), key, fingerprint, {
            run,
            // A refused request is an answer too: stored, so retries see the same refusal.
            refusal: (error) => (error instanceof AppError && !TRANSIENT.has(error.code) ? deps.renderError(error, request) : null),
            storable: (r) => redactSecrets(r, route.secrets?.fields ?? [], route.secrets?.headers ?? []),
          });
          if (outcome.replayed) reply.header("idempotent-replayed", "true");
          response = outcome.response;
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

/**
 * Whose Idempotency-Keys these are: one API key's or one session's own. Two keys of one principal
 * never see each other's stored answers.
 */
export function credentialScope(ctx: Context): string {
  if (ctx.principal.keyId !== null) return `key:${ctx.principal.keyId}`;
  if (ctx.principal.sessionId !== null) return `session:${ctx.principal.sessionId}`;
  return `${ctx.principal.kind}:${ctx.principal.id}`;
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
