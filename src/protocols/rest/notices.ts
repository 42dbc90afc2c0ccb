import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { NoticeCommands, type NoticeDeps } from "../../modules/notices/commands.js";
import { NoticeOps } from "../../modules/notices/operations.js";
import { noticeCreateSchema, noticePatchSchema, noticeSchema } from "../../modules/notices/schema.js";
import { customerRef, etagOf, idParams, ifMatchVersion, withVersion, objectId, pageOf, pageQuery, refParams } from "./hosting-common.js";
import { type AnyRoute, defineRoute } from "./route.js";

const sinceParam = z
  .string()
  .max(40)
  .transform((v, c) => {
    const n = /^\d{1,12}$/.test(v) ? Number(v) : Date.parse(v) / 1000;
    if (!Number.isFinite(n) || n < 0) {
      c.addIssue({ code: "custom", message: "must be Unix time in seconds or an ISO 8601 time", params: { code: "invalid_format" } });
      return z.NEVER;
    }
    return Math.floor(n);
  })
  .describe("Leave out notices not created or updated since then: Unix seconds or ISO 8601");

export function noticeRoutes(commands: CommandRunner<NoticeDeps>): AnyRoute[] {
  const tags = ["Notices"];
  return [
    defineRoute({
      operation: NoticeOps.create,
      method: "POST",
      url: "/v1/notices",
      summary: "Publish a notice to one customer, or to all (customer_id null, operators)",
      tags,
      body: noticeCreateSchema,
      responses: { 201: noticeSchema },
      idempotent: true,
      async handler({ ctx, body }) {
        const n = await commands.execute(NoticeCommands.create, ctx, body, undefined);
        return { status: 201, body: n, headers: { location: `/v1/notices/${n.id}`, etag: etagOf(n.version) } };
      },
    }),
    defineRoute({
      operation: NoticeOps.get,
      method: "GET",
      url: "/v1/notices/:id",
      summary: "Read a notice",
      tags,
      params: idParams,
      responses: { 200: noticeSchema, 304: null },
      responseHeaders: { ETag: "The notice's version; send it back in If-Match" },
      async handler({ ctx, params, request }) {
        const n = await commands.execute(NoticeCommands.get, ctx, {}, { id: params.id });
        const etag = etagOf(n.version);
        if (request.headers["if-none-match"] === etag) return { status: 304, headers: { etag } };
        return { status: 200, body: n, headers: { etag } };
      },
    }),
    defineRoute({
      operation: NoticeOps.update,
      method: "PATCH",
      url: "/v1/notices/:id",
      summary: "Change a notice (it then counts as new for listNotices since)",
      tags,
      params: idParams,
      body: noticePatchSchema,
      responses: { 200: noticeSchema },
      async handler({ ctx, params, body, request }) {
        const n = await commands.execute(NoticeCommands.update, ctx, body ?? {}, withVersion(params.id, ifMatchVersion(request.headers["if-match"])));
        return { status: 200, body: n, headers: { etag: etagOf(n.version) } };
      },
    }),
    defineRoute({
      operation: NoticeOps.delete,
      method: "DELETE",
      url: "/v1/notices/:id",
      summary: "Withdraw a notice",
      tags,
      params: idParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(NoticeCommands.delete, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: NoticeOps.list,
      method: "GET",
      url: "/v1/customers/:ref/notices",
      summary: "The customer's notices and the global ones, with its acknowledgements (Stackable listNotices)",
      tags,
      params: refParams,
      query: z.strictObject({ since: sinceParam.optional(), ...pageQuery }),
      responses: { 200: pageOf(noticeSchema) },
      async handler({ ctx, params, query }) {
        const page = await commands.execute(NoticeCommands.listNotices, ctx, { limit: query.limit, ...(query.since === undefined ? {} : { since: query.since }), ...(query.starting_after === undefined ? {} : { starting_after: query.starting_after }) }, { ref: params.ref });
        return { status: 200, body: { object: "list", ...page } };
      },
    }),
    defineRoute({
      operation: NoticeOps.acknowledge,
      method: "POST",
      url: "/v1/customers/:ref/notices/:id/acknowledge",
      summary: "Acknowledge a notice for this customer (Stackable acknowledgeNotice)",
      description: "Acknowledging again changes nothing; a global notice stays unacknowledged for other customers.",
      tags,
      params: z.object({ ref: customerRef, id: objectId }),
      responses: { 200: noticeSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(NoticeCommands.acknowledgeNotice, ctx, {}, { ref: params.ref, noticeId: params.id }) };
      },
    }),
  ];
}
