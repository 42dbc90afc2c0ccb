import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

export const BandwidthOps = {
  ingest: defineOperation({ name: "bandwidth.ingest", permission: "platform.hosting", mutates: true, principals: ["operator"], summary: "Record a batch of 5-minute traffic samples (metering systems; idempotent)" }),
  billable: defineOperation({ name: "bandwidth.billable", permission: "hosting.read", mutates: false, principals: all, summary: "The billable bandwidth of the current billing period (Stackable currentBillableBandwidth)" }),
} as const;
