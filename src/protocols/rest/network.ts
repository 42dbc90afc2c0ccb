import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { NetworkCommands, type NetworkDeps } from "../../modules/network/commands.js";
import { IpAddressOps, IpPoolOps } from "../../modules/network/operations.js";
import { ipAddressAddSchema, ipAddressSchema, ipPoolCreateSchema, ipPoolSchema } from "../../modules/network/schema.js";
import { customerRef, idParams, listOf, refParams } from "./hosting-common.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function networkRoutes(commands: CommandRunner<NetworkDeps>): AnyRoute[] {
  const tags = ["IP addresses"];
  return [
    defineRoute({
      operation: IpPoolOps.create,
      method: "POST",
      url: "/v1/ip-pools",
      summary: "Create an address pool from a CIDR range (operators)",
      tags,
      body: ipPoolCreateSchema,
      responses: { 201: ipPoolSchema },
      idempotent: true,
      async handler({ ctx, body }) {
        const pool = await commands.execute(NetworkCommands.createPool, ctx, body, undefined);
        return { status: 201, body: pool, headers: { location: `/v1/ip-pools/${pool.id}` } };
      },
    }),
    defineRoute({
      operation: IpPoolOps.list,
      method: "GET",
      url: "/v1/ip-pools",
      summary: "List address pools with their size and usage (operators)",
      tags,
      responses: { 200: listOf(ipPoolSchema) },
      async handler({ ctx }) {
        return { status: 200, body: { object: "list", data: await commands.execute(NetworkCommands.listPools, ctx, {}, undefined) } };
      },
    }),
    defineRoute({
      operation: IpPoolOps.delete,
      method: "DELETE",
      url: "/v1/ip-pools/:id",
      summary: "Delete a pool none of whose addresses is assigned (operators)",
      tags,
      params: idParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(NetworkCommands.deletePool, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: IpAddressOps.add,
      method: "POST",
      url: "/v1/customers/:ref/ip-addresses",
      summary: "Assign an address to the customer (Stackable addIpAddress)",
      description: "Without `address` the next free address of the pool is assigned; 409 with `pool exhausted` when none is left.",
      tags,
      params: refParams,
      body: ipAddressAddSchema,
      responses: { 201: ipAddressSchema },
      idempotent: true,
      async handler({ ctx, params, body }) {
        return { status: 201, body: await commands.execute(NetworkCommands.addIpAddress, ctx, body ?? {}, { ref: params.ref }) };
      },
    }),
    defineRoute({
      operation: IpAddressOps.listDetailed,
      method: "GET",
      url: "/v1/customers/:ref/ip-addresses",
      summary: "The customer's addresses with their details (Stackable getDetailedIpAddresses)",
      tags,
      params: refParams,
      responses: { 200: listOf(ipAddressSchema) },
      async handler({ ctx, params }) {
        return { status: 200, body: { object: "list", data: await commands.execute(NetworkCommands.getDetailedIpAddresses, ctx, {}, { ref: params.ref }) } };
      },
    }),
    defineRoute({
      operation: IpAddressOps.list,
      method: "GET",
      url: "/v1/customers/:ref/ip-address-list",
      summary: "The customer's addresses, bare (Stackable getIpAddresses)",
      tags,
      params: refParams,
      responses: { 200: listOf(z.string()) },
      async handler({ ctx, params }) {
        return { status: 200, body: { object: "list", data: await commands.execute(NetworkCommands.getIpAddresses, ctx, {}, { ref: params.ref }) } };
      },
    }),
    defineRoute({
      operation: IpAddressOps.free,
      method: "DELETE",
      url: "/v1/customers/:ref/ip-addresses/:address",
      summary: "Return an address to its pool (Stackable freeIpAddress)",
      tags,
      params: z.object({ ref: customerRef, address: z.string().min(1).max(64).describe("The address, e.g. 192.0.2.5 or 2001:db8::5") }),
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(NetworkCommands.freeIpAddress, ctx, { address: params.address }, { ref: params.ref });
        return { status: 204 };
      },
    }),
  ];
}
