import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { type ApiKeyCommandDeps, ApiKeyCommands } from "../../modules/auth/commands.js";
import { ApiKeyOps } from "../../modules/auth/operations.js";
import { aclEntrySchema, aclInputSchema, aclPatchSchema, apiKeyCreateSchema, apiKeySchema, apiKeyUpdateSchema, issuedApiKeySchema } from "../../modules/auth/schema.js";
import type { RateState } from "../../modules/ratelimit/service.js";
import { type AnyRoute, defineRoute } from "./route.js";

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const keyParams = z.object({ id });
const aclParams = z.object({ id, entry: id });
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  starting_after: id.optional().describe("Cursor: next_cursor of the previous page"),
  principal_kind: z.enum(["operator", "reseller", "customer"]).optional(),
  principal_id: id.optional(),
  include_revoked: bool.optional().describe("Also list revoked keys"),
});
const listOut = z.object({ object: z.literal("list"), data: z.array(apiKeySchema), has_more: z.boolean(), next_cursor: z.string().nullable() });
const aclListOut = z.object({ object: z.literal("list"), data: z.array(aclEntrySchema) });

export function apiKeyRoutes(commands: CommandRunner<ApiKeyCommandDeps>): AnyRoute[] {
  const tags = ["API keys"];
  return [
    defineRoute({
      operation: ApiKeyOps.create,
      method: "POST",
      url: "/v1/api-keys",
      summary: "Create an API key; the secret is in this response only",
      tags,
      body: apiKeyCreateSchema,
      responses: { 201: issuedApiKeySchema },
      idempotent: true,
      secrets: { fields: ["secret"] },
      async handler({ ctx, body }) {
        const k = await commands.execute(ApiKeyCommands.create, ctx, body, undefined);
        return { status: 201, body: k, headers: { location: `/v1/api-keys/${k.id}`, "cache-control": "no-store" } };
      },
    }),
    defineRoute({
      operation: ApiKeyOps.list,
      method: "GET",
      url: "/v1/api-keys",
      summary: "List API keys you can manage (never their secrets)",
      tags,
      query: listQuery,
      responses: { 200: listOut },
      async handler({ ctx, query }) {
        const q = { limit: query.limit, includeRevoked: query.include_revoked ?? false, startingAfter: query.starting_after, principalKind: query.principal_kind, principalId: query.principal_id };
        return { status: 200, body: { object: "list", ...(await commands.execute(ApiKeyCommands.list, ctx, q, undefined)) } };
      },
    }),
    defineRoute({
      operation: ApiKeyOps.get,
      method: "GET",
      url: "/v1/api-keys/:id",
      summary: "Get an API key",
      tags,
      params: keyParams,
      responses: { 200: apiKeySchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(ApiKeyCommands.get, ctx, {}, { keyId: params.id }) };
      },
    }),
    defineRoute({
      operation: ApiKeyOps.update,
      method: "PATCH",
      url: "/v1/api-keys/:id",
      summary: "Rename a key, replace its roles or change its expiry",
      tags,
      params: keyParams,
      body: apiKeyUpdateSchema,
      responses: { 200: apiKeySchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(ApiKeyCommands.update, ctx, body, { keyId: params.id }) };
      },
    }),
    defineRoute({
      operation: ApiKeyOps.revoke,
      method: "DELETE",
      url: "/v1/api-keys/:id",
      summary: "Revoke an API key (it stops working at once)",
      tags,
      params: keyParams,
      responses: { 200: apiKeySchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(ApiKeyCommands.revoke, ctx, {}, { keyId: params.id }) };
      },
    }),
    defineRoute({
      operation: ApiKeyOps.aclList,
      method: "GET",
      url: "/v1/api-keys/:id/acl",
      summary: "List the key's IP allow list (empty: any address)",
      tags,
      params: keyParams,
      responses: { 200: aclListOut },
      async handler({ ctx, params }) {
        return { status: 200, body: { object: "list", data: await commands.execute(ApiKeyCommands.aclList, ctx, {}, { keyId: params.id }) } };
      },
    }),
    defineRoute({
      operation: ApiKeyOps.aclCreate,
      method: "POST",
      url: "/v1/api-keys/:id/acl",
      summary: "Allow an IPv4/IPv6 address or CIDR range",
      tags,
      params: keyParams,
      body: aclInputSchema,
      responses: { 201: aclEntrySchema },
      idempotent: true,
      async handler({ ctx, params, body }) {
        return { status: 201, body: await commands.execute(ApiKeyCommands.aclCreate, ctx, body, { keyId: params.id }) };
      },
    }),
    defineRoute({
      operation: ApiKeyOps.aclUpdate,
      method: "PATCH",
      url: "/v1/api-keys/:id/acl/:entry",
      summary: "Change an allow-list entry",
      tags,
      params: aclParams,
      body: aclPatchSchema,
      responses: { 200: aclEntrySchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(ApiKeyCommands.keyAclUpdate, ctx, body, { keyId: params.id, entryId: params.entry }) };
      },
    }),
    defineRoute({
      operation: ApiKeyOps.aclDelete,
      method: "DELETE",
      url: "/v1/api-keys/:id/acl/:entry",
      summary: "Remove an allow-list entry",
      tags,
      params: aclParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(ApiKeyCommands.keyAclDelete, ctx, {}, { keyId: params.id, entryId: params.entry });
        return { status: 204 };
      },
    }),
  ];
}

declare module "fastify" {
  interface FastifyRequest {
    /** The API key's rate-limit standing, set during authentication; sent as X-RateLimit-* headers. */
    rateLimit?: RateState;
  }
}
