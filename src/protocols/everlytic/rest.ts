import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type AppError, validationFailed } from "../../core/errors.js";
import type { Customer } from "../../modules/customers/schema.js";
import type { RequestAuthenticator } from "../shared/auth.js";
import { everlyticContext } from "./auth.js";
import { errorMessage, EVERLYTIC_STATUS } from "./errors.js";
import { encodeCustomer } from "./mapping.js";
import { type CustomerPage, EverlyticCustomers, type EverlyticServices, type ListArgs } from "./methods.js";

export interface EverlyticRestDeps extends EverlyticServices {
  requestAuth: RequestAuthenticator;
  /** Framework errors (bad JSON, oversize body) onto the catalogue; the HTTP server's own mapping. */
  toAppError(error: unknown): AppError;
}

/** Routes are registered under the /api/2.0 prefix; links name the full path. */
const BASE = "/api/2.0/customers";
const ROUTE = "/customers";

const item = (c: Customer) => ({ item: encodeCustomer(c), links: { self: `${BASE}/${c.id}` } });

function collection(p: CustomerPage) {
  const at = (page: number) => `${BASE}?page=${page}&count=${p.count}`;
  const last = Math.max(1, Math.ceil(p.total / p.count));
  const links: Record<string, string> = { self: at(p.page), first: at(1), last: at(last) };
  if (p.page > 1) links.prev = at(Math.min(p.page - 1, last));
  if (p.page < last) links.next = at(p.page + 1);
  return { collection: p.items, links };
}

const LIST_PARAMS = new Set(["page", "count", "order", "direction"]);
const FILTER_PARAM = /^filter\[([^\]]+)\]$/;

/** page, count, order, direction and filter[property]=value from the query string. */
function listArgs(query: Record<string, unknown>): ListArgs {
  const args: ListArgs = {};
  const filter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const v = Array.isArray(value) ? value[value.length - 1] : value;
    const f = FILTER_PARAM.exec(key);
    if (f?.[1]) filter[f[1]] = v;
    else if (LIST_PARAMS.has(key)) (args as Record<string, unknown>)[key] = v;
    else throw validationFailed([{ field: key, code: "not_allowed", message: `Unknown query parameter "${key}"; use page, count, order, direction, filter[property]` }]);
  }
  if (Object.keys(filter).length > 0) args.filter = filter;
  return args;
}

/**
 * Everlytic's REST customers API (seed 004; protocols.md §5): GET/POST /api/2.0/customers,
 * GET/PUT/DELETE /api/2.0/customers/:id. Answers `{item, links}` / `{collection, links}`,
 * errors `{"error": {"message"}}` with the status of errors.ts.
 */
export async function everlyticRestPlugin(app: FastifyInstance, deps: EverlyticRestDeps): Promise<void> {
  const customers = new EverlyticCustomers(deps);
  const ctxOf = (request: FastifyRequest) => everlyticContext(deps.requestAuth, request, "everlytic-rest");
  const id = (request: FastifyRequest) => (request.params as { id: string }).id;
  const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type("application/json; charset=utf-8").send(JSON.stringify(body));

  app.setErrorHandler((error, request, reply) => {
    const e = deps.toAppError(error);
    if (e.code === "internal") request.log.error({ err: error, requestId: request.id }, "unhandled error");
    if (e.code === "unauthenticated") reply.header("www-authenticate", 'Basic realm="Everlytic API"');
    if (e.retryAfter !== undefined) reply.header("retry-after", String(e.retryAfter));
    const body: { error: Record<string, unknown> } = { error: { message: errorMessage(e.message, e.issues), code: e.code } };
    if (e.issues.length > 0) body.error.fields = e.issues;
    return json(reply, EVERLYTIC_STATUS[e.code], body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).type("application/json; charset=utf-8").send(JSON.stringify({ error: { message: `No resource at ${request.method} ${request.url.split("?")[0]}`, code: "not_found" } }));
  });

  app.get(ROUTE, async (request, reply) => json(reply, 200, collection(await customers.list(await ctxOf(request), listArgs(request.query as Record<string, unknown>)))));
  app.post(ROUTE, async (request, reply) => {
    const c = await customers.create(await ctxOf(request), request.body ?? {});
    reply.header("location", `${BASE}/${c.id}`);
    return json(reply, 201, item(c));
  });
  app.get(`${ROUTE}/:id`, async (request, reply) => json(reply, 200, item(await customers.get(await ctxOf(request), id(request)))));
  app.put(`${ROUTE}/:id`, async (request, reply) => json(reply, 200, item(await customers.update(await ctxOf(request), id(request), request.body ?? {}))));
  app.delete(`${ROUTE}/:id`, async (request, reply) => json(reply, 200, item(await customers.delete(await ctxOf(request), id(request)))));
}
