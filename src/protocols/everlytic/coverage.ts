/**
 * Operations Everlytic's customer API does not offer as a method of its own (seed 004,
 * protocols.md §5): it creates, reads, updates, lists and deletes customers of a reseller, with
 * Basic username:apikey. The same list holds for REST and XML-RPC.
 */
const NO_METHOD = "Everlytic's customer API has no method for it";
const reasons: [string[], string][] = [
  [["account.login.set", "account.login.read", "account.login.unlock", "account.totp.enrol", "account.totp.confirm", "account.totp.disable", "account.session.login", "account.session.logout"], "Everlytic authenticates every call with Basic username:apikey; account password logins are managed over REST"],
  [["customer.import"], "Bulk import is command-line work (custos import customers)"],
  [["plan.create", "plan.get", "plan.list", "plan.update", "plan.delete", "budget.get", "budget.set", "usage.report", "usage.get"], "Everlytic has no hosting plans, reseller budgets or usage (REST and Froxlor offer them)"],
  [["event.list", "notice.deliveries", "notice.signing_secret", "webhook.create", "webhook.list", "webhook.get", "webhook.update", "webhook.delete", "webhook.rotate_secret", "webhook.ping", "webhook.deliveries", "webhook.redeliver"], "Everlytic's customer API has no events or webhooks; Custos offers them over REST"],
  [
    [
      "settings.set", "settings.get", "settings.registry", "ip_pool.create", "ip_pool.list", "ip_pool.delete", "ip_address.add", "ip_address.list", "ip_address.list_detailed", "ip_address.free",
      "notice.create", "notice.get", "notice.update", "notice.delete", "notice.list", "notice.acknowledge", "contact.create", "contact.delete", "contact.list", "contact_method.create", "contact_method.delete",
      "contact_method_notice.create", "contact_method_notice.delete", "contact_notice_type.list", "contact_method_type.list", "site.wizard", "site.get", "site.list", "site.delete", "container_type.create",
      "container_type.list", "container_type.delete", "os_image.create", "os_image.list", "os_image.delete", "provisioning.set_status", "ftp_user.create", "ftp_user.list", "ftp_user.get", "ftp_user.update",
      "ftp_user.delete", "bandwidth.ingest", "bandwidth.billable", "customer_key.list", "customer_role.list",
    ],
    "Everlytic's customer API has no hosting objects (they are Stackable's)",
  ],
  [
    ["customer.suspend", "customer.unsuspend", "customer.deactivate", "customer.reactivate", "customer.unlock", "customer.withdraw_cancellation"],
    "Reached through UpdateCustomer / PUT status (on, off, suspended): the one transition that leads there runs, with its own permission and audit entry",
  ],
  [["customer.count"], "ListCustomers answers pages; REST links name the last page"],
  [["customer.move", "customer.purge", "customer.anonymise", "customer.close", "customer.request_cancellation", "customer.lifecycle.read", "customer.export"], NO_METHOD],
  [["reseller.create", "reseller.list", "reseller.get", "audit.list", "audit.verify", "role.list"], `${NO_METHOD}: the reseller is the caller`],
  [["apikey.create", "apikey.list", "apikey.get", "apikey.update", "apikey.revoke", "apikey.acl.list", "apikey.acl.create", "apikey.acl.update", "apikey.acl.delete"], "Everlytic API keys are issued in the web interface (here: /v1/api-keys); the API only presents them"],
  [
    [
      "credential.email.confirm",
      "credential.email.request",
      "credential.password.change",
      "credential.password.set",
      "credential.pin.set",
      "credential.pin.verify",
      "credential.read",
      "credential.totp.backup_codes",
      "credential.totp.confirm",
      "credential.totp.disable",
      "credential.totp.enrol",
      "session.list",
      "session.login",
      "session.logout",
      "session.revoke_all",
    ],
    "Everlytic authenticates every call with Basic username:apikey; it has no logins, sessions or customer credentials",
  ],
  [["contact_verification.get", "contact_verification.update", "download.fetch", "download.list"], NO_METHOD],
  [["package.create", "package.get", "package.list", "package.update", "package.archive"], "Packages are referenced by id (email_package_id, transactions_package_id); the catalogue is managed on /v1/message-packages"],
  [["quota.read"], "The balances are customer properties (email_quota, sms_quota, transactions_quota) on GetCustomer"],
  [["quota.debit"], "Sending debits the quota inside the platform; the customer API only sets balances (POST /v1/customers/{ref}/quota-debits)"],
];

export const EVERLYTIC_UNSUPPORTED: Readonly<Record<string, string>> = Object.fromEntries(reasons.flatMap(([ops, reason]) => ops.map((op) => [op, reason])));
