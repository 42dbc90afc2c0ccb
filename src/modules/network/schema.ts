import { z } from "zod";
import { token } from "../../core/fields.js";
import { hostname } from "../provisioning/fields.js";

export const ipPoolCreateSchema = z
  .strictObject({
    name: token(1, 64).describe("Unique name of the pool"),
    cidr: z.string().min(1).max(64).describe("The range, e.g. 192.0.2.0/28 or 2001:db8:1::/64"),
  })
  .meta({ id: "IpPoolCreate" });

export const ipPoolSchema = z
  .object({
    object: z.literal("ip_pool"),
    id: z.number().int(),
    name: z.string(),
    cidr: z.string(),
    version: z.union([z.literal(4), z.literal(6)]),
    size: z.string().describe("Assignable addresses (a decimal string: IPv6 ranges exceed 2^53)"),
    assigned: z.number().int(),
    created_at: z.string(),
  })
  .meta({ id: "IpPool" });
export type IpPoolView = z.output<typeof ipPoolSchema>;

/** Assigning an address: `address` is for operators only; without it the next free one is taken. */
export const ipAddressAddSchema = z
  .strictObject({
    address: z.string().min(1).max(64).optional().describe("A specific address (operators only); omitted: the next free one"),
    pool_id: z.number().int().positive().optional().describe("Take the next free address from this pool; omitted: the first pool of `version` with room"),
    version: z.union([z.literal(4), z.literal(6)]).default(4).describe("IP version when neither address nor pool is given"),
    reverse_dns: hostname.optional().describe("PTR name of the address"),
    site_id: z.number().int().positive().optional().describe("A site of the customer the address serves"),
  })
  .meta({ id: "IpAddressAdd" });

export const ipAddressSchema = z
  .object({
    object: z.literal("ip_address"),
    address: z.string(),
    version: z.union([z.literal(4), z.literal(6)]),
    pool: z.object({ id: z.number().int(), name: z.string() }),
    customer_id: z.number().int(),
    site_id: z.number().int().nullable(),
    reverse_dns: z.string().nullable(),
    assigned_at: z.string(),
  })
  .meta({ id: "IpAddressDetails" });
export type IpAddressView = z.output<typeof ipAddressSchema>;
