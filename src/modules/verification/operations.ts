import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

export const VerificationOps = {
  get: defineOperation({ name: "contact_verification.get", permission: "customer.read", mutates: false, principals: all, summary: "Read a customer's contact-verification settings" }),
  update: defineOperation({ name: "contact_verification.update", permission: "customer.write", mutates: true, principals: all, summary: "Change a customer's contact-verification settings" }),
} as const;
