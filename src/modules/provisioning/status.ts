import { z } from "zod";
import { token } from "../../core/fields.js";

/**
 * Objects that stand for something provisioned (sites, environments, containers, FTP users)
 * carry the provisioning system's last word on them: a status, when it changed, and a message.
 */
export const PROVISIONING_STATUSES = ["requested", "provisioning", "active", "failed", "deleting"] as const;
export type ProvisioningStatus = (typeof PROVISIONING_STATUSES)[number];

/** Which report may follow which. Reporting the current status again is allowed (a retry). */
export const STATUS_TRANSITIONS: Record<ProvisioningStatus, readonly ProvisioningStatus[]> = {
  requested: ["provisioning", "active", "failed", "deleting"],
  provisioning: ["active", "failed", "deleting"],
  active: ["provisioning", "failed", "deleting"],
  failed: ["provisioning", "active", "deleting"],
  deleting: ["failed"],
};

export const statusSchema = z.object({
  status: z.enum(PROVISIONING_STATUSES),
  status_at: z.string(),
  status_message: z.string().nullable(),
});
export type StatusView = z.output<typeof statusSchema>;

export const statusUpdateSchema = z
  .strictObject({
    status: z.enum(PROVISIONING_STATUSES),
    message: token(0, 1000).optional().describe("What happened, for the customer and support (no secrets)"),
  })
  .meta({ id: "ProvisioningStatusUpdate" });

export interface StatusColumns {
  status: string;
  status_at: string;
  status_message: string | null;
}

export function statusOf(row: StatusColumns): StatusView {
  return { status: row.status as ProvisioningStatus, status_at: row.status_at, status_message: row.status_message };
}

export const PROVISIONED_KINDS = ["site", "environment", "container", "ftp_user"] as const;
export type ProvisionedKind = (typeof PROVISIONED_KINDS)[number];
