import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;
const admins = ["operator", "reseller"] as const;

export const CustomerOps = {
  create: defineOperation({ name: "customer.create", permission: "customer.write", mutates: true, principals: admins, summary: "Create a customer" }),
  get: defineOperation({ name: "customer.get", permission: "customer.read", mutates: false, principals: all, summary: "Read a customer by any key" }),
  list: defineOperation({ name: "customer.list", permission: "customer.read", mutates: false, principals: all, summary: "List customers" }),
  count: defineOperation({ name: "customer.count", permission: "customer.read", mutates: false, principals: all, summary: "Count customers" }),
  update: defineOperation({ name: "customer.update", permission: "customer.write", mutates: true, principals: all, summary: "Update a customer" }),
  delete: defineOperation({ name: "customer.delete", permission: "customer.delete", mutates: true, principals: all, summary: "Delete a customer (tombstone)" }),
  move: defineOperation({ name: "customer.move", permission: "customer.move", mutates: true, principals: ["operator"], summary: "Move a customer to another owning reseller or operator" }),
  purge: defineOperation({ name: "customer.purge", permission: "customer.purge", mutates: true, principals: ["operator"], summary: "Remove a customer and everything it owns" }),
} as const;

/** Bulk work, offered by the command line only (so not part of the REST security matrix). */
export const CustomerBulkOps = {
  import: defineOperation({ name: "customer.import", permission: "customer.write", mutates: true, principals: admins, summary: "Create customers in bulk (idempotent on external id or e-mail)" }),
} as const;
