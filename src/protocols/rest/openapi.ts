import { declaredErrors } from "../../core/commands.js";
import type { ErrorCode } from "../../core/errors.js";
import { type JsonSchema, toJsonSchema } from "../../core/json-schema.js";
import type { AnyRoute } from "./route.js";
import { HTTP_STATUS, problemSchema } from "./problem.js";

const ALL_CODES = Object.keys(HTTP_STATUS) as ErrorCode[];

/**
 * The error codes a route can answer: those its command declares (COMMON_ERRORS included) plus
 * what the REST edge itself refuses (a body it cannot read, an Idempotency-Key reused, an If-Match
 * that no longer matches). A route that runs no command documents every code.
 */
export function routeErrorCodes(route: AnyRoute): ErrorCode[] {
  const declared = route.operation ? declaredErrors(route.operation.name) : undefined;
  if (!declared) return route.auth === false ? ALL_CODES.filter((c) => c !== "internal") : ALL_CODES;
  const codes = new Set<ErrorCode>(declared);
  if (route.body) for (const c of ["malformed_request", "unsupported_media_type", "payload_too_large"] as const) codes.add(c);
  if (route.idempotent) for (const c of ["idempotency_key_reused", "idempotency_key_in_use"] as const) codes.add(c);
  if (route.method === "PATCH" || route.method === "DELETE") codes.add("precondition_failed");
  return ALL_CODES.filter((c) => codes.has(c));
}

const toSchema = toJsonSchema;

/**
 * OpenAPI 3.1 from the same zod schemas the services validate with and the routes shape
 * responses with, so the document cannot drift from the code.
 */
export function buildOpenApi(routes: AnyRoute[], info: { version: string }, webhooks: Record<string, unknown> = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, "{$1}");
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ["path", route.params],
      ["query", route.query],
    ] as const) {
      if (!schema) continue;
      const js = toSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || (js.required ?? []).includes(name), schema: prop, description: prop.description });
      }
    }
    if (route.idempotent) {
      parameters.push({ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 }, description: "Retry-safe key: the same key and body replay the first answer" });
    }
    if (route.method === "PATCH" || route.method === "DELETE") {
      parameters.push({ name: "If-Match", in: "header", required: false, schema: { type: "string" }, description: "ETag from a read; 412 if the object changed since" });
    }
    if (route.dryRun) {
      parameters.push({ name: "Prefer", in: "header", required: false, schema: { type: "string", enum: ["return=dry-run"] }, description: "Dry run: validate and run the change, answer what it would be, write nothing (Preference-Applied: return=dry-run)" });
      parameters.push({ name: "dry_run", in: "query", required: false, schema: { type: "boolean" }, description: "The same as Prefer: return=dry-run" });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(route.responses)) {
      responses[status] = {
        description: Number(status) < 300 ? "Success" : "Not modified",
        headers: { "X-Request-Id": { schema: { type: "string" } } },
        ...(schema ? { content: { "application/json": { schema: toSchema(schema, "output") } } } : {}),
      };
    }
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of routeErrorCodes(route)) byStatus.set(HTTP_STATUS[code], [...(byStatus.get(HTTP_STATUS[code]) ?? []), code]);
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[String(status)] = { description: `Problem (RFC 9457); code: ${codes.join(", ")}`, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
    }
    const op: Record<string, unknown> = {
      operationId: route.operation?.name ?? `${route.method.toLowerCase()}${path.replace(/\W+/g, "_")}`,
      summary: route.summary,
      tags: route.tags,
      parameters,
      responses,
    };
    if (route.description) op.description = route.description;
    if (route.auth === false) op.security = [];
    if (route.body) op.requestBody = { required: true, content: { "application/json": { schema: toSchema(route.body, "input") } } };
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: op };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Custos API", version: info.version, description: "Customer accounts for hosting providers, registrars and resellers." },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths,
    webhooks,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key: Authorization: Bearer <key>" } },
      schemas: { Problem: toSchema(problemSchema, "output") },
    },
  };
}
