import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;
const operator = ["operator"] as const;

/** The site wizard and the site objects it creates. */
export const SiteOps = {
  wizard: defineOperation({ name: "site.wizard", permission: "hosting.write", mutates: true, principals: all, summary: "Create a site, its environments, a container and optionally DNS records in one step (Stackable CP_Wizard)" }),
  get: defineOperation({ name: "site.get", permission: "hosting.read", mutates: false, principals: all, summary: "Read a site with its environments, containers and DNS records" }),
  list: defineOperation({ name: "site.list", permission: "hosting.read", mutates: false, principals: all, summary: "List a customer's sites" }),
  delete: defineOperation({ name: "site.delete", permission: "hosting.write", mutates: true, principals: all, summary: "Delete a site (at once when nothing was provisioned, else marked deleting)" }),
} as const;

/** The operator's catalogue of container types and operating-system images. */
export const CatalogueOps = {
  containerTypeCreate: defineOperation({ name: "container_type.create", permission: "platform.hosting", mutates: true, principals: operator, summary: "Add a container type to the catalogue" }),
  containerTypeList: defineOperation({ name: "container_type.list", permission: "hosting.read", mutates: false, principals: all, summary: "List container types" }),
  containerTypeDelete: defineOperation({ name: "container_type.delete", permission: "platform.hosting", mutates: true, principals: operator, summary: "Remove an unused container type" }),
  osCreate: defineOperation({ name: "os_image.create", permission: "platform.hosting", mutates: true, principals: operator, summary: "Add an operating-system image to the catalogue" }),
  osList: defineOperation({ name: "os_image.list", permission: "hosting.read", mutates: false, principals: all, summary: "List operating-system images" }),
  osDelete: defineOperation({ name: "os_image.delete", permission: "platform.hosting", mutates: true, principals: operator, summary: "Remove an unused operating-system image" }),
} as const;
