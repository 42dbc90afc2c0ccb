import { createReadStream } from "node:fs";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { anonymousContext } from "../../core/context.js";
import { ExportOps } from "../../modules/exports/operations.js";
import { downloadSchema, exportRequestSchema } from "../../modules/exports/schema.js";
import type { ExportService } from "../../modules/exports/service.js";
import type { CommandRunner } from "../../core/commands.js";
import { ExportCommands, type ExportCommandDeps } from "../../modules/exports/commands.js";
import { requestMeta } from "../kit/context.js";
import { type AnyRoute, defineRoute, REST_PROTOCOL } from "./route.js";

const refParams = z.object({ ref: z.string().min(1).max(320).describe("Any customer key (see GET /v1/customers/{ref})") });
const downloadOut = downloadSchema.meta({ id: "Download" });
const listOut = z.object({ object: z.literal("list"), data: z.array(downloadOut) });
const listQuery = z.object({ type: z.string().min(1).max(64).optional().describe("Only downloads of this type, e.g. gdpr") });

export function exportRoutes(commands: CommandRunner<ExportCommandDeps>): AnyRoute[] {
  const tags = ["Data export"];
  return [
    defineRoute({
      operation: ExportOps.request,
      method: "POST",
      url: "/v1/customers/:ref/exports",
      summary: "Start a GDPR data export",
      description:
        "Creates a download in status pending and builds the archive (JSON files in a zip) in the background. " +
        "Poll GET /v1/customers/{ref}/downloads until it is ready, then fetch GET /v1/downloads/{token}.",
      tags,
      params: refParams,
      body: exportRequestSchema,
      responses: { 202: downloadOut },
      idempotent: true,
      secrets: { fields: ["token"], headers: ["location"] },
      async handler({ ctx, params, body }) {
        const d = await commands.execute(ExportCommands.request, ctx, body ?? {}, { ref: params.ref });
        return { status: 202, body: d, headers: { location: `/v1/downloads/${d.token}` } };
      },
    }),
    defineRoute({
      operation: ExportOps.listDownloads,
      method: "GET",
      url: "/v1/customers/:ref/downloads",
      summary: "List a customer's downloads (newest first)",
      tags,
      params: refParams,
      query: listQuery,
      responses: { 200: listOut },
      async handler({ ctx, params, query }) {
        return { status: 200, body: { object: "list", data: await commands.execute(ExportCommands.listDownloads, ctx, query.type === undefined ? {} : { type: query.type }, { ref: params.ref }) } };
      },
    }),
  ];
}

/**
 * GET /v1/downloads/:token streams the archive. It is a plain route (the body is a file, not
 * JSON) and needs no API key: the token is the credential. Errors use the server's problem form.
 */
export function registerDownloadRoute(app: FastifyInstance, exports: ExportService): void {
  app.get<{ Params: { token: string } }>("/v1/downloads/:token", async (request, reply) => {
    const ctx = anonymousContext(requestMeta(request, REST_PROTOCOL.name));
    const file = await exports.download(ctx, request.params.token);
    reply
      .code(200)
      .header("content-type", "application/zip")
      .header("content-length", String(file.size))
      .header("content-disposition", `attachment; filename="${file.fileName}"`)
      .header("cache-control", "no-store");
    return reply.send(createReadStream(file.path));
  });
}
