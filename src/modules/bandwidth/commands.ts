import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { CustomerTarget } from "../provisioning/targets.js";
import { BandwidthOps } from "./operations.js";
import { ingestSchema } from "./schema.js";
import type { BandwidthService } from "./service.js";

export interface BandwidthDeps {
  hosting: { bandwidth: BandwidthService };
}

/** Sample ingestion (metering systems) and the current billable bandwidth of a customer. */
export const BandwidthCommands = {
  ingest: defineCommand({ operation: BandwidthOps.ingest, input: ingestSchema, errors: [], run: ({ hosting }: BandwidthDeps, { ctx, input }) => hosting.bandwidth.ingest(ctx, input) }),
  currentBillableBandwidth: defineCommand({
    operation: BandwidthOps.billable,
    input: z.strictObject({}),
    errors: ["not_found"],
    run: ({ hosting }: BandwidthDeps, { ctx, target }: CommandCall<unknown, CustomerTarget>) => hosting.bandwidth.currentBillableBandwidth(ctx, target.ref),
  }),
} as const;
