import type { FastifyInstance, FastifyReply } from "fastify";
import { AppError } from "../../core/errors.js";
import type { StoredResponse } from "../../modules/idempotency/service.js";
import { bearerToken } from "../kit/context.js";
import { frameworkError, WireError } from "../kit/errors.js";
import { registerRoutes } from "../rest/route.js";
import { ACCESS_DENIED, errorBody, OP_ERRORS, type OpError } from "./codes.js";
import { renameIssues } from "./fields.js";
import { meta, type OpenproviderDeps, openproviderRoutes } from "./routes.js";

export { OPENPROVIDER_PREFIX } from "./routes.js";

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
  // An answer only Openprovider's vocabulary has (10005 for a missing or malformed Authorization).
  if (error instanceof WireError) {
    const op = error.detail as OpError;
    return { statusCode: op.status, body: errorBody(op.code, error.reason), headers: {} };
  }
  const appError = frameworkError(error);
  const op = OP_ERRORS[appError.code];
  const headers: Record<string, string> = {};
  if (appError.retryAfter !== undefined) headers["retry-after"] = String(appError.retryAfter);
  return { statusCode: op.status, body: errorBody(op.code, describe(appError, op)), headers };
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
        const token = bearerToken(request.headers.authorization);
        if (!token) throw new WireError<OpError>(ACCESS_DENIED, "ACCESS_DENIED", ACCESS_DENIED.desc ?? "");
        return deps.withBearer(token, meta(request));
      },
      idempotency: deps.idempotency,
      renderError: (error) => render(error),
    },
    openproviderRoutes(deps),
  );
}
