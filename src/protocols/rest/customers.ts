import { z } from "zod";
import { AppError, validationFailed } from "../../core/errors.js";
import type { CommandRunner } from "../../core/commands.js";
import { CustomerCommands, type CustomerCommandDeps } from "../../modules/customers/commands.js";
import { customerCreateSchema, customerMoveSchema, customerPatchSchema, customerSchema, type RawFilter } from "../../modules/customers/schema.js";
import { CustomerOps } from "../../modules/customers/operations.js";
import { defineRoute, type AnyRoute } from "./route.js";

const refParams = z.object({
  ref: z.string().min(1).max(320).describe("Any customer key: id, handle, login, e-mail, or typed as id:, handle:, login:, number:, external:, email:"),
});

const customerOut = customerSchema.meta({ id: "Customer" });
const listOut = z.object({
  object: z.literal("list"),
  data: z.array(customerOut),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
  prev_cursor: z.string().nullable(),
  total: z.number().int().optional(),
});

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25).describe("Page size, 1-100"),
    starting_after: z.string().max(2000).optional().describe("Cursor: the page after this one"),
    ending_before: z.string().max(2000).optional().describe("Cursor: the page before this one"),
    offset: z.coerce.number().int().min(0).max(1_000_000).optional().describe("Skip this many rows (prefer cursors)"),
    sort: z.string().max(200).optional().describe("Comma-separated fields, '-' for descending: -created_at,last_name"),
    include_total: bool.optional().describe("Also count all matching rows"),
    include_deleted: bool.optional().describe("Include tombstones"),
  })
  .catchall(z.union([z.string(), z.array(z.string())]))
  .describe("Filters: filter[field]=value or filter[field][op]=value, op one of eq ne lt lte gt gte prefix like in");

const FILTER_KEY = /^filter\[([^\]]*)\](?:\[([^\]]*)\])?$/;
const KNOWN_QUERY = new Set(["limit", "starting_after", "ending_before", "offset", "sort", "include_total", "include_deleted"]);

/** Decodes filter[field][op]=value query parameters; the service checks fields and operators. */
function decodeFilters(query: Record<string, unknown>): RawFilter[] {
  const out: RawFilter[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (KNOWN_QUERY.has(key)) continue;
    const m = FILTER_KEY.exec(key);
    if (!m) {
      throw new AppError("validation_failed", `Unknown query parameter "${key}"`, { issues: [{ field: `query.${key}`, code: "not_allowed", message: "is not a known parameter; filters are written filter[field][op]=value" }] });
    }
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    for (const v of values) out.push({ field: m[1] ?? "", op: m[2] ?? "eq", value: v });
  }
  return out;
}

const withVersion = (ref: string, expectedVersion: number | undefined) => (expectedVersion === undefined ? { ref } : { ref, expectedVersion });

const etagOf = (version: number) => `"v${version}"`;

/** Reads If-Match: undefined when absent or `*`; the version number otherwise. */
function ifMatchVersion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "*") return undefined;
  const m = /^\s*(?:W\/)?"v(\d+)"\s*$/.exec(value);
  if (!m) throw new AppError("precondition_failed", "If-Match does not match the current ETag");
  return Number(m[1]);
}

/** REST sets credentials on their own routes; PATCH carries profile fields only. */
function profileOnly(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const refused = ["password", "pin"].filter((k) => Object.hasOwn(body, k));
  if (refused.length > 0) throw validationFailed(refused.map((field) => ({ field, code: "not_allowed", message: `Unknown field "${field}"` })));
  return body;
}

export function customerRoutes(commands: CommandRunner<CustomerCommandDeps>): AnyRoute[] {
  const tags = ["Customers"];
  return [
    defineRoute({
      operation: CustomerOps.create,
      method: "POST",
      url: "/v1/customers",
      summary: "Create a customer",
      tags,
      body: customerCreateSchema,
      responses: { 201: customerOut },
      idempotent: true,
      async handler({ ctx, body }) {
        const c = await commands.execute(CustomerCommands.create, ctx, body, undefined);
        return { status: 201, body: c, headers: { etag: etagOf(c.version), location: `/v1/customers/${c.id}` } };
      },
    }),
    defineRoute({
      operation: CustomerOps.list,
      method: "GET",
      url: "/v1/customers",
      summary: "List customers",
      description: "Filter with filter[field][op]=value; sort with sort=-created_at,id; page with limit and starting_after/ending_before cursors or offset.",
      tags,
      query: listQuery,
      responses: { 200: listOut },
      async handler({ ctx, query, request }) {
        const raw = request.query as Record<string, unknown>;
        const q = {
          filters: decodeFilters(raw),
          sort: query.sort,
          limit: query.limit,
          startingAfter: query.starting_after,
          endingBefore: query.ending_before,
          offset: query.offset,
          includeTotal: query.include_total ?? false,
          includeDeleted: query.include_deleted ?? false,
        };
        const page = await commands.execute(CustomerCommands.list, ctx, q, undefined);
        return { status: 200, body: { object: "list", ...page } };
      },
    }),
    defineRoute({
      operation: CustomerOps.count,
      method: "GET",
      url: "/v1/customers/count",
      summary: "Count customers matching filters",
      tags,
      query: listQuery,
      responses: { 200: z.object({ object: z.literal("count"), count: z.number().int() }) },
      async handler({ ctx, query, request }) {
        const raw = request.query as Record<string, unknown>;
        const count = await commands.execute(CustomerCommands.count, ctx, { filters: decodeFilters(raw), includeDeleted: query.include_deleted ?? false }, undefined);
        return { status: 200, body: { object: "count", count } };
      },
    }),
    defineRoute({
      operation: CustomerOps.get,
      method: "GET",
      url: "/v1/customers/:ref",
      summary: "Get a customer by any key",
      tags,
      params: refParams,
      responses: { 200: customerOut, 304: null },
      responseHeaders: { ETag: "The customer's version; send it back in If-Match" },
      async handler({ ctx, params, request }) {
        const c = await commands.execute(CustomerCommands.get, ctx, {}, { ref: params.ref });
        const etag = etagOf(c.version);
        if (request.headers["if-none-match"] === etag) return { status: 304, headers: { etag } };
        return { status: 200, body: c, headers: { etag } };
      },
    }),
    defineRoute({
      operation: CustomerOps.update,
      method: "PATCH",
      url: "/v1/customers/:ref",
      summary: "Update some fields of a customer",
      description: "Send If-Match with the ETag you read to refuse the update (412) if the customer changed meanwhile.",
      tags,
      params: refParams,
      body: customerPatchSchema,
      responses: { 200: customerOut },
      dryRun: true,
      async handler({ ctx, params, body, request, dryRun }) {
        const target = withVersion(params.ref, ifMatchVersion(request.headers["if-match"]));
        const c = await commands.execute(CustomerCommands.update, ctx, profileOnly(body), target, { dryRun });
        return { status: 200, body: c, headers: { etag: etagOf(c.version) } };
      },
    }),
    defineRoute({
      operation: CustomerOps.delete,
      method: "DELETE",
      url: "/v1/customers/:ref",
      summary: "Delete a customer (a tombstone stays, readable with deleted: true)",
      tags,
      params: refParams,
      responses: { 200: customerOut },
      async handler({ ctx, params, request }) {
        const c = await commands.execute(CustomerCommands.delete, ctx, {}, withVersion(params.ref, ifMatchVersion(request.headers["if-match"])));
        return { status: 200, body: c };
      },
    }),
    defineRoute({
      operation: CustomerOps.purge,
      method: "POST",
      url: "/v1/customers/:ref/purge",
      summary: "Remove a customer and everything that belongs to it, for good",
      tags,
      params: refParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(CustomerCommands.purge, ctx, {}, { ref: params.ref });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: CustomerOps.move,
      method: "POST",
      url: "/v1/customers/:ref/move",
      summary: "Move a customer to another owner (operators only)",
      description: "Froxlor Customers.move. Refused with 409 when owner_id already owns the customer.",
      tags,
      params: refParams,
      body: customerMoveSchema,
      responses: { 200: customerOut },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(CustomerCommands.move, ctx, body, { ref: params.ref }) };
      },
    }),
  ];
}
