import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { ProvisioningOps } from "../../modules/provisioning/operations.js";
import { PROVISIONED_KINDS, statusSchema, statusUpdateSchema } from "../../modules/provisioning/status.js";
import { CatalogueOps, SiteOps } from "../../modules/sites/operations.js";
import { containerTypeCreateSchema, containerTypeSchema, osImageCreateSchema, osImageSchema, siteSchema, wizardSchema } from "../../modules/sites/schema.js";
import { SiteCommands, type SiteDeps } from "../../modules/sites/commands.js";
import { etagOf, idParams, ifMatchVersion, withVersion, listOf, objectId, pageOf, pageQuery, refParams } from "./hosting-common.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function siteRoutes(commands: CommandRunner<SiteDeps>): AnyRoute[] {
  const tags = ["Sites"];
  return [
    defineRoute({
      operation: SiteOps.wizard,
      method: "POST",
      url: "/v1/customers/:ref/sites",
      summary: "Create a site with its environments, a container and optionally DNS records (Stackable CP_Wizard)",
      description: "All parts are created in one transaction: either all exist afterwards or none. Send an Idempotency-Key to retry safely; `Prefer: return=dry-run` checks everything and shows the site without creating it.",
      tags,
      params: refParams,
      body: wizardSchema,
      responses: { 201: siteSchema },
      idempotent: true,
      dryRun: true,
      async handler({ ctx, params, body, dryRun }) {
        const site = await commands.execute(SiteCommands.wizard, ctx, body, { ref: params.ref }, { dryRun });
        return { status: 201, body: site, headers: { location: `/v1/sites/${site.id}`, etag: etagOf(site.version) } };
      },
    }),
    defineRoute({
      operation: SiteOps.list,
      method: "GET",
      url: "/v1/customers/:ref/sites",
      summary: "List the customer's sites",
      tags,
      params: refParams,
      query: z.strictObject(pageQuery),
      responses: { 200: pageOf(siteSchema) },
      async handler({ ctx, params, query }) {
        return { status: 200, body: { object: "list", ...(await commands.execute(SiteCommands.list, ctx, { limit: query.limit, ...(query.starting_after === undefined ? {} : { starting_after: query.starting_after }) }, { ref: params.ref })) } };
      },
    }),
    defineRoute({
      operation: SiteOps.get,
      method: "GET",
      url: "/v1/sites/:id",
      summary: "Read a site with its environments, containers and DNS records",
      tags,
      params: idParams,
      responses: { 200: siteSchema, 304: null },
      responseHeaders: { ETag: "The site's version; send it back in If-Match" },
      async handler({ ctx, params, request }) {
        const site = await commands.execute(SiteCommands.get, ctx, {}, { id: params.id });
        const etag = etagOf(site.version);
        if (request.headers["if-none-match"] === etag) return { status: 304, headers: { etag } };
        return { status: 200, body: site, headers: { etag } };
      },
    }),
    defineRoute({
      operation: SiteOps.delete,
      method: "DELETE",
      url: "/v1/sites/:id",
      summary: "Delete a site",
      description: "204 when the site is gone (nothing was provisioned yet, or an operator confirms a deletion); 202 with the site marked `deleting` while the provisioning system tears it down.",
      tags,
      params: idParams,
      responses: { 202: siteSchema, 204: null },
      async handler({ ctx, params, request }) {
        const site = await commands.execute(SiteCommands.delete, ctx, {}, withVersion(params.id, ifMatchVersion(request.headers["if-match"])));
        return site === null ? { status: 204 } : { status: 202, body: site };
      },
    }),
    defineRoute({
      operation: ProvisioningOps.setStatus,
      method: "PUT",
      url: "/v1/provisioning/:kind/:id/status",
      summary: "Report the provisioning status of a site, environment, container or FTP user (operators)",
      tags: ["Provisioning"],
      params: z.object({ kind: z.enum(PROVISIONED_KINDS), id: objectId }),
      body: statusUpdateSchema,
      responses: { 200: z.object({ kind: z.enum(PROVISIONED_KINDS), id: z.number().int(), ...statusSchema.shape }) },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(SiteCommands.setStatus, ctx, body, { kind: params.kind, id: params.id }) };
      },
    }),
    defineRoute({
      operation: CatalogueOps.containerTypeCreate,
      method: "POST",
      url: "/v1/container-types",
      summary: "Add a container type (operators)",
      tags: ["Catalogue"],
      body: containerTypeCreateSchema,
      responses: { 201: containerTypeSchema },
      idempotent: true,
      async handler({ ctx, body }) {
        return { status: 201, body: await commands.execute(SiteCommands.createContainerType, ctx, body, undefined) };
      },
    }),
    defineRoute({
      operation: CatalogueOps.containerTypeList,
      method: "GET",
      url: "/v1/container-types",
      summary: "List container types",
      tags: ["Catalogue"],
      responses: { 200: listOf(containerTypeSchema) },
      async handler({ ctx }) {
        return { status: 200, body: { object: "list", data: await commands.execute(SiteCommands.listContainerTypes, ctx, {}, undefined) } };
      },
    }),
    defineRoute({
      operation: CatalogueOps.containerTypeDelete,
      method: "DELETE",
      url: "/v1/container-types/:id",
      summary: "Remove an unused container type (operators)",
      tags: ["Catalogue"],
      params: idParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(SiteCommands.deleteContainerType, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: CatalogueOps.osCreate,
      method: "POST",
      url: "/v1/os-images",
      summary: "Add an operating-system image (operators)",
      tags: ["Catalogue"],
      body: osImageCreateSchema,
      responses: { 201: osImageSchema },
      idempotent: true,
      async handler({ ctx, body }) {
        return { status: 201, body: await commands.execute(SiteCommands.createOsImage, ctx, body, undefined) };
      },
    }),
    defineRoute({
      operation: CatalogueOps.osList,
      method: "GET",
      url: "/v1/os-images",
      summary: "List operating-system images",
      tags: ["Catalogue"],
      responses: { 200: listOf(osImageSchema) },
      async handler({ ctx }) {
        return { status: 200, body: { object: "list", data: await commands.execute(SiteCommands.listOsImages, ctx, {}, undefined) } };
      },
    }),
    defineRoute({
      operation: CatalogueOps.osDelete,
      method: "DELETE",
      url: "/v1/os-images/:id",
      summary: "Remove an unused operating-system image (operators)",
      tags: ["Catalogue"],
      params: idParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(SiteCommands.deleteOsImage, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
  ];
}
