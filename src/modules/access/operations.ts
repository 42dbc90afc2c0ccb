import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

/** Keys and roles seen from one customer. */
export const AccessOps = {
  keys: defineOperation({ name: "customer_key.list", permission: "apikey.read", mutates: false, principals: all, summary: "A customer's API keys, optionally of one type (Stackable getKeys)" }),
  roles: defineOperation({ name: "customer_role.list", permission: "role.read", mutates: false, principals: all, summary: "The roles that apply to a customer and how many of its keys carry each (Stackable listRoles)" }),
} as const;
