import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

export const ExportOps = {
  // Starting an export writes (a job, a file, a download token): a read-only role may not.
  request: defineOperation({ name: "customer.export", permission: "customer.write", mutates: true, principals: all, summary: "Start a GDPR data export of a customer" }),
  listDownloads: defineOperation({ name: "download.list", permission: "customer.read", mutates: false, principals: all, summary: "List a customer's downloadable files" }),
  // The download token is the credential; this entry exists for audit and logs.
  fetch: defineOperation({ name: "download.fetch", permission: "download.fetch", mutates: true, principals: all, summary: "Download a file by its token" }),
} as const;
