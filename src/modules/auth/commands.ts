import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import type { CustomerService } from "../customers/service.js";
import type { ApiKeyService } from "./apikeys.js";
import { ApiKeyOps, RoleOps } from "./operations.js";
import { aclInputSchema, aclPatchSchema, apiKeyCreateSchema, apiKeyUpdateSchema } from "./schema.js";

export interface ApiKeyCommandDeps {
  keys: ApiKeyService;
  customers: CustomerService;
}

/** The key a command acts on. */
export interface KeyTarget {
  keyId: number;
}

/** The ACL entry a command acts on (its key is found from it). */
export interface AclTarget {
  entryId: number;
}

/** An ACL entry named together with its key: refused as not_found when the entry is another key's. */
export interface KeyAclTarget {
  keyId: number;
  entryId: number;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const keyListSchema = z.strictObject({
  limit: z.number().int().min(1).max(100),
  startingAfter: id.optional(),
  principalKind: z.enum(["operator", "reseller", "customer"]).optional(),
  principalId: id.optional(),
  includeRevoked: z.boolean(),
});

const prefixLength = z.number().int().min(0).max(128).describe("CIDR prefix length; with `address` it forms the range address/prefix_length");

/** An address and a separate prefix length (a protocol that sends them apart) read as one range. */
const withPrefix = (address: string, prefix: number | undefined): string => (prefix === undefined || address.includes("/") ? address : `${address}/${prefix}`);

export const aclCreateCommandSchema = aclInputSchema.extend({ prefix_length: prefixLength.optional() });
export const aclUpdateCommandSchema = aclPatchSchema.extend({ prefix_length: prefixLength.optional() });

const nothing = z.strictObject({});

export const ApiKeyCommands = {
  create: defineCommand({
    operation: ApiKeyOps.create,
    input: apiKeyCreateSchema,
    errors: ["not_found"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, input }) => keys.create(ctx, input),
  }),
  /** A key for one customer: a customer the caller cannot see is not_found. */
  createForCustomer: defineCommand({
    operation: ApiKeyOps.create,
    input: apiKeyCreateSchema.omit({ principal: true }),
    errors: ["not_found"],
    async run({ keys, customers }: ApiKeyCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof apiKeyCreateSchema>; target: { ref: string } }) {
      const customer = await customers.get(ctx, target.ref);
      return keys.create(ctx, { ...input, principal: { kind: "customer", id: customer.id } });
    },
  }),
  list: defineCommand({
    operation: ApiKeyOps.list,
    input: keyListSchema,
    errors: [],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, input }) => keys.list(ctx, definedOnly(input)),
  }),
  get: defineCommand({
    operation: ApiKeyOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, target }: { ctx: Context; target: KeyTarget }) => keys.get(ctx, target.keyId),
  }),
  update: defineCommand({
    operation: ApiKeyOps.update,
    input: apiKeyUpdateSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof apiKeyUpdateSchema>; target: KeyTarget }) => keys.update(ctx, target.keyId, input),
  }),
  revoke: defineCommand({
    operation: ApiKeyOps.revoke,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, target }: { ctx: Context; target: KeyTarget }) => keys.revoke(ctx, target.keyId),
  }),
  aclList: defineCommand({
    operation: ApiKeyOps.aclList,
    input: nothing,
    errors: ["not_found"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, target }: { ctx: Context; target: KeyTarget }) => keys.listAcl(ctx, target.keyId),
  }),
  aclCreate: defineCommand({
    operation: ApiKeyOps.aclCreate,
    input: aclCreateCommandSchema,
    errors: ["not_found", "conflict"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof aclCreateCommandSchema>; target: KeyTarget }) =>
      keys.createAcl(ctx, target.keyId, { address: withPrefix(input.address, input.prefix_length), description: input.description }),
  }),
  aclUpdate: defineCommand({
    operation: ApiKeyOps.aclUpdate,
    input: aclUpdateCommandSchema,
    errors: ["not_found", "conflict"],
    async run({ keys }: ApiKeyCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof aclUpdateCommandSchema>; target: AclTarget }) {
      const keyId = await keys.keyOfAclEntry(target.entryId);
      const patch: { address?: string; description?: string } = {};
      if (input.description !== undefined) patch.description = input.description;
      if (input.address !== undefined || input.prefix_length !== undefined) {
        // Only one half given: the other half is the entry's current one (a key the caller cannot see answers not_found).
        const current = (await keys.listAcl(ctx, keyId)).find((e) => e.id === target.entryId);
        const [curAddress = "", curPrefix] = (current?.address ?? "").split("/");
        const prefix = input.prefix_length ?? (input.address?.includes("/") ? undefined : curPrefix === undefined ? undefined : Number(curPrefix));
        patch.address = withPrefix(input.address ?? curAddress, prefix);
      }
      return keys.updateAcl(ctx, keyId, target.entryId, patch);
    },
  }),
  aclDelete: defineCommand({
    operation: ApiKeyOps.aclDelete,
    input: nothing,
    errors: ["not_found"],
    async run({ keys }: ApiKeyCommandDeps, { ctx, target }: { ctx: Context; target: AclTarget }) {
      await keys.deleteAcl(ctx, await keys.keyOfAclEntry(target.entryId), target.entryId);
    },
  }),
  /** A customer's keys, revoked ones too, each with its allow list (the console's customer page). */
  listForCustomer: defineCommand({
    operation: ApiKeyOps.list,
    input: nothing,
    errors: ["not_found"],
    async run({ keys, customers }: ApiKeyCommandDeps, { ctx, target }: { ctx: Context; target: { ref: string } }) {
      const customer = await customers.get(ctx, target.ref);
      const page = await keys.list(ctx, { limit: 100, includeRevoked: true, principalKind: "customer", principalId: customer.id });
      return { data: await Promise.all(page.data.map(async (k) => ({ ...k, acl: await keys.listAcl(ctx, k.id) }))) };
    },
  }),
  /** An entry's address or description, replaced as given (no prefix is carried over). */
  keyAclUpdate: defineCommand({
    operation: ApiKeyOps.aclUpdate,
    input: aclPatchSchema,
    errors: ["not_found", "conflict"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof aclPatchSchema>; target: KeyAclTarget }) => keys.updateAcl(ctx, target.keyId, target.entryId, input),
  }),
  keyAclDelete: defineCommand({
    operation: ApiKeyOps.aclDelete,
    input: nothing,
    errors: ["not_found"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, target }: { ctx: Context; target: KeyAclTarget }) => keys.deleteAcl(ctx, target.keyId, target.entryId),
  }),
} as const;

export const RoleCommands = {
  list: defineCommand({
    operation: RoleOps.list,
    input: nothing,
    errors: [],
    run: async ({ keys }: ApiKeyCommandDeps, { ctx }) => keys.listRoles(ctx),
  }),
} as const;

/** Drops keys whose value is undefined (optional fields are absent, not undefined, in the service's query types). */
function definedOnly<T extends object>(input: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
