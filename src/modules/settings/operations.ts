import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

/** Per-customer settings, plus the registry they are checked against. */
export const SettingsOps = {
  set: defineOperation({ name: "settings.set", permission: "hosting.write", mutates: true, principals: all, summary: "Set a list of settings on a customer (Stackable setSettings)" }),
  get: defineOperation({ name: "settings.get", permission: "hosting.read", mutates: false, principals: all, summary: "All settings of a customer, defaults included (Stackable getSettings)" }),
  registry: defineOperation({ name: "settings.registry", permission: "hosting.read", mutates: false, principals: all, summary: "The known settings, their types and defaults" }),
} as const;
