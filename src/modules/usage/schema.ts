import { z } from "zod";

/**
 * What provisioning systems report. Space in MB (decimals allowed), traffic in GB for the current
 * period, the rest as counts. `diskspace_mb` is not reported: it is webspace + mailspace + dbspace.
 */
export const USAGE_RESOURCES = ["webspace_mb", "mailspace_mb", "dbspace_mb", "traffic_gb", "domains", "subdomains", "emails", "email_accounts", "email_forwarders", "ftps", "mysqls"] as const;
export type UsageResource = (typeof USAGE_RESOURCES)[number];

/** The quota each reported (or derived) resource is compared with. */
export const QUOTA_OF: Record<string, string | null> = {
  diskspace_mb: "diskspace_mb",
  webspace_mb: null,
  mailspace_mb: null,
  dbspace_mb: null,
  traffic_gb: "traffic_gb",
  domains: null,
  subdomains: "subdomains",
  emails: "emails",
  email_accounts: "email_accounts",
  email_forwarders: "email_forwarders",
  ftps: "ftps",
  mysqls: "mysqls",
};

export const usageSampleSchema = z.strictObject({
  customer_id: z.number().int().positive().describe("The customer the sample is about"),
  resource: z.enum(USAGE_RESOURCES),
  value: z.number().finite().min(0, "must be 0 or more").max(1e15, "is too large"),
  sampled_at: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time such as 2026-11-23T16:00:00Z" }).describe("When the value was measured"),
});

export const usageReportSchema = z
  .strictObject({
    samples: z.array(usageSampleSchema).min(1, "must hold at least one sample").max(1000, "may hold at most 1000 samples"),
  })
  .describe("A batch of samples. A sample whose customer, resource and time were already reported is skipped, so a retried batch changes nothing.")
  .meta({ id: "UsageReport" });
export type UsageReportInput = z.output<typeof usageReportSchema>;

export const usageReportResultSchema = z
  .object({
    object: z.literal("usage_report"),
    accepted: z.number().int().describe("Samples stored"),
    duplicates: z.number().int().describe("Samples skipped because the same customer, resource and time was stored before"),
  })
  .meta({ id: "UsageReportResult" });

export const usageLineSchema = z.object({
  resource: z.string(),
  value: z.number(),
  sampled_at: z.string().nullable(),
  quota: z.number().int().nullable().describe("The customer's limit for it; -1 unlimited; null when none applies"),
  over_quota: z.boolean(),
});

export const usageSchema = z
  .object({
    object: z.literal("usage"),
    customer_id: z.number().int(),
    over_quota: z.boolean().describe("Any resource over its quota"),
    resources: z.array(usageLineSchema),
  })
  .meta({ id: "CustomerUsage" });
export type Usage = z.output<typeof usageSchema>;
export type UsageLine = z.output<typeof usageLineSchema>;
