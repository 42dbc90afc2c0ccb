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
  [["account.login.set", "account.login.read", "account.login.unlock", "account.totp.enrol", "account.totp.confirm", "account.totp.disable", "account.session.login", "account.session.logout"], "DomRobot logins are customers' own; operator and reseller account logins are not part of it"],
  [
    ["event.list", "notice.deliveries", "notice.signing_secret", "webhook.create", "webhook.list", "webhook.get", "webhook.update", "webhook.delete", "webhook.rotate_secret", "webhook.ping", "webhook.deliveries", "webhook.redeliver"],
    `${NO_METHOD}: events and webhooks are a REST integration for operators and resellers`,
  ],
  [["customer.import"], "Bulk import is command-line work (custos import customers)"],
  [
    [
      "settings.set", "settings.get", "settings.registry", "ip_pool.create", "ip_pool.list", "ip_pool.delete", "ip_address.add", "ip_address.list", "ip_address.list_detailed", "ip_address.free",
      "notice.create", "notice.get", "notice.update", "notice.delete", "notice.list", "notice.acknowledge", "contact.create", "contact.delete", "contact.list", "contact_method.create", "contact_method.delete",
      "contact_method_notice.create", "contact_method_notice.delete", "contact_notice_type.list", "contact_method_type.list", "site.wizard", "site.get", "site.list", "site.delete", "container_type.create",
      "container_type.list", "container_type.delete", "os_image.create", "os_image.list", "os_image.delete", "provisioning.set_status", "ftp_user.create", "ftp_user.list", "ftp_user.get", "ftp_user.update",
      "ftp_user.delete", "bandwidth.ingest", "bandwidth.billable", "customer_key.list", "customer_role.list",
    ],
    "DomRobot's customer object has no hosting objects; they come from the Stackable Customer service (REST now, Stackable's own protocols later)",
  ],
  [["plan.create", "plan.get", "plan.list", "plan.update", "plan.delete", "budget.get", "budget.set", "usage.report", "usage.get"], "DomRobot has no hosting plans, reseller budgets or usage (REST and Froxlor offer them)"],
  [["package.create", "package.get", "package.list", "package.update", "package.archive", "quota.read", "quota.debit"], "DomRobot has no messaging packages or prepaid message quotas (Everlytic's domain)"],
  [["download.fetch"], "Archives are fetched over HTTPS (GET /v1/downloads/<token>); customer.listdownloads returns the token"],
];

export const INWX_UNSUPPORTED: Readonly<Record<string, string>> = Object.fromEntries(reasons.flatMap(([ops, reason]) => ops.map((op) => [op, reason])));
