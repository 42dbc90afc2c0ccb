import type { CommandRunner } from "../../core/commands.js";
import { BandwidthCommands, type BandwidthDeps } from "../../modules/bandwidth/commands.js";
import { BandwidthOps } from "../../modules/bandwidth/operations.js";
import { billableSchema, ingestResultSchema, ingestSchema } from "../../modules/bandwidth/schema.js";
import { refParams } from "./hosting-common.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function bandwidthRoutes(commands: CommandRunner<BandwidthDeps>): AnyRoute[] {
  const tags = ["Bandwidth"];
  return [
    defineRoute({
      operation: BandwidthOps.ingest,
      method: "POST",
      url: "/v1/bandwidth/samples",
      summary: "Record up to 10,000 five-minute traffic samples (metering systems, operators)",
      description: "A sample already recorded for the same customer, site and start is skipped and counted in `duplicates`, so a batch can be resent safely.",
      tags,
      body: ingestSchema,
      responses: { 200: ingestResultSchema },
      // 10,000 samples are about 1 MB of JSON.
      bodyLimit: 4 * 1024 * 1024,
      idempotent: true,
      async handler({ ctx, body }) {
        return { status: 200, body: await commands.execute(BandwidthCommands.ingest, ctx, body, undefined) };
      },
    }),
    defineRoute({
      operation: BandwidthOps.billable,
      method: "GET",
      url: "/v1/customers/:ref/bandwidth/billable",
      summary: "Billable bandwidth of the current month (Stackable currentBillableBandwidth)",
      description: "By the customer's `bandwidth.billing_method` setting: `p95` (95th percentile of 5-minute rates, Mbit/s; the default) or `total` (GB in + out).",
      tags,
      params: refParams,
      responses: { 200: billableSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(BandwidthCommands.currentBillableBandwidth, ctx, {}, { ref: params.ref }) };
      },
    }),
  ];
}
