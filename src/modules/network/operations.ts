import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;
const operator = ["operator"] as const;

/** Operators manage the pools; addresses are assigned to customers from them. */
export const IpPoolOps = {
  create: defineOperation({ name: "ip_pool.create", permission: "platform.hosting", mutates: true, principals: operator, summary: "Create a pool of IPv4 or IPv6 addresses (a CIDR range)" }),
  list: defineOperation({ name: "ip_pool.list", permission: "platform.hosting", mutates: false, principals: operator, summary: "List address pools with their usage" }),
  delete: defineOperation({ name: "ip_pool.delete", permission: "platform.hosting", mutates: true, principals: operator, summary: "Delete an address pool none of whose addresses is assigned" }),
} as const;

/** Assigning addresses from pools to customers, listing and freeing them. */
export const IpAddressOps = {
  add: defineOperation({ name: "ip_address.add", permission: "hosting.write", mutates: true, principals: all, summary: "Assign the next free address of a pool, or (operators) a given one (Stackable addIpAddress)" }),
  list: defineOperation({ name: "ip_address.list", permission: "hosting.read", mutates: false, principals: all, summary: "The customer's addresses (Stackable getIpAddresses)" }),
  listDetailed: defineOperation({ name: "ip_address.list_detailed", permission: "hosting.read", mutates: false, principals: all, summary: "The customer's addresses with pool, version, reverse DNS and site (Stackable getDetailedIpAddresses)" }),
  free: defineOperation({ name: "ip_address.free", permission: "hosting.write", mutates: true, principals: all, summary: "Return an address to its pool (Stackable freeIpAddress)" }),
} as const;
