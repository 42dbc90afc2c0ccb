import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

export const CredentialOps = {
  setPassword: defineOperation({ name: "credential.password.set", permission: "customer.credentials", mutates: true, principals: all, summary: "Set a customer's password" }),
  changePassword: defineOperation({ name: "credential.password.change", permission: "customer.credentials", mutates: true, principals: ["customer"], summary: "Change one's own password" }),
  setPin: defineOperation({ name: "credential.pin.set", permission: "customer.credentials", mutates: true, principals: all, summary: "Set the service PIN" }),
  // A check spends the customer's PIN budget, so it is a write: read-only roles may not burn it.
  verifyPin: defineOperation({ name: "credential.pin.verify", permission: "customer.write", mutates: true, principals: all, summary: "Check a service PIN" }),
  status: defineOperation({ name: "credential.read", permission: "customer.read", mutates: false, principals: all, summary: "Which credentials a customer has (never the secrets)" }),
  requestEmailChange: defineOperation({ name: "credential.email.request", permission: "customer.write", mutates: true, principals: all, summary: "Start an e-mail change (a token goes to the new address)" }),
  totpEnrol: defineOperation({ name: "credential.totp.enrol", permission: "customer.credentials", mutates: true, principals: all, summary: "Start TOTP enrolment" }),
  totpConfirm: defineOperation({ name: "credential.totp.confirm", permission: "customer.credentials", mutates: true, principals: all, summary: "Turn TOTP on with a first code" }),
  totpDisable: defineOperation({ name: "credential.totp.disable", permission: "customer.credentials", mutates: true, principals: all, summary: "Turn TOTP off" }),
  backupCodes: defineOperation({ name: "credential.totp.backup_codes", permission: "customer.credentials", mutates: true, principals: all, summary: "Replace the one-time backup codes" }),
  sessionList: defineOperation({ name: "session.list", permission: "customer.read", mutates: false, principals: all, summary: "List a customer's sessions" }),
  sessionRevokeAll: defineOperation({ name: "session.revoke_all", permission: "customer.credentials", mutates: true, principals: all, summary: "End all sessions of a customer" }),
} as const;

/** Names used in audit entries for events that have no caller-chosen operation (login, lockout). */
export const CredentialEvents = {
  login: "session.login",
  loginFailed: "session.login_failed",
  logout: "session.logout",
  lock: "customer.lock",
  emailConfirm: "credential.email.confirm",
} as const;
