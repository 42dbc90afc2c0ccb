import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;
const providers = ["operator", "reseller"] as const;

/**
 * Notices to customers: one customer's, or global (operators). Customers list and acknowledge
 * them; the provider writes them.
 */
export const NoticeOps = {
  create: defineOperation({ name: "notice.create", permission: "hosting.write", mutates: true, principals: providers, summary: "Publish a notice to one customer, or (operators) to every customer" }),
  get: defineOperation({ name: "notice.get", permission: "hosting.read", mutates: false, principals: all, summary: "Read a notice" }),
  update: defineOperation({ name: "notice.update", permission: "hosting.write", mutates: true, principals: providers, summary: "Change a notice's title, body or severity" }),
  delete: defineOperation({ name: "notice.delete", permission: "hosting.write", mutates: true, principals: providers, summary: "Withdraw a notice" }),
  list: defineOperation({ name: "notice.list", permission: "hosting.read", mutates: false, principals: all, summary: "A customer's notices and the global ones (Stackable listNotices)" }),
  acknowledge: defineOperation({ name: "notice.acknowledge", permission: "hosting.write", mutates: true, principals: all, summary: "Mark a notice as acknowledged by one customer (Stackable acknowledgeNotice)" }),
} as const;
