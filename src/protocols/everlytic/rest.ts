import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { validationFailed } from "../../core/errors.js";
import type { IdempotencyService } from "../../modules/idempotency/service.js";
import { frameworkError } from "../kit/errors.js";
import { createDispatcher } from "../kit/rpc.js";
import { type AnyRoute, defineRoute, registerRoutes } from "../rest/route.js";
import type { RequestAuthenticator } from "../shared/auth.js";
import { everlyticContext } from "./auth.js";
import { errorMessage, EVERLYTIC_ERRORS } from "./codes.js";
import type { ListArgs } from "./fields.js";
import { CustomerOps } from "../../modules/customers/operations.js";
import { type EverlyticDeps, type EverlyticResult, everlyticMethods } from "./methods.js";

export interface EverlyticRestDeps extends EverlyticDeps {
  requestAuth: RequestAuthenticator;
  idempotency: IdempotencyService;
}

/** Routes are registered under the /api/2.0 prefix; links name the full path. */
const BASE = "/api/2.0/customers";

const LIST_PARAMS = new Set(["page", "count", "order", "direction"]);
const FILTER_PARAM = /^filter\[([^\]]+)\]$/;

/** page, count, order, direction and filter[property]=value from the query string. */
function listArgs(query: unknown): ListArgs {
  const args: Record<string, unknown> = {};
  const filter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const v = Array.isArray(value) ? value[value.length - 1] : value;
    const f = FILTER_PARAM.exec(key);
    if (f?.[1]) filter[f[1]] = v;
    else if (LIST_PARAMS.has(key)) args[key] = v;
    else throw validationFailed([{ field: key.slice(0, 100), code: "not_allowed", message: "is not a parameter; use page, count, order, direction, filter[property]" }]);
  }
  return Object.keys(filter).length > 0 ? { ...args, filter } : args;
}

/** {item, links} for one customer, {collection, links} with page/count links for a list. */
function envelope(result: EverlyticResult): Record<string, unknown> {
  if ("item" in result) return { item: result.item, links: { self: `${BASE}/${String(result.item.id)}` } };
  const at = (page: number) => `${BASE}?page=${page}&count=${result.count}`;
  const last = Math.max(1, Math.ceil(result.total / result.count));
  const links: Record<string, string> = { self: at(result.page), first: at(1), last: at(last) };
  if (result.page > 1) links.prev = at(Math.min(result.page - 1, last));
  if (result.page < last) links.next = at(result.page + 1);
  return { collection: result.collection, links };
}

/**
 * Everlytic's REST customers API (seed 004; protocols.md §5) as routes on the REST route kit with
 * Everlytic's own credential (Basic) and error form `{"error": {"message"}}`; each route runs one
 * method of the table the XML-RPC endpoint uses too.
 */
export async function everlyticRestPlugin(app: FastifyInstance, deps: EverlyticRestDeps): Promise<void> {
  const dispatch = createDispatcher(everlyticMethods(deps));
  const id = (request: FastifyRequest) => (request.params as { id?: string }).id;

  const render = (error: unknown) => {
    const e = frameworkError(error);
    const body: { error: Record<string, unknown> } = { error: { message: e.code === "internal" ? "Internal error; the X-Request-Id identifies it in our logs" : errorMessage(e.message, e.issues), code: e.code } };
    if (e.issues.length > 0) body.error.fields = e.issues;
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    if (e.code === "unauthenticated") headers["www-authenticate"] = 'Basic realm="Everlytic API"';
    if (e.retryAfter !== undefined) headers["retry-after"] = String(e.retryAfter);
    return { e, statusCode: EVERLYTIC_ERRORS[e.code], body: JSON.stringify(body), headers };
  };
  app.setErrorHandler((error, request, reply: FastifyReply) => {
    const r = render(error);
    if (r.e.code === "internal") request.log.error({ err: error, requestId: request.id }, "everlytic request failed");
    return reply.code(r.statusCode).headers(r.headers).send(r.body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).type("application/json; charset=utf-8").send(JSON.stringify({ error: { message: `No resource at ${request.method} ${request.url.split("?")[0]?.slice(0, 200)}`, code: "not_found" } }));
  });

  const tags = ["Everlytic"];
  const route = (operation: (typeof CustomerOps)[keyof typeof CustomerOps], httpMethod: "GET" | "POST" | "PUT" | "DELETE", url: string, wire: string, status: number, params: (request: FastifyRequest, body: unknown) => Record<string, unknown>) =>
    defineRoute({
      operation,
      method: httpMethod,
      url,
      summary: `Everlytic ${wire}`,
      tags,
      responses: { [status]: null },
      async handler({ ctx, request, body }) {
        const result = (await dispatch(wire, params(request, body), { ctx })) as EverlyticResult;
        const headers: Record<string, string> = status === 201 && "item" in result ? { location: `${BASE}/${String(result.item.id)}` } : {};
        return { status, body: envelope(result), headers };
      },
    });
  const routes: AnyRoute[] = [
    route(CustomerOps.list, "GET", "/customers", "ListCustomers", 200, (r) => {
      const a = listArgs(r.query);
      return { 0: a.page, 1: a.count, 2: a.order, 3: a.direction, 4: a.filter };
    }),
    route(CustomerOps.create, "POST", "/customers", "CreateCustomer", 201, (_r, body) => ({ 0: body ?? {} })),
    route(CustomerOps.get, "GET", "/customers/:id", "GetCustomer", 200, (r) => ({ 0: id(r) })),
    route(CustomerOps.update, "PUT", "/customers/:id", "UpdateCustomer", 200, (r, body) => ({ 0: id(r), 1: body ?? {} })),
    route(CustomerOps.delete, "DELETE", "/customers/:id", "DeleteCustomer", 200, (r) => ({ 0: id(r) })),
  ];
  registerRoutes(app, { authenticate: (request) => everlyticContext(deps.requestAuth, request, "everlytic-rest"), idempotency: deps.idempotency, renderError: (error) => render(error) }, routes);
}

/** The REST routes as the coverage matrix lists them (method and full path, with the operation). */
export const EVERLYTIC_REST_BINDINGS: readonly { method: string; operation: string }[] = [
  { method: `GET ${BASE}`, operation: CustomerOps.list.name },
  { method: `POST ${BASE}`, operation: CustomerOps.create.name },
  { method: `GET ${BASE}/:id`, operation: CustomerOps.get.name },
  { method: `PUT ${BASE}/:id`, operation: CustomerOps.update.name },
  { method: `DELETE ${BASE}/:id`, operation: CustomerOps.delete.name },
];
