import { METHODS } from "./methods.js";

/**
 * Operations Froxlor's api.php (as Custos answers it: Customers and HostingPlans) does not offer.
 * Froxlor.listFunctions describes the API and runs no operation, so it is not in the bindings.
 */
const NO_COMMAND = "Froxlor's API has no command for it";

const reasons: [string[], string][] = [
  [["package.create", "package.get", "package.list", "package.update", "package.archive", "quota.read", "quota.debit"], "Froxlor has no messaging packages or prepaid message quotas (Everlytic's domain; REST offers them)"],
  [["account.login.set", "account.login.read", "account.login.unlock", "account.totp.enrol", "account.totp.confirm", "account.totp.disable", "account.session.login", "account.session.logout"], "api.php authenticates with API key pairs; operator and reseller password logins are managed over REST"],
  [["customer.import"], "Bulk import is command-line work (custos import customers)"],
  [["event.list", "notice.deliveries", "notice.signing_secret", "webhook.create", "webhook.list", "webhook.get", "webhook.update", "webhook.delete", "webhook.rotate_secret", "webhook.ping", "webhook.deliveries", "webhook.redeliver"], "Froxlor's API has no events or webhooks; Custos offers them over REST"],
  [["apikey.create", "apikey.list", "apikey.get", "apikey.update", "apikey.revoke", "apikey.acl.list", "apikey.acl.create", "apikey.acl.update", "apikey.acl.delete", "role.list"], "Froxlor manages API keys in its web interface, not through api.php"],
  [["reseller.create", "reseller.list", "reseller.get", "budget.get", "budget.set"], "Admins/resellers and their resources are the Admins module, which Custos does not expose on api.php (use REST)"],
  [["audit.list", "audit.verify"], NO_COMMAND],
  [["usage.report", "usage.get"], "Froxlor measures usage itself; api.php shows it in the _used columns and with show_usages (Customers.get/listing)"],
  [["customer.purge", "customer.anonymise", "customer.export", "download.list", "download.fetch"], NO_COMMAND],
  [["customer.lifecycle.read", "customer.suspend", "customer.unsuspend", "customer.deactivate", "customer.reactivate", "customer.close", "customer.request_cancellation", "customer.withdraw_cancellation"], "Bound through Customers.update (deactivated) and the deactivated column"],
  [["credential.password.set"], "Bound through Customers.add/update (new_customer_password) as one composite command"],
  [
    ["credential.password.change", "credential.pin.set", "credential.pin.verify", "credential.read", "credential.email.request", "credential.email.confirm", "credential.totp.enrol", "credential.totp.confirm", "credential.totp.disable", "credential.totp.backup_codes", "session.list", "session.revoke_all", "session.login", "session.logout"],
    "api.php authenticates every request with an API key; logins, PINs and 2FA are the web interface's",
  ],
  [["contact_verification.get", "contact_verification.update"], NO_COMMAND],
  [
    [
      "settings.set", "settings.get", "settings.registry", "ip_pool.create", "ip_pool.list", "ip_pool.delete", "ip_address.add", "ip_address.list", "ip_address.list_detailed", "ip_address.free",
      "notice.create", "notice.get", "notice.update", "notice.delete", "notice.list", "notice.acknowledge", "contact.create", "contact.delete", "contact.list", "contact_method.create", "contact_method.delete",
      "contact_method_notice.create", "contact_method_notice.delete", "contact_notice_type.list", "contact_method_type.list", "site.wizard", "site.get", "site.list", "site.delete", "container_type.create",
      "container_type.list", "container_type.delete", "os_image.create", "os_image.list", "os_image.delete", "provisioning.set_status", "ftp_user.create", "ftp_user.list", "ftp_user.get", "ftp_user.update",
      "ftp_user.delete", "bandwidth.ingest", "bandwidth.billable", "customer_key.list", "customer_role.list",
    ],
    "Stackable hosting objects; api.php offers Customers and HostingPlans (Froxlor's own FTPs, Domains, ... modules are not answered by Custos)",
  ],
];

export const FROXLOR_UNSUPPORTED: Readonly<Record<string, string>> = Object.fromEntries(reasons.flatMap(([ops, reason]) => ops.map((op) => [op, reason])));

export function froxlorBindings(): { method: string; operation: string }[] {
  return Object.entries(METHODS).map(([method, m]) => ({ method, operation: m.operation }));
}
