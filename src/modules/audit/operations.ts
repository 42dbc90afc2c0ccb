import { defineOperation } from "../../core/operations.js";

// Entries are tagged with the customer and owning account they concern: operators read all,
// a reseller its customers' entries and its own actions, a customer the entries about itself.
// The chain proof reads every entry, so it stays with operators.
export const AuditOps = {
  list: defineOperation({ name: "audit.list", permission: "audit.read", mutates: false, principals: ["operator", "reseller", "customer"], summary: "Read the audit log" }),
  verify: defineOperation({ name: "audit.verify", permission: "audit.read", mutates: false, principals: ["operator"], summary: "Prove the audit hash chain intact" }),
} as const;
