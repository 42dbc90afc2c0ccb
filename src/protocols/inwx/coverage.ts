/**
 * Operations INWX DomRobot does not offer. DomRobot's account and customer methods are
 * self-service for the logged-in customer (seed chapters 2.1, 2.7): no method creates, lists or
 * administers other customers, keys or resellers.
 */
const SELF_SERVICE = "DomRobot is self-service for the logged-in customer; no method administers other customers";
const NO_METHOD = "DomRobot has no method for it";

const reasons: [string[], string][] = [
  [["customer.create", "customer.list", "customer.count", "customer.move", "customer.purge", "reseller.create", "reseller.list", "reseller.get", "audit.list", "audit.verify"], SELF_SERVICE],
  [["apikey.create", "apikey.list", "apikey.get", "apikey.update", "apikey.revoke", "apikey.acl.list", "apikey.acl.create", "apikey.acl.update", "apikey.acl.delete", "role.list"], "DomRobot authenticates with login sessions, not API keys"],
  [
    [
      "customer.lifecycle.read",
      "customer.suspend",
      "customer.unsuspend",
      "customer.deactivate",
      "customer.reactivate",
      "customer.unlock",
      "customer.request_cancellation",
      "customer.withdraw_cancellation",
      "customer.close",
      "customer.anonymise",
    ],
    `${NO_METHOD}: account life cycle is the registrar's back office (customer.delete is bound)`,
  ],
  [["credential.password.change", "credential.pin.verify", "credential.read"], `${NO_METHOD}: password and PIN are set through customer.update`],
  [["credential.email.request", "credential.email.confirm"], "DomRobot changes the e-mail address directly with customer.update (email)"],
  [["credential.totp.enrol", "credential.totp.confirm", "credential.totp.disable", "credential.totp.backup_codes"], `${NO_METHOD}: 2FA is managed in the web interface; account.unlock only completes a login`],
  [["credential.password.set", "credential.pin.set"], "Bound through customer.update (password, servicePin) as one composite command"],
  [["session.list", "session.revoke_all"], NO_METHOD],
  [["package.create", "package.get", "package.list", "package.update", "package.archive", "quota.read", "quota.debit"], "DomRobot has no messaging packages or prepaid message quotas (Everlytic's domain)"],
  [["download.fetch"], "Archives are fetched over HTTPS (GET /v1/downloads/<token>); customer.listdownloads returns the token"],
];

export const INWX_UNSUPPORTED: Readonly<Record<string, string>> = Object.fromEntries(reasons.flatMap(([ops, reason]) => ops.map((op) => [op, reason])));
