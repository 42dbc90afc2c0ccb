import { defineOperation } from "../../core/operations.js";

export const BudgetOps = {
  get: defineOperation({ name: "budget.get", permission: "budget.read", mutates: false, principals: ["operator", "reseller"], summary: "Read a reseller's resource budget: limits, used, remaining" }),
  set: defineOperation({ name: "budget.set", permission: "budget.write", mutates: true, principals: ["operator"], summary: "Set a reseller's resource limits" }),
} as const;
