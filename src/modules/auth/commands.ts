import { z } from "zod";
import { defineCommand } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import type { CustomerService } from "../customers/service.js";
import type { ApiKeyService } from "./apikeys.js";
import { ApiKeyOps } from "./operations.js";
import { aclInputSchema, aclPatchSchema, apiKeyCreateSchema } from "./schema.js";

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

const prefixLength = z.number().int().min(0).max(128).describe("CIDR prefix length; with `address` it forms the range address/prefix_length");

/** An address and a separate prefix length (Stackable's address + cidr) read as one range. */
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
  /** A key for one customer (Stackable createKey): a customer the caller cannot see is not_found. */
  createForCustomer: defineCommand({
    operation: ApiKeyOps.create,
    input: apiKeyCreateSchema.omit({ principal: true }),
    errors: ["not_found"],
    async run({ keys, customers }: ApiKeyCommandDeps, { ctx, input, target }: { ctx: Context; input: z.output<typeof apiKeyCreateSchema>; target: { ref: string } }) {
      const customer = await customers.get(ctx, target.ref);
      return keys.create(ctx, { ...input, principal: { kind: "customer", id: customer.id } });
    },
  }),
  revoke: defineCommand({
    operation: ApiKeyOps.revoke,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ keys }: ApiKeyCommandDeps, { ctx, target }: { ctx: Context; target: KeyTarget }) => keys.revoke(ctx, target.keyId),
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
} as const;
