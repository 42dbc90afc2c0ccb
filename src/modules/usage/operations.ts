import { defineOperation } from "../../core/operations.js";

export const UsageOps = {
  report: defineOperation({ name: "usage.report", permission: "usage.write", mutates: true, principals: ["operator", "reseller"], summary: "Report usage samples for customers (batch, idempotent per customer, resource and time)" }),
  get: defineOperation({ name: "usage.get", permission: "usage.read", mutates: false, principals: ["operator", "reseller", "customer"], summary: "Current usage of a customer per resource, compared with its quotas" }),
} as const;
