import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../core/context.js";
import { AppError, type FieldIssue, validationFailed } from "../../core/errors.js";
import type { AccountCredentialService } from "../../modules/credentials/accounts.js";
import type { CustomerService } from "../../modules/customers/service.js";
import type { AuthMeta } from "../shared/auth.js";
import { ACCESS_DENIED, errorBody, OP_ERRORS, type OpError } from "./codes.js";
import { decodeCustomer, decodeListQuery, encodeCustomer, flag, IMMUTABLE_ON_UPDATE, renameIssues } from "./fields.js";

export interface OpenproviderDeps {
  customers: CustomerService;
  logins: Pick<AccountCredentialService, "login">;
  /** Bearer token (account session or API key) -> context; the shared authenticator. */
  withBearer(token: string, meta: AuthMeta): Promise<Context>;
}

const PROTOCOL = "openprovider";
/** Handles are `XX123456-XX`; anything else cannot name a customer and answers as a missing one. */
const HANDLE_PARAM = /^[A-Za-z0-9-]{1,32}$/;

type Json = Record<string, unknown>;

/** An answer only Openprovider's vocabulary has (10005 for a missing or malformed Authorization). */
class WireAnswer extends Error {
  constructor(readonly op: OpError) {
    super(op.desc);
  }
}

const meta = (request: FastifyRequest): AuthMeta => ({ clientIp: request.ip, requestId: String(request.id), protocol: PROTOCOL });

/** Success envelope, key order code, desc, data (grpc-gateway emits `desc` even when empty). */
function ok(reply: FastifyReply, data: Json): FastifyReply {
  return reply.code(200).type("application/json; charset=utf-8").send(JSON.stringify({ code: 0, desc: "", data }));
}

function describe(error: AppError, op: OpError): string {
  if (op.desc !== undefined) return op.desc;
  const issues = renameIssues(error.issues);
  const first = issues[0];
  if (!first) return error.message;
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : "";
  return `${first.field}: ${first.message}${more}`;
}

function sendError(reply: FastifyReply, error: unknown, request: FastifyRequest): FastifyReply {
  let appError: AppError;
  if (error instanceof AppError) appError = error;
  else {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 413) appError = new AppError("payload_too_large", "The request body is too large");
    else if (status === 415) appError = new AppError("unsupported_media_type", "Send the body as application/json");
    else if (typeof status === "number" && status < 500) appError = new AppError("malformed_request", "The body is not valid JSON");
    else appError = new AppError("internal", "Internal error", { cause: error });
  }
  if (appError.code === "internal") request.log.error({ err: error, requestId: request.id }, "unhandled error");
  const op = OP_ERRORS[appError.code];
  if (appError.retryAfter !== undefined) reply.header("retry-after", String(appError.retryAfter));
  return reply.code(op.status).type("application/json; charset=utf-8").send(errorBody(op.code, describe(appError, op)));
}

async function authenticate(deps: OpenproviderDeps, request: FastifyRequest): Promise<Context> {
  const header = request.headers.authorization;
  const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m?.[1]) throw new WireAnswer(ACCESS_DENIED);
  return deps.withBearer(m[1], meta(request));
}

const asObject = (body: unknown): Json => {
  if (body === undefined) return {};
  // Only the JSON parser yields objects; another media type arrives as text.
  if (typeof body === "string" || Buffer.isBuffer(body)) throw new AppError("unsupported_media_type", "Send the body as application/json");
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AppError("malformed_request", "The body must be a JSON object");
  return body as Json;
};

function handleRef(param: unknown): string {
  const h = String(param ?? "");
  if (!HANDLE_PARAM.test(h)) throw new AppError("not_found", "Customer not found");
  return `handle:${h.toUpperCase()}`;
}

/**
 * Openprovider REST v1beta for customers (seed 003, ../shared/docs/protocols.md §4): auth/login
 * and the customers resource. Every route decodes, calls one customer-service method, encodes.
 */
export async function openproviderPlugin(app: FastifyInstance, deps: OpenproviderDeps): Promise<void> {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof WireAnswer) return reply.code(error.op.status).type("application/json; charset=utf-8").send(errorBody(error.op.code, error.op.desc ?? ""));
    return sendError(reply, error, request);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new AppError("not_found", `No route for ${request.method} ${request.url.split("?")[0]}`), request));

  // AuthApi.Login: POST /v1beta/auth/login {username, password, ip}. The `ip` a client sends is
  // its own claim (the PHP client sends 0.0.0.0); the allow lists use the connection's address.
  app.post("/auth/login", async (request, reply) => {
    const body = asObject(request.body);
    const { username, password, otp } = body;
    if (typeof username !== "string" || typeof password !== "string" || (otp !== undefined && typeof otp !== "string")) {
      throw validationFailed([{ field: typeof username !== "string" ? "username" : typeof password !== "string" ? "password" : "otp", code: "invalid_type", message: "must be a string" }]);
    }
    const m = meta(request);
    const session = await deps.logins.login({ identifier: username, password, code: otp, clientIp: m.clientIp, protocol: PROTOCOL, requestId: m.requestId });
    return ok(reply, { token: session.token, reseller_id: session.accountId });
  });

  // CustomerService.ListCustomers: GET /v1beta/customers
  app.get("/customers", async (request, reply) => {
    const ctx = await authenticate(deps, request);
    const { list, issues } = decodeListQuery((request.query ?? {}) as Json);
    if (issues.length > 0) throw validationFailed(issues);
    const page = await deps.customers.list(ctx, deps.customers.parseListQuery(list.query));
    return ok(reply, { results: page.data.map((c) => encodeCustomer(c, { single: false, withAdditionalData: list.withAdditionalData })), total: page.total ?? page.data.length });
  });

  // CustomerService.CreateCustomer: POST /v1beta/customers -> {handle}
  app.post("/customers", async (request, reply) => {
    const ctx = await authenticate(deps, request);
    const c = await deps.customers.create(ctx, decodeCustomer(asObject(request.body), "create"));
    return ok(reply, { handle: c.handle });
  });

  // CustomerService.GetCustomer: GET /v1beta/customers/{handle}[?with_additional_data=1]
  app.get("/customers/:handle", async (request, reply) => {
    const ctx = await authenticate(deps, request);
    const issues: FieldIssue[] = [];
    const withAdditionalData = flag((request.query as Json | undefined)?.with_additional_data, "with_additional_data", issues);
    if (issues.length > 0) throw validationFailed(issues);
    const c = await deps.customers.get(ctx, handleRef((request.params as Json).handle));
    return ok(reply, encodeCustomer(c, { single: true, withAdditionalData }));
  });

  // CustomerService.UpdateCustomer: PUT /v1beta/customers/{handle}. The WHMCS module PUTs the
  // whole object it read (read-only keys included): those are ignored, name and company may be
  // repeated but not changed.
  app.put("/customers/:handle", async (request, reply) => {
    const ctx = await authenticate(deps, request);
    const ref = handleRef((request.params as Json).handle);
    await deps.customers.update(ctx, ref, decodeCustomer(asObject(request.body), "update"), undefined, { unchangeable: IMMUTABLE_ON_UPDATE });
    return ok(reply, { success: true });
  });

  // CustomerService.DeleteCustomer: DELETE /v1beta/customers/{handle}
  app.delete("/customers/:handle", async (request, reply) => {
    const ctx = await authenticate(deps, request);
    await deps.customers.delete(ctx, handleRef((request.params as Json).handle));
    return ok(reply, { success: true });
  });
}
