import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

/** The package catalogue is the platform's: operators manage it, everyone may read it. */
export const PackageOps = {
  create: defineOperation({ name: "package.create", permission: "package.write", mutates: true, principals: ["operator"], summary: "Create a message package (e-mail, SMS or transactional)" }),
  get: defineOperation({ name: "package.get", permission: "package.read", mutates: false, principals: all, summary: "Read a message package" }),
  list: defineOperation({ name: "package.list", permission: "package.read", mutates: false, principals: all, summary: "List message packages" }),
  update: defineOperation({ name: "package.update", permission: "package.write", mutates: true, principals: ["operator"], summary: "Change a message package" }),
  archive: defineOperation({ name: "package.archive", permission: "package.write", mutates: true, principals: ["operator"], summary: "Archive a message package: it stays readable, nobody new can be given it" }),
} as const;

export const QuotaOps = {
  read: defineOperation({ name: "quota.read", permission: "customer.read", mutates: false, principals: all, summary: "Read a customer's prepaid balances and packages" }),
  debit: defineOperation({ name: "quota.debit", permission: "quota.debit", mutates: true, principals: all, summary: "Debit a prepaid quota for one message (idempotent per message id)" }),
} as const;
