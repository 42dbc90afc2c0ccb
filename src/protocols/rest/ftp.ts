import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { FtpCommands, type FtpDeps } from "../../modules/ftp/commands.js";
import { FtpOps } from "../../modules/ftp/operations.js";
import { ftpUserCreateSchema, ftpUserPatchSchema, ftpUserSchema } from "../../modules/ftp/schema.js";
import { etagOf, idParams, ifMatchVersion, withVersion, objectId, pageOf, pageQuery, refParams } from "./hosting-common.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function ftpRoutes(commands: CommandRunner<FtpDeps>): AnyRoute[] {
  const tags = ["FTP users"];
  return [
    defineRoute({
      operation: FtpOps.create,
      method: "POST",
      url: "/v1/customers/:ref/ftp-users",
      summary: "Create an FTP user (Stackable createFTPUser)",
      description: "The password is stored as an argon2id hash and never returned. 409 when the customer's `ftps` quota is reached.",
      tags,
      params: refParams,
      body: ftpUserCreateSchema,
      responses: { 201: ftpUserSchema },
      idempotent: true,
      async handler({ ctx, params, body }) {
        const u = await commands.execute(FtpCommands.createFTPUser, ctx, body, { ref: params.ref });
        return { status: 201, body: u, headers: { location: `/v1/ftp-users/${u.id}`, etag: etagOf(u.version) } };
      },
    }),
    defineRoute({
      operation: FtpOps.list,
      method: "GET",
      url: "/v1/customers/:ref/ftp-users",
      summary: "List FTP users, optionally of one site or environment (Stackable listFTPUsers)",
      tags,
      params: refParams,
      query: z.strictObject({ site_id: objectId.optional(), environment_id: objectId.optional(), ...pageQuery }),
      responses: { 200: pageOf(ftpUserSchema) },
      async handler({ ctx, params, query }) {
        const input: Record<string, number> = { limit: query.limit };
        if (query.site_id !== undefined) input.site_id = query.site_id;
        if (query.environment_id !== undefined) input.environment_id = query.environment_id;
        if (query.starting_after !== undefined) input.starting_after = query.starting_after;
        return { status: 200, body: { object: "list", ...(await commands.execute(FtpCommands.listFTPUsers, ctx, input, { ref: params.ref })) } };
      },
    }),
    defineRoute({
      operation: FtpOps.get,
      method: "GET",
      url: "/v1/ftp-users/:id",
      summary: "Read an FTP user",
      tags,
      params: idParams,
      responses: { 200: ftpUserSchema, 304: null },
      responseHeaders: { ETag: "The FTP user's version; send it back in If-Match" },
      async handler({ ctx, params, request }) {
        const u = await commands.execute(FtpCommands.get, ctx, {}, { id: params.id });
        const etag = etagOf(u.version);
        if (request.headers["if-none-match"] === etag) return { status: 304, headers: { etag } };
        return { status: 200, body: u, headers: { etag } };
      },
    }),
    defineRoute({
      operation: FtpOps.update,
      method: "PATCH",
      url: "/v1/ftp-users/:id",
      summary: "Change an FTP user (Stackable updateFTPUser)",
      tags,
      params: idParams,
      body: ftpUserPatchSchema,
      responses: { 200: ftpUserSchema },
      async handler({ ctx, params, body, request }) {
        const u = await commands.execute(FtpCommands.updateFTPUser, ctx, body ?? {}, withVersion(params.id, ifMatchVersion(request.headers["if-match"])));
        return { status: 200, body: u, headers: { etag: etagOf(u.version) } };
      },
    }),
    defineRoute({
      operation: FtpOps.delete,
      method: "DELETE",
      url: "/v1/ftp-users/:id",
      summary: "Delete an FTP user (Stackable destroyFTPUser)",
      tags,
      params: idParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(FtpCommands.destroyFTPUser, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
  ];
}
