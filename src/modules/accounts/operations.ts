import { defineOperation } from "../../core/operations.js";

export const AccountOps = {
  createReseller: defineOperation({ name: "reseller.create", permission: "account.write", mutates: true, principals: ["operator"], summary: "Create a reseller account" }),
  listResellers: defineOperation({ name: "reseller.list", permission: "account.read", mutates: false, principals: ["operator"], summary: "List reseller accounts" }),
  getReseller: defineOperation({ name: "reseller.get", permission: "account.read", mutates: false, principals: ["operator"], summary: "Read a reseller account" }),
} as const;
