import type { FastifyRequest } from "fastify";
import type { CommandRunner } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { AppError, type FieldIssue, validationFailed } from "../../core/errors.js";
import type { AccountCredentialService } from "../../modules/credentials/accounts.js";
import { CustomerCommands, type CustomerCommandDeps } from "../../modules/customers/commands.js";
import { CustomerOps } from "../../modules/customers/operations.js";
import type { IdempotencyService } from "../../modules/idempotency/service.js";
import { requestMeta } from "../kit/context.js";
import { type AnyRoute, defineRoute } from "../rest/route.js";
import type { AuthMeta } from "../shared/auth.js";
import { decodeCustomer, decodeListQuery, encodeCustomer, flag, IMMUTABLE_ON_UPDATE } from "./fields.js";
import { createOut, getOut, handleParams, listOut, loginOut, successOut } from "./schema.js";

export interface OpenproviderDeps {
  commands: CommandRunner<CustomerCommandDeps>;
  logins: Pick<AccountCredentialService, "login">;
  idempotency: IdempotencyService;
  /** Bearer token (account session or API key) -> context; the shared authenticator. */
  withBearer(token: string, meta: AuthMeta): Promise<Context>;
}

export const OPENPROVIDER_PREFIX = "/v1beta";
export const PROTOCOL = "openprovider";
const TAGS = ["Openprovider"];
/** Handles are `XX123456-XX`; anything else cannot name a customer and answers as a missing one. */
const HANDLE_PARAM = /^[A-Za-z0-9-]{1,32}$/;

type Json = Record<string, unknown>;

export const meta = (request: FastifyRequest): AuthMeta => requestMeta(request, PROTOCOL);

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
export function openproviderRoutes(deps: Pick<OpenproviderDeps, "commands" | "logins">): AnyRoute[] {
  const { commands, logins } = deps;
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
        const page = await commands.execute(CustomerCommands.list, ctx, list.query, undefined);
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
        const c = await commands.execute(CustomerCommands.create, ctx, decodeCustomer(asObject(body), "create"), undefined);
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
        const c = await commands.execute(CustomerCommands.get, ctx, {}, { ref: handleRef(params.handle) });
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
        await commands.execute(CustomerCommands.update, ctx, decodeCustomer(asObject(body), "update"), { ref: handleRef(params.handle), unchangeable: IMMUTABLE_ON_UPDATE });
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
        await commands.execute(CustomerCommands.delete, ctx, {}, { ref: handleRef(params.handle) });
        return { status: 200, body: { code: 0, desc: "", data: { success: true } } };
      },
    }),
  ];
}

