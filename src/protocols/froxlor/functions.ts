/**
 * What Froxlor.listFunctions tells clients about each command (Froxlor's own docblocks, in
 * short), and which commands need an admin key. Declarative: the plugin answers listFunctions and
 * refuses admin-only commands to customer keys from this table.
 */
export interface FunctionDoc {
  module: string;
  function: string;
  head: string;
  /** "admin" commands answer a customer's key with 403 Not allowed to execute given command. */
  access: "admin" | "admin customer";
  params: [parameter: string, type: string, desc: string][];
  returns: string;
}

const SEARCH: FunctionDoc["params"] = [
  ["sql_search", "array", "optional array with index = fieldname and value = array with 'op' => operator (one of <, > or =), LIKE is used if left empty and 'value' => searchvalue"],
  ["sql_limit", "int", "optional specify number of results to be returned"],
  ["sql_offset", "int", "optional specify offset for resultset"],
  ["sql_orderby", "array", "optional array with index = fieldname and value = ASC|DESC to order the resultset by one or more fields"],
];
const BY_CUSTOMER: FunctionDoc["params"] = [
  ["id", "int", "optional, the customer-id"],
  ["loginname", "string", "optional, the loginname"],
];
const BY_PLAN: FunctionDoc["params"] = [
  ["id", "int", "optional, the hosting-plan-id"],
  ["planname", "string", "optional, the hosting-plan-name"],
];
const QUOTAS: FunctionDoc["params"] = ["diskspace", "traffic", "subdomains", "emails", "email_accounts", "email_forwarders", "email_quota", "ftps", "mysqls"].flatMap(
  (q): FunctionDoc["params"] => [
    [q, "int", `optional ${q === "diskspace" || q === "email_quota" ? "in MB" : q === "traffic" ? "in GB" : "amount"}, default 0`],
    [`${q}_ul`, "bool", "optional, whether it is unlimited, default 0 (false)"],
  ],
);
const CUSTOMER: FunctionDoc["params"] = [
  ["email", "string", ""],
  ["name", "string", "optional if company is set, else required"],
  ["firstname", "string", "optional if company is set, else required"],
  ["company", "string", "optional but required if name/firstname empty"],
  ["street", "string", "optional"],
  ["zipcode", "string", "optional"],
  ["city", "string", "optional"],
  ["phone", "string", "optional"],
  ["fax", "string", "optional"],
  ["customernumber", "int", "optional"],
  ["def_language", "string", "optional, default is system-default language"],
  ["api_allowed", "bool", "optional, default true"],
  ["gender", "int", "optional, 0 = no-gender, 1 = male, 2 = female"],
  ["custom_notes", "string", "optional notes"],
  ["custom_notes_show", "bool", "optional, whether to show the content of custom_notes to the customer, default 0 (false)"],
  ...QUOTAS,
  ["email_imap", "bool", "optional, whether to allow IMAP access, default 0 (false)"],
  ["email_pop3", "bool", "optional, whether to allow POP3 access, default 0 (false)"],
  ["phpenabled", "bool", "optional, whether to allow usage of PHP, default 0 (false)"],
  ["allowed_phpconfigs", "array", "optional, array of IDs of php-config that the customer is allowed to use"],
  ["perlenabled", "bool", "optional, default 0 (false)"],
  ["dnsenabled", "bool", "optional, default 0 (false)"],
  ["logviewenabled", "bool", "optional, default 0 (false)"],
  ["hosting_plan_id", "int", "optional, take the resource values from this hosting plan"],
  ["allowed_mysqlserver", "array", "optional, array of IDs of mysql-servers the customer is allowed to use"],
];

export const FUNCTIONS: Readonly<Record<string, FunctionDoc>> = {
  "Customers.listing": { module: "Customers", function: "listing", head: "lists all customer entries", access: "admin", params: [...SEARCH, ["show_usages", "bool", "optional, default false"]], returns: "json-encoded array count|list" },
  "Customers.listingcount": { module: "Customers", function: "listingCount", head: "returns the total number of customers for the given admin", access: "admin", params: [], returns: "json-encoded response message" },
  "Customers.get": { module: "Customers", function: "get", head: "return a customer entry by either id or loginname", access: "admin customer", params: [...BY_CUSTOMER, ["show_usages", "bool", "optional, default false"]], returns: "json-encoded array" },
  "Customers.add": {
    module: "Customers",
    function: "add",
    head: "create a new customer with default ftp-user and standard-subdomain (if wanted)",
    access: "admin",
    params: [...CUSTOMER, ["new_loginname", "string", "optional, if empty generated automatically using customer-prefix and increasing number"], ["new_customer_password", "string", "optional, if empty generated automatically and sent to the customer's email if sendpassword is 1"], ["sendpassword", "bool", "optional, default 0 (false)"]],
    returns: "json-encoded array",
  },
  "Customers.update": {
    module: "Customers",
    function: "update",
    head: "update customer entry by either id or loginname, customer can only change language, password and theme",
    access: "admin customer",
    params: [...BY_CUSTOMER, ...CUSTOMER, ["new_customer_password", "string", "optional, set new password"], ["move_to_admin", "int", "optional, if valid admin-id is given here, the customer's admin/reseller can be changed"], ["deactivated", "bool", "optional, if 1 (true) the customer can be deactivated/suspended"], ["theme", "string", "optional, change theme"]],
    returns: "json-encoded array",
  },
  "Customers.delete": { module: "Customers", function: "delete", head: "delete a customer entry by either id or loginname", access: "admin", params: [...BY_CUSTOMER, ["delete_userfiles", "bool", "optional, default false"]], returns: "json-encoded array" },
  "Customers.unlock": { module: "Customers", function: "unlock", head: "unlock a locked customer by either id or loginname", access: "admin", params: BY_CUSTOMER, returns: "json-encoded array" },
  "Customers.move": { module: "Customers", function: "move", head: "Function to move a given customer to a given admin/reseller and update all its references accordingly", access: "admin", params: [...BY_CUSTOMER, ["adminid", "int", "target-admin-id"]], returns: "json-encoded array" },
  "HostingPlans.listing": { module: "HostingPlans", function: "listing", head: "lists all hosting-plan entries", access: "admin", params: SEARCH, returns: "json-encoded array count|list" },
  "HostingPlans.listingcount": { module: "HostingPlans", function: "listingCount", head: "returns the total number of accessible hosting-plans", access: "admin", params: [], returns: "json-encoded response message" },
  "HostingPlans.get": { module: "HostingPlans", function: "get", head: "return a hosting-plan entry by either id or plan-name", access: "admin", params: BY_PLAN, returns: "json-encoded array" },
  "HostingPlans.add": { module: "HostingPlans", function: "add", head: "add new hosting-plan", access: "admin", params: [["name", "string", "name of the plan"], ["description", "string", "optional, description for hosting-plan"], ...QUOTAS], returns: "json-encoded array" },
  "HostingPlans.update": { module: "HostingPlans", function: "update", head: "update hosting-plan by either id or plan-name", access: "admin", params: [...BY_PLAN, ["name", "string", "optional, new name"], ["description", "string", "optional"], ...QUOTAS], returns: "json-encoded array" },
  "HostingPlans.delete": { module: "HostingPlans", function: "delete", head: "delete hosting-plan by either id or plan-name", access: "admin", params: BY_PLAN, returns: "json-encoded array" },
  "Froxlor.listfunctions": { module: "Froxlor", function: "listFunctions", head: "lists all api functions of this server", access: "admin customer", params: [["module", "string", "optional, return list of functions for a specific module"], ["function", "string", "optional, return parameter information for a specific function"]], returns: "json-encoded array" },
};

/** Froxlor.listFunctions' answer, optionally for one module or one function. */
export function listFunctions(module: string, fn: string): unknown[] {
  return Object.values(FUNCTIONS)
    .filter((f) => (module === "" || f.module === module) && (fn === "" || f.function.toLowerCase() === fn.toLowerCase()))
    .map((f) => ({
      module: f.module,
      function: f.function,
      head: f.head,
      params: f.params.map(([parameter, type, desc]) => ({ parameter, type, desc })),
      access: { groups: f.access },
      return: { type: "string", desc: f.returns },
    }));
}
