import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { CustomerTarget, ObjectTarget } from "../provisioning/targets.js";
import { IpAddressOps, IpPoolOps } from "./operations.js";
import { ipAddressAddSchema, ipPoolCreateSchema } from "./schema.js";
import type { NetworkService } from "./service.js";

export interface NetworkDeps {
  hosting: { network: NetworkService };
}
const nothing = z.strictObject({});
const addressInput = z.strictObject({ address: z.string().min(1).max(64).describe("The address to free") });

/** A customer's addresses (assign, list, free) and the operators' pools. */
export const NetworkCommands = {
  createPool: defineCommand({
    operation: IpPoolOps.create,
    input: ipPoolCreateSchema,
    errors: ["conflict"],
    run: ({ hosting }: NetworkDeps, { ctx, input }) => hosting.network.createPool(ctx, input),
  }),
  listPools: defineCommand({ operation: IpPoolOps.list, input: nothing, errors: [], run: ({ hosting }: NetworkDeps, { ctx }) => hosting.network.listPools(ctx) }),
  deletePool: defineCommand({
    operation: IpPoolOps.delete,
    input: nothing,
    errors: ["not_found", "conflict"],
    run: ({ hosting }: NetworkDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.network.deletePool(ctx, target.id),
  }),
  addIpAddress: defineCommand({
    operation: IpAddressOps.add,
    input: ipAddressAddSchema,
    errors: ["not_found", "conflict", "invalid_state_transition"],
    run: ({ hosting }: NetworkDeps, { ctx, input, target }: CommandCall<z.output<typeof ipAddressAddSchema>, CustomerTarget>) => hosting.network.addIpAddress(ctx, target.ref, input),
  }),
  getIpAddresses: defineCommand({
    operation: IpAddressOps.list,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: NetworkDeps, { ctx, target }: CommandCall<unknown, CustomerTarget>) => hosting.network.getIpAddresses(ctx, target.ref),
  }),
  getDetailedIpAddresses: defineCommand({
    operation: IpAddressOps.listDetailed,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: NetworkDeps, { ctx, target }: CommandCall<unknown, CustomerTarget>) => hosting.network.getDetailedIpAddresses(ctx, target.ref),
  }),
  freeIpAddress: defineCommand({
    operation: IpAddressOps.free,
    input: addressInput,
    errors: ["not_found"],
    run: ({ hosting }: NetworkDeps, { ctx, input, target }: CommandCall<z.output<typeof addressInput>, CustomerTarget>) => hosting.network.freeIpAddress(ctx, target.ref, input.address),
  }),
} as const;
