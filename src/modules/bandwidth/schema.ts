import { z } from "zod";

/** Samples cover fixed 5-minute intervals: the unit of 95th-percentile billing. */
export const SAMPLE_SECONDS = 300;
export const MAX_BATCH = 10_000;

const bytes = z.number().int("must be a whole number of bytes").min(0).max(Number.MAX_SAFE_INTEGER);

export const sampleSchema = z.strictObject({
  customer_id: z.number().int().positive(),
  site_id: z.number().int().positive().optional().describe("The site the traffic belongs to; omitted: the customer as a whole"),
  start: z
    .number()
    .int()
    .min(946684800, "must be Unix time in seconds after 2000")
    .max(4102444800, "must be Unix time in seconds before 2100")
    .refine((t) => t % SAMPLE_SECONDS === 0, { message: `must be the start of a 5-minute interval (a multiple of ${SAMPLE_SECONDS} s)`, params: { code: "invalid_value" } })
    .describe("Start of the 5-minute interval, Unix seconds"),
  bytes_in: bytes,
  bytes_out: bytes,
});

/** A batch of samples; a sample already recorded (customer, site, start) is skipped, so retries are harmless. */
export const ingestSchema = z
  .strictObject({ samples: z.array(sampleSchema).min(1, "must hold at least one sample").max(MAX_BATCH, `may hold at most ${MAX_BATCH} samples`) })
  .meta({ id: "BandwidthSamples" });

export const ingestResultSchema = z.object({ object: z.literal("bandwidth_ingest"), received: z.number().int(), recorded: z.number().int(), duplicates: z.number().int() }).meta({ id: "BandwidthIngestResult" });
export type IngestResult = z.output<typeof ingestResultSchema>;

export const billableSchema = z
  .object({
    object: z.literal("billable_bandwidth"),
    customer_id: z.number().int(),
    method: z.enum(["p95", "total"]).describe("The customer's bandwidth.billing_method setting"),
    billable: z.number().describe("The billed figure: Mbit/s for p95, GB for total"),
    unit: z.enum(["Mbit/s", "GB"]),
    period_start: z.string(),
    period_end: z.string(),
    intervals: z.number().int().describe("5-minute intervals with samples in the period"),
    p95_mbps: z.number().describe("95th percentile of the 5-minute rates (the larger of in and out), Mbit/s"),
    total_gb: z.number().describe("Bytes in plus out, in GB (10^9 bytes)"),
    bytes_in: z.number().int(),
    bytes_out: z.number().int(),
    as_of: z.string(),
  })
  .meta({ id: "BillableBandwidth" });
export type BillableView = z.output<typeof billableSchema>;
