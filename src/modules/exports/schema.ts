import { z } from "zod";

export const DOWNLOAD_TYPES = ["gdpr"] as const;
export type DownloadType = (typeof DOWNLOAD_TYPES)[number];

/** Job states as stored; `expired` is derived from expires_at when read. */
export const DOWNLOAD_STATUSES = ["pending", "ready", "failed", "expired"] as const;
export type DownloadStatus = (typeof DOWNLOAD_STATUSES)[number];

export const exportRequestSchema = z
  .strictObject({
    type: z.enum(DOWNLOAD_TYPES).optional().describe("What to export; only 'gdpr' (everything held about the customer) exists"),
  })
  .describe("Starts a background export; the answer is the download entry in status pending.");

export const downloadTypeSchema = z.string().min(1, "must not be empty").max(64, "must be at most 64 characters");

export const downloadSchema = z.object({
  object: z.literal("download"),
  id: z.number().int(),
  customer_id: z.number().int(),
  type: z.string(),
  token: z.string().describe("Download with GET /v1/downloads/{token}; no API key needed"),
  status: z.enum(DOWNLOAD_STATUSES),
  progress: z.object({ sections_done: z.number().int(), sections_total: z.number().int() }),
  downloads: z.number().int().describe("How many times the file was downloaded"),
  size_bytes: z.number().int().nullable(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
  expires_at: z.string(),
});
export type Download = z.output<typeof downloadSchema>;
