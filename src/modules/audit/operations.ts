import { defineOperation } from "../../core/operations.js";

// Entries name every tenant's objects; until they can be scoped per tenant only operators read them.
export const AuditOps = {
  list: defineOperation({ name: "audit.list", permission: "audit.read", mutates: false, principals: ["operator"], summary: "Read the audit log" }),
  verify: defineOperation({ name: "audit.verify", permission: "audit.read", mutates: false, principals: ["operator"], summary: "Prove the audit hash chain intact" }),
} as const;
