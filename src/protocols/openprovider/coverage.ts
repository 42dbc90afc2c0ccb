/** Openprovider routes that run a credential step rather than a registry operation. */
export const OPENPROVIDER_BINDINGS: Readonly<Record<string, string>> = {
  "POST /v1beta/auth/login": "account.session.login",
};

const CUSTOMERS_ONLY = "Openprovider's customer API (seed 003) has no method for it";
const KEYS = "Openprovider authenticates with login tokens; Custos API keys are managed over REST";

const reasons: [string[], string][] = [
  [["package.create", "package.get", "package.list", "package.update", "package.archive", "quota.read", "quota.debit"], "Openprovider has no messaging packages or prepaid message quotas (Everlytic's domain; REST offers them)"],
  [["customer.count"], "ListCustomers answers the total with every page"],
  [["plan.create", "plan.delete", "plan.get", "plan.list", "plan.update", "budget.get", "budget.set", "usage.get", "usage.report"], "Openprovider's customer API has no hosting plans, reseller budgets or usage; Custos offers them over REST and api.php"],
  [["customer.import"], "Bulk import is command-line work (custos import customers)"],
  [["customer.move", "customer.purge", "customer.anonymise", "customer.close", "customer.deactivate", "customer.reactivate", "customer.suspend", "customer.unsuspend", "customer.unlock", "customer.request_cancellation", "customer.withdraw_cancellation", "customer.lifecycle.read"], `${CUSTOMERS_ONLY}: handles are created, updated and deleted only`],
  [["customer.export", "download.fetch", "download.list", "contact_verification.get", "contact_verification.update"], CUSTOMERS_ONLY],
  [["reseller.create", "reseller.list", "reseller.get", "audit.list", "audit.verify"], `${CUSTOMERS_ONLY}: the reseller is the logged-in account`],
  [["apikey.create", "apikey.list", "apikey.get", "apikey.update", "apikey.revoke", "apikey.acl.list", "apikey.acl.create", "apikey.acl.update", "apikey.acl.delete", "role.list"], KEYS],
  [
    [
      "credential.password.set",
      "credential.password.change",
      "credential.pin.set",
      "credential.pin.verify",
      "credential.read",
      "credential.email.request",
      "credential.email.confirm",
      "credential.totp.enrol",
      "credential.totp.confirm",
      "credential.totp.disable",
      "credential.totp.backup_codes",
      "session.list",
      "session.revoke_all",
      "session.login",
      "session.logout",
    ],
    "Openprovider customer handles are contact records without logins of their own",
  ],
  [["account.login.set", "account.login.read", "account.login.unlock", "account.totp.enrol", "account.totp.confirm", "account.totp.disable"], "Openprovider manages its reseller logins in its control panel; Custos does it over REST"],
  [["account.session.logout"], "Openprovider's API has no logout: tokens end when they expire"],
  [
    [
      "settings.set", "settings.get", "settings.registry", "ip_pool.create", "ip_pool.list", "ip_pool.delete", "ip_address.add", "ip_address.list", "ip_address.list_detailed", "ip_address.free",
      "notice.create", "notice.get", "notice.update", "notice.delete", "notice.list", "notice.acknowledge", "contact.create", "contact.delete", "contact.list", "contact_method.create", "contact_method.delete",
      "contact_method_notice.create", "contact_method_notice.delete", "contact_notice_type.list", "contact_method_type.list", "site.wizard", "site.get", "site.list", "site.delete", "container_type.create",
      "container_type.list", "container_type.delete", "os_image.create", "os_image.list", "os_image.delete", "provisioning.set_status", "ftp_user.create", "ftp_user.list", "ftp_user.get", "ftp_user.update",
      "ftp_user.delete", "bandwidth.ingest", "bandwidth.billable", "customer_key.list", "customer_role.list",
    ],
    "Openprovider's customer API has no hosting objects (they are Stackable's)",
  ],
  [
    ["event.list", "notice.deliveries", "notice.signing_secret", "webhook.create", "webhook.list", "webhook.get", "webhook.update", "webhook.delete", "webhook.rotate_secret", "webhook.ping", "webhook.deliveries", "webhook.redeliver"],
    "Openprovider's customer API has no events or webhooks; Custos offers them over REST",
  ],
];

/** Operations Openprovider REST v1beta does not offer, with the reason. */
export const OPENPROVIDER_UNSUPPORTED: Readonly<Record<string, string>> = Object.fromEntries(reasons.flatMap(([ops, reason]) => ops.map((op) => [op, reason])));
