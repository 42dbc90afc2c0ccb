import { defineOperation } from "../../core/operations.js";

const admins = ["operator", "reseller"] as const;

export const PlanOps = {
  create: defineOperation({ name: "plan.create", permission: "plan.write", mutates: true, principals: admins, summary: "Create a hosting plan" }),
  get: defineOperation({ name: "plan.get", permission: "plan.read", mutates: false, principals: admins, summary: "Read a hosting plan by id or name" }),
  list: defineOperation({ name: "plan.list", permission: "plan.read", mutates: false, principals: admins, summary: "List hosting plans" }),
  update: defineOperation({ name: "plan.update", permission: "plan.write", mutates: true, principals: admins, summary: "Change a hosting plan (customers keep the values they were given)" }),
  delete: defineOperation({ name: "plan.delete", permission: "plan.write", mutates: true, principals: admins, summary: "Delete a hosting plan" }),
} as const;
