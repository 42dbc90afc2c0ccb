import { defineOperation } from "../../core/operations.js";

/** The provisioning systems' report channel: operator keys only. */
export const ProvisioningOps = {
  setStatus: defineOperation({ name: "provisioning.set_status", permission: "platform.hosting", mutates: true, principals: ["operator"], summary: "Report the provisioning status of a site, environment, container or FTP user" }),
} as const;
