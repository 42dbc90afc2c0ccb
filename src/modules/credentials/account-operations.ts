import { defineOperation } from "../../core/operations.js";

const admins = ["operator", "reseller"] as const;

/** Operators manage any account's login; a reseller its own. */
export const AccountCredentialOps = {
  set: defineOperation({ name: "account.login.set", permission: "account.credentials", mutates: true, principals: admins, summary: "Set an account's login name and/or password" }),
  status: defineOperation({ name: "account.login.read", permission: "account.read", mutates: false, principals: admins, summary: "Which login credentials an account has (never the secrets)" }),
  unlock: defineOperation({ name: "account.login.unlock", permission: "account.credentials", mutates: true, principals: ["operator"], summary: "Give an account its login attempts back at once" }),
  totpEnrol: defineOperation({ name: "account.totp.enrol", permission: "account.credentials", mutates: true, principals: admins, summary: "Start TOTP enrolment for an account" }),
  totpConfirm: defineOperation({ name: "account.totp.confirm", permission: "account.credentials", mutates: true, principals: admins, summary: "Turn an account's TOTP on with a first code" }),
  totpDisable: defineOperation({ name: "account.totp.disable", permission: "account.credentials", mutates: true, principals: admins, summary: "Turn an account's TOTP off" }),
} as const;

export const AccountCredentialEvents = {
  login: "account.session.login",
  logout: "account.session.logout",
} as const;
