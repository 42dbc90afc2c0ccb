import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../core/context.js";
import { AppError, type FieldIssue, validationFailed } from "../../core/errors.js";
import type { AccountCredentialService } from "../../modules/credentials/accounts.js";
import { CustomerOps } from "../../modules/customers/operations.js";
import type { CustomerService } from "../../modules/customers/service.js";
import type { IdempotencyService, StoredResponse } from "../../modules/idempotency/service.js";
import { type AnyRoute, defineRoute, registerRoutes } from "../rest/route.js";
import type { AuthMeta } from "../shared/auth.js";
import { ACCESS_DENIED, errorBody, OP_ERRORS, type OpError } from "./codes.js";
import { decodeCustomer, decodeListQuery, encodeCustomer, flag, IMMUTABLE_ON_UPDATE, renameIssues } from "./fields.js";
import { createOut, getOut, handleParams, listOut, loginOut, successOut } from "./schema.js";

export interface OpenproviderDeps {
  customers: CustomerService;
  logins: Pick<AccountCredentialService, "login">;
  idempotency: IdempotencyService;
  /** Bearer token (account session or API key) -> context; the shared authenticator. */
  withBearer(token: string, meta: AuthMeta): Promise<Context>;
}

export const OPENPROVIDER_PREFIX = "/v1beta";
const PROTOCOL = "openprovider";
const TAGS = ["Openprovider"];
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

function describe(error: AppError, op: OpError): string {
  if (op.desc !== undefined) return op.desc;
  const issues = renameIssues(error.issues);
  const first = issues[0];
  if (!first) return error.message;
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : "";
  return `${first.field}: ${first.message}${more}`;
}

/** Any error in Openprovider's form: `{"desc","code"}`, at most 120 bytes, with the table's HTTP status. */
function render(error: unknown): StoredResponse {
  if (error instanceof WireAnswer) return { statusCode: error.op.status, body: errorBody(error.op.code, error.op.desc ?? ""), headers: {} };
  let appError: AppError;
  if (error instanceof AppError) appError = error;
  else {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 413) appError = new AppError("payload_too_large", "The request body is too large");
    else if (status === 415) appError = new AppError("unsupported_media_type", "Send the body as application/json");
    else if (typeof status === "number" && status < 500) appError = new AppError("malformed_request", "The body is not valid JSON");
    else appError = new AppError("internal", "Internal error", { cause: error });
  }
  const op = OP_ERRORS[appError.code];
  const headers: Record<string, string> = {};
  if (appError.retryAfter !== undefined) headers["retry-after"] = String(appError.retryAfter);
  return { statusCode: op.status, body: errorBody(op.code, describe(appError, op)), headers };
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

/** The bound methods: each decodes, calls one domain method, encodes. Paths are under /v1beta. */
export function openproviderRoutes(deps: Pick<OpenproviderDeps, "customers" | "logins">): AnyRoute[] {
  const { customers, logins } = deps;
  return [
    // AuthApi.Login. The `ip` a client sends is its own claim (the PHP client sends 0.0.0.0); the
    // allow lists are checked against the connection's address.
    defineRoute({
      operation: null,
      method: "POST",
      url: "/auth/login",
      summary: "Openprovider AuthApi.Login: a reseller or operator account's token",
      tags: TAGS,
      auth: false,
      responses: { 200: loginOut },
      async handler({ body, request }) {
        const { username, password, otp } = asObject(body);
        if (typeof username !== "string" || typeof password !== "string" || (otp !== undefined && typeof otp !== "string")) {
          const field = typeof username !== "string" ? "username" : typeof password !== "string" ? "password" : "otp";
          throw validationFailed([{ field, code: "invalid_type", message: "must be a string" }]);
        }
        const m = meta(request);
        const session = await logins.login({ identifier: username, password, code: otp, clientIp: m.clientIp, protocol: PROTOCOL, requestId: m.requestId });
        return { status: 200, body: { code: 0, desc: "", data: { token: session.token, reseller_id: session.accountId } } };
      },
    }),
    // CustomerService.ListCustomers
    defineRoute({
      operation: CustomerOps.list,
      method: "GET",
      url: "/customers",
      summary: "Openprovider ListCustomers",
      tags: TAGS,
      responses: { 200: listOut },
      async handler({ ctx, request }) {
        const { list, issues } = decodeListQuery((request.query ?? {}) as Json);
        if (issues.length > 0) throw validationFailed(issues);
        const page = await customers.list(ctx, customers.parseListQuery(list.query));
        const results = page.data.map((c) => encodeCustomer(c, { single: false, withAdditionalData: list.withAdditionalData }));
        return { status: 200, body: { code: 0, desc: "", data: { results, total: page.total ?? results.length } } };
      },
    }),
    // CustomerService.CreateCustomer
    defineRoute({
      operation: CustomerOps.create,
      method: "POST",
      url: "/customers",
      summary: "Openprovider CreateCustomer",
      tags: TAGS,
      responses: { 200: createOut },
      async handler({ ctx, body }) {
        const c = await customers.create(ctx, decodeCustomer(asObject(body), "create"));
        return { status: 200, body: { code: 0, desc: "", data: { handle: c.handle } } };
      },
    }),
    // CustomerService.GetCustomer
    defineRoute({
      operation: CustomerOps.get,
      method: "GET",
      url: "/customers/:handle",
      summary: "Openprovider GetCustomer",
      tags: TAGS,
      params: handleParams,
      responses: { 200: getOut },
      async handler({ ctx, params, request }) {
        const issues: FieldIssue[] = [];
        const withAdditionalData = flag((request.query as Json | undefined)?.with_additional_data, "with_additional_data", issues);
        if (issues.length > 0) throw validationFailed(issues);
        const c = await customers.get(ctx, handleRef(params.handle));
        return { status: 200, body: { code: 0, desc: "", data: encodeCustomer(c, { single: true, withAdditionalData }) } };
      },
    }),
    // CustomerService.UpdateCustomer. The WHMCS module PUTs the whole object it read (read-only
    // keys included): those are ignored; name and company may be repeated but not changed.
    defineRoute({
      operation: CustomerOps.update,
      method: "PUT",
      url: "/customers/:handle",
      summary: "Openprovider UpdateCustomer",
      tags: TAGS,
      params: handleParams,
      responses: { 200: successOut },
      async handler({ ctx, params, body }) {
        await customers.update(ctx, handleRef(params.handle), decodeCustomer(asObject(body), "update"), undefined, { unchangeable: IMMUTABLE_ON_UPDATE });
        return { status: 200, body: { code: 0, desc: "", data: { success: true } } };
      },
    }),
    // CustomerService.DeleteCustomer
    defineRoute({
      operation: CustomerOps.delete,
      method: "DELETE",
      url: "/customers/:handle",
      summary: "Openprovider DeleteCustomer",
      tags: TAGS,
      params: handleParams,
      responses: { 200: successOut },
      async handler({ ctx, params }) {
        await customers.delete(ctx, handleRef(params.handle));
        return { status: 200, body: { code: 0, desc: "", data: { success: true } } };
      },
    }),
  ];
}

/**
 * Openprovider REST v1beta (seed 003, ../shared/docs/protocols.md §4) on the REST route kit, with
 * Openprovider's credential reading and error form. Register with `prefix: OPENPROVIDER_PREFIX`.
 */
export async function openproviderPlugin(app: FastifyInstance, deps: OpenproviderDeps): Promise<void> {
  const send = (reply: FastifyReply, r: StoredResponse) => reply.code(r.statusCode).headers(r.headers).type("application/json; charset=utf-8").send(r.body);
  app.setErrorHandler((error, request, reply) => {
    const r = render(error);
    if (r.statusCode >= 500) request.log.error({ err: error, requestId: request.id }, "unhandled error");
    return send(reply, r);
  });
  app.setNotFoundHandler((request, reply) => send(reply, render(new AppError("not_found", `No route for ${request.method} ${request.url.split("?")[0]}`))));
  registerRoutes(
    app,
    {
      async authenticate(request) {
        const header = request.headers.authorization;
        const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
        if (!m?.[1]) throw new WireAnswer(ACCESS_DENIED);
        return deps.withBearer(m[1], meta(request));
      },
      idempotency: deps.idempotency,
      renderError: (error) => render(error),
    },
    openproviderRoutes(deps),
  );
}
