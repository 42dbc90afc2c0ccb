import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;
const admins = ["operator", "reseller"] as const;

export const LifecycleOps = {
  read: defineOperation({ name: "customer.lifecycle.read", permission: "customer.read", mutates: false, principals: all, summary: "Read a customer's status, its reason and the allowed next steps" }),
  suspend: defineOperation({ name: "customer.suspend", permission: "customer.lifecycle", mutates: true, principals: admins, summary: "Suspend a customer, with a reason" }),
  unsuspend: defineOperation({ name: "customer.unsuspend", permission: "customer.lifecycle", mutates: true, principals: admins, summary: "Lift a suspension" }),
  deactivate: defineOperation({ name: "customer.deactivate", permission: "customer.lifecycle", mutates: true, principals: admins, summary: "Deactivate a customer" }),
  reactivate: defineOperation({ name: "customer.reactivate", permission: "customer.lifecycle", mutates: true, principals: admins, summary: "Reactivate a deactivated customer" }),
  unlock: defineOperation({ name: "customer.unlock", permission: "customer.lifecycle", mutates: true, principals: admins, summary: "Unlock a customer locked by failed logins" }),
  requestCancellation: defineOperation({ name: "customer.request_cancellation", permission: "customer.write", mutates: true, principals: all, summary: "Request cancellation, with a reason" }),
  withdrawCancellation: defineOperation({ name: "customer.withdraw_cancellation", permission: "customer.write", mutates: true, principals: all, summary: "Withdraw a cancellation request" }),
  close: defineOperation({ name: "customer.close", permission: "customer.lifecycle", mutates: true, principals: admins, summary: "Close a customer account" }),
  anonymise: defineOperation({ name: "customer.anonymise", permission: "customer.lifecycle", mutates: true, principals: admins, summary: "Replace the personal data of a deleted customer (erasure request)" }),
} as const;
