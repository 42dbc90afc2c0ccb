import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import { ProvisioningOps } from "../provisioning/operations.js";
import type { ProvisioningService } from "../provisioning/service.js";
import { type ProvisionedKind, statusUpdateSchema } from "../provisioning/status.js";
import type { CustomerTarget, ObjectTarget } from "../provisioning/targets.js";
import { CatalogueOps, SiteOps } from "./operations.js";
import { containerTypeCreateSchema, osImageCreateSchema, wizardSchema } from "./schema.js";
import type { SiteService } from "./service.js";

export interface SiteDeps {
  hosting: { sites: SiteService; provisioning: ProvisioningService };
}
const nothing = z.strictObject({});
const pageInput = z.strictObject({ limit: z.number().int().min(1).max(100).default(25), starting_after: z.number().int().positive().optional() });

/** The site wizard, the site objects it makes, the catalogue it draws on, and status reports. */
export const SiteCommands = {
  wizard: defineCommand({
    operation: SiteOps.wizard,
    input: wizardSchema,
    errors: ["not_found", "conflict", "invalid_state_transition"],
    run: ({ hosting }: SiteDeps, { ctx, input, target }: CommandCall<z.output<typeof wizardSchema>, CustomerTarget>) => hosting.sites.wizard(ctx, target.ref, input),
  }),
  get: defineCommand({
    operation: SiteOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: SiteDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.sites.get(ctx, target.id),
  }),
  list: defineCommand({
    operation: SiteOps.list,
    input: pageInput,
    errors: ["not_found"],
    run: ({ hosting }: SiteDeps, { ctx, input, target }: CommandCall<z.output<typeof pageInput>, CustomerTarget>) => hosting.sites.list(ctx, target.ref, input.limit, input.starting_after),
  }),
  delete: defineCommand({
    operation: SiteOps.delete,
    input: nothing,
    errors: ["not_found", "precondition_failed"],
    run: ({ hosting }: SiteDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.sites.delete(ctx, target.id, target.expectedVersion),
  }),
  setStatus: defineCommand({
    operation: ProvisioningOps.setStatus,
    input: statusUpdateSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ hosting }: SiteDeps, { ctx, input, target }: CommandCall<z.output<typeof statusUpdateSchema>, ObjectTarget & { kind: ProvisionedKind }>) => hosting.provisioning.setStatus(ctx, target.kind, target.id, input),
  }),
  createContainerType: defineCommand({ operation: CatalogueOps.containerTypeCreate, input: containerTypeCreateSchema, errors: ["conflict"], run: ({ hosting }: SiteDeps, { ctx, input }) => hosting.sites.createContainerType(ctx, input) }),
  listContainerTypes: defineCommand({ operation: CatalogueOps.containerTypeList, input: nothing, errors: [], run: ({ hosting }: SiteDeps, { ctx }) => hosting.sites.listContainerTypes(ctx) }),
  deleteContainerType: defineCommand({
    operation: CatalogueOps.containerTypeDelete,
    input: nothing,
    errors: ["not_found", "conflict"],
    run: ({ hosting }: SiteDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.sites.deleteContainerType(ctx, target.id),
  }),
  createOsImage: defineCommand({ operation: CatalogueOps.osCreate, input: osImageCreateSchema, errors: ["conflict"], run: ({ hosting }: SiteDeps, { ctx, input }) => hosting.sites.createOsImage(ctx, input) }),
  listOsImages: defineCommand({ operation: CatalogueOps.osList, input: nothing, errors: [], run: ({ hosting }: SiteDeps, { ctx }) => hosting.sites.listOsImages(ctx) }),
  deleteOsImage: defineCommand({
    operation: CatalogueOps.osDelete,
    input: nothing,
    errors: ["not_found", "conflict"],
    run: ({ hosting }: SiteDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.sites.deleteOsImage(ctx, target.id),
  }),
} as const;
