import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;
// Webhooks belong to the accounts that integrate: operators (all events) and resellers (their customers').
const admins = ["operator", "reseller"] as const;

export const EventOps = {
  list: defineOperation({ name: "event.list", permission: "event.read", mutates: false, principals: all, summary: "List events (a poller's catch-up feed)" }),
} as const;

export const WebhookOps = {
  create: defineOperation({ name: "webhook.create", permission: "webhook.write", mutates: true, principals: admins, summary: "Register a webhook endpoint (the secret is shown once)" }),
  list: defineOperation({ name: "webhook.list", permission: "webhook.read", mutates: false, principals: admins, summary: "List webhook endpoints" }),
  get: defineOperation({ name: "webhook.get", permission: "webhook.read", mutates: false, principals: admins, summary: "Read a webhook endpoint" }),
  update: defineOperation({ name: "webhook.update", permission: "webhook.write", mutates: true, principals: admins, summary: "Change a webhook endpoint's URL, event types or status" }),
  delete: defineOperation({ name: "webhook.delete", permission: "webhook.write", mutates: true, principals: admins, summary: "Delete a webhook endpoint and its delivery log" }),
  rotateSecret: defineOperation({ name: "webhook.rotate_secret", permission: "webhook.write", mutates: true, principals: admins, summary: "Replace the signing secret, keeping the old one for an overlap" }),
  ping: defineOperation({ name: "webhook.ping", permission: "webhook.write", mutates: true, principals: admins, summary: "Send a test event to the endpoint" }),
  deliveries: defineOperation({ name: "webhook.deliveries", permission: "webhook.read", mutates: false, principals: admins, summary: "The endpoint's delivery log" }),
  redeliver: defineOperation({ name: "webhook.redeliver", permission: "webhook.write", mutates: true, principals: admins, summary: "Deliver an event to the endpoint again" }),
} as const;

export const NoticeDeliveryOps = {
  list: defineOperation({ name: "notice.deliveries", permission: "customer.read", mutates: false, principals: all, summary: "Delivery state of a notice per contact method" }),
  signingSecret: defineOperation({ name: "notice.signing_secret", permission: "customer.write", mutates: true, principals: all, summary: "Issue the secret that signs notices to a customer's webhook contact methods (shown once)" }),
} as const;

/** Names in audit entries for what the dispatcher does on its own. */
export const WebhookEvents = { disable: "webhook.disable" } as const;
