import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import type { CustomerTarget } from "../customers/commands.js";
import { PackageOps, QuotaOps } from "./operations.js";
import { packageCreateSchema, packageListQuerySchema, packagePatchSchema, quotaDebitSchema } from "./schema.js";
import type { PackageService, QuotaService } from "./service.js";

export interface MessagingCommandDeps {
  packages: PackageService;
  quotas: QuotaService;
}

const nothing = z.strictObject({});

/** The package a command acts on. */
export interface PackageTarget {
  id: number;
}

type Call<I, T> = { ctx: Context; input: I; target: T };

export const PackageCommands = {
  create: defineCommand({
    operation: PackageOps.create,
    input: packageCreateSchema,
    errors: ["conflict"],
    run: ({ packages }: MessagingCommandDeps, { ctx, input }) => packages.create(ctx, input),
  }),
  get: defineCommand({
    operation: PackageOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ packages }: MessagingCommandDeps, { ctx, target }: Call<unknown, PackageTarget>) => packages.get(ctx, target.id),
  }),
  list: defineCommand({
    operation: PackageOps.list,
    input: packageListQuerySchema,
    errors: [],
    run: ({ packages }: MessagingCommandDeps, { ctx, input }) => packages.list(ctx, input),
  }),
  update: defineCommand({
    operation: PackageOps.update,
    input: packagePatchSchema,
    errors: ["not_found", "conflict", "precondition_failed"],
    run: ({ packages }: MessagingCommandDeps, { ctx, input, target }: Call<z.output<typeof packagePatchSchema>, PackageTarget>) => packages.update(ctx, target.id, input),
  }),
  archive: defineCommand({
    operation: PackageOps.archive,
    input: nothing,
    errors: ["not_found", "precondition_failed", "invalid_state_transition"],
    run: ({ packages }: MessagingCommandDeps, { ctx, target }: Call<unknown, PackageTarget>) => packages.archive(ctx, target.id),
  }),
} as const;

export const QuotaCommands = {
  read: defineCommand({
    operation: QuotaOps.read,
    input: nothing,
    errors: ["not_found"],
    run: ({ quotas }: MessagingCommandDeps, { ctx, target }: Call<unknown, CustomerTarget>) => quotas.get(ctx, target.ref),
  }),
  debit: defineCommand({
    operation: QuotaOps.debit,
    input: quotaDebitSchema,
    errors: ["not_found", "conflict", "idempotency_key_reused", "invalid_state_transition", "precondition_failed"],
    run: ({ quotas }: MessagingCommandDeps, { ctx, input, target }: Call<z.output<typeof quotaDebitSchema>, CustomerTarget>) => quotas.debit(ctx, target.ref, input),
  }),
} as const;
