import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

export const ApiKeyOps = {
  create: defineOperation({ name: "apikey.create", permission: "apikey.write", mutates: true, principals: all, summary: "Create an API key (the secret is shown once)" }),
  list: defineOperation({ name: "apikey.list", permission: "apikey.read", mutates: false, principals: all, summary: "List API keys (never their secrets)" }),
  get: defineOperation({ name: "apikey.get", permission: "apikey.read", mutates: false, principals: all, summary: "Read an API key" }),
  update: defineOperation({ name: "apikey.update", permission: "apikey.write", mutates: true, principals: all, summary: "Rename a key, change its roles or expiry" }),
  revoke: defineOperation({ name: "apikey.revoke", permission: "apikey.write", mutates: true, principals: all, summary: "Revoke an API key" }),
  aclList: defineOperation({ name: "apikey.acl.list", permission: "apikey.read", mutates: false, principals: all, summary: "List a key's IP allow list" }),
  aclCreate: defineOperation({ name: "apikey.acl.create", permission: "apikey.write", mutates: true, principals: all, summary: "Add an address or CIDR range to a key's allow list" }),
  aclUpdate: defineOperation({ name: "apikey.acl.update", permission: "apikey.write", mutates: true, principals: all, summary: "Change an allow-list entry" }),
  aclDelete: defineOperation({ name: "apikey.acl.delete", permission: "apikey.write", mutates: true, principals: all, summary: "Remove an allow-list entry" }),
} as const;

export const RoleOps = {
  list: defineOperation({ name: "role.list", permission: "role.read", mutates: false, principals: all, summary: "List the built-in roles and their permissions" }),
} as const;
