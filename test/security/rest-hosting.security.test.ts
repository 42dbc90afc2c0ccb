/**
 * The shared security suite over the REST routes of the hosting objects (issue 14): every
 * operation refused without or with bad credentials, outside the key's ACL, to a role without
 * its permission, and across tenants (another tenant's object answers exactly like a missing one).
 */
import { systemContext } from "../../src/core/context.js";
import { AccessOps } from "../../src/modules/access/operations.js";
import { BandwidthOps } from "../../src/modules/bandwidth/operations.js";
import { ContactOps } from "../../src/modules/contacts/operations.js";
import { FtpOps } from "../../src/modules/ftp/operations.js";
import { IpAddressOps, IpPoolOps } from "../../src/modules/network/operations.js";
import { NoticeOps } from "../../src/modules/notices/operations.js";
import { ProvisioningOps } from "../../src/modules/provisioning/operations.js";
import { SettingsOps } from "../../src/modules/settings/operations.js";
import { CatalogueOps, SiteOps } from "../../src/modules/sites/operations.js";
import type { TestServer } from "../helpers/harness.js";
import { api } from "../helpers/harness.js";
import { classifyRest, describeRest, type RestResult } from "./rest-outcome.js";
import { type CallInput, runSecuritySuite, type SecurityCase } from "./suite.js";

type Res = RestResult;

function rest(method: string, path: (i: CallInput) => string, body?: (i: CallInput) => unknown): (i: CallInput) => Promise<Res> {
  return (i) => {
    const b = body?.(i);
    return api(i.server.url, method, path(i), { key: i.credential, ...(b === undefined ? {} : { body: b }) });
  };
}

const sys = systemContext("test");
const MISSING = 987654;
let seq = 0;
const once = new WeakMap<TestServer, Map<string, Promise<unknown>>>();
/** Creates a shared fixture once per server. */
function shared<T>(server: TestServer, name: string, make: () => Promise<T>): Promise<T> {
  const m = once.get(server) ?? new Map<string, Promise<unknown>>();
  once.set(server, m);
  const p = m.get(name) ?? make();
  m.set(name, p);
  return p as Promise<T>;
}
const exists = async (i: CallInput): Promise<boolean> => i.target.customerId !== MISSING;
const hosting = (i: CallInput) => i.server.app.services.hosting;
const pool = (i: CallInput) => shared(i.server, "pool", () => hosting(i).network.createPool(sys, { name: "security", cidr: "10.200.0.0/16" }));

/** An address assigned to the target customer (a made-up one for the missing customer). */
async function assignedAddress(i: CallInput): Promise<string> {
  if (!(await exists(i))) return "10.200.255.254";
  const p = await pool(i);
  return (await hosting(i).network.addIpAddress(sys, i.target.customerId, { pool_id: p.id })).address;
}

/** A notice of the target customer (a made-up id for the missing customer). */
async function noticeOf(i: CallInput): Promise<number> {
  if (!(await exists(i))) return MISSING;
  return (await hosting(i).notices.create(sys, { customer_id: i.target.customerId, title: "security suite" })).id;
}

async function contactOf(i: CallInput): Promise<number> {
  if (!(await exists(i))) return MISSING;
  return (await hosting(i).contacts.createContact(sys, i.target.customerId, { name: "security" })).id;
}
async function methodOf(i: CallInput): Promise<number> {
  if (!(await exists(i))) return MISSING;
  return (await hosting(i).contacts.createContactMethod(sys, await contactOf(i), { method_id: "email", options: { address: "sec@example.com" } })).id;
}
async function subscriptionOf(i: CallInput): Promise<number> {
  if (!(await exists(i))) return MISSING;
  return (await hosting(i).contacts.createContactMethodNotice(sys, await methodOf(i), { notice_type_id: "billing" })).id;
}

const wizardBody = () => {
  const n = ++seq;
  return { site_name: `sec${n}`, site_hostname: `sec${n}.security.example`, container_name: "web", environment_names: ["production"], container_type: "static", container_os_id: "debian-12", container_disk_space: 10, container_size: 1 };
};
async function siteOf(i: CallInput): Promise<number> {
  if (!(await exists(i))) return MISSING;
  return (await hosting(i).sites.wizard(sys, i.target.customerId, wizardBody())).id;
}

const ftpBody = () => ({ name: "sec", username: `sec${++seq}`, password: "security suite password", relative_root: "www", type: "read_only" });
async function ftpUserOf(i: CallInput): Promise<number> {
  if (!(await exists(i))) return MISSING;
  return (await hosting(i).ftp.createFTPUser(sys, i.target.customerId, ftpBody())).id;
}

/** Runs `path(i, id)` against a fresh object made by `make`. */
function onObject(method: string, make: (i: CallInput) => Promise<number>, path: (i: CallInput, id: number) => string, body?: () => unknown): (i: CallInput) => Promise<Res> {
  return async (i) => {
    const id = await make(i);
    const b = body?.();
    return api(i.server.url, method, path(i, id), { key: i.credential, ...(b === undefined ? {} : { body: b }) });
  };
}

const cases: SecurityCase<Res>[] = [
  { operation: SettingsOps.registry, targeted: false, call: rest("GET", () => "/v1/settings-registry") },
  { operation: SettingsOps.get, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/settings`) },
  { operation: SettingsOps.set, call: rest("PUT", (i) => `/v1/customers/${i.target.customerId}/settings`, () => ({ settings: [{ key: "php.version", value: "8.2" }] })) },
  { operation: IpPoolOps.create, targeted: false, call: rest("POST", () => `/v1/ip-pools`, () => {
      const n = ++seq;
      return { name: `p${n}`, cidr: `10.${100 + (n >> 8)}.${n & 255}.0/30` };
    }) },
  { operation: IpPoolOps.list, targeted: false, call: rest("GET", () => "/v1/ip-pools") },
  {
    operation: IpPoolOps.delete,
    targeted: false,
    async call(i) {
      const p = await hosting(i).network.createPool(sys, { name: `del${++seq}`, cidr: `fd00:${(++seq).toString(16)}::/120` });
      return api(i.server.url, "DELETE", `/v1/ip-pools/${p.id}`, { key: i.credential });
    },
  },
  {
    operation: IpAddressOps.add,
    async call(i) {
      const p = await pool(i);
      return api(i.server.url, "POST", `/v1/customers/${i.target.customerId}/ip-addresses`, { key: i.credential, body: { pool_id: p.id } });
    },
  },
  { operation: IpAddressOps.list, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/ip-address-list`) },
  { operation: IpAddressOps.listDetailed, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/ip-addresses`) },
  {
    operation: IpAddressOps.free,
    async call(i) {
      const address = await assignedAddress(i);
      return api(i.server.url, "DELETE", `/v1/customers/${i.target.customerId}/ip-addresses/${address}`, { key: i.credential });
    },
  },
  { operation: NoticeOps.create, call: rest("POST", () => "/v1/notices", (i) => ({ customer_id: i.target.customerId, title: "hello" })) },
  { operation: NoticeOps.get, call: onObject("GET", noticeOf, (_i, id) => `/v1/notices/${id}`) },
  { operation: NoticeOps.update, call: onObject("PATCH", noticeOf, (_i, id) => `/v1/notices/${id}`, () => ({ title: "changed" })) },
  { operation: NoticeOps.delete, call: onObject("DELETE", noticeOf, (_i, id) => `/v1/notices/${id}`) },
  { operation: NoticeOps.list, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/notices`) },
  { operation: NoticeOps.acknowledge, call: onObject("POST", noticeOf, (i, id) => `/v1/customers/${i.target.customerId}/notices/${id}/acknowledge`) },
  { operation: ContactOps.create, call: rest("POST", (i) => `/v1/customers/${i.target.customerId}/contacts`, () => ({ name: "c" })) },
  { operation: ContactOps.list, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/contacts`) },
  { operation: ContactOps.delete, call: onObject("DELETE", contactOf, (_i, id) => `/v1/contacts/${id}`) },
  { operation: ContactOps.methodCreate, call: onObject("POST", contactOf, (_i, id) => `/v1/contacts/${id}/methods`, () => ({ method_id: "sms", options: { number: "+31612345678" } })) },
  { operation: ContactOps.methodDelete, call: onObject("DELETE", methodOf, (_i, id) => `/v1/contact-methods/${id}`) },
  { operation: ContactOps.subscribe, call: onObject("POST", methodOf, (_i, id) => `/v1/contact-methods/${id}/notices`, () => ({ notice_type_id: "abuse" })) },
  { operation: ContactOps.unsubscribe, call: onObject("DELETE", subscriptionOf, (_i, id) => `/v1/contact-method-notices/${id}`) },
  { operation: ContactOps.noticeTypes, targeted: false, call: rest("GET", () => "/v1/contact-notice-types") },
  { operation: ContactOps.methodTypes, targeted: false, call: rest("GET", () => "/v1/contact-method-types") },
  { operation: SiteOps.wizard, call: rest("POST", (i) => `/v1/customers/${i.target.customerId}/sites`, wizardBody) },
  { operation: SiteOps.list, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/sites`) },
  { operation: SiteOps.get, call: onObject("GET", siteOf, (_i, id) => `/v1/sites/${id}`) },
  { operation: SiteOps.delete, call: onObject("DELETE", siteOf, (_i, id) => `/v1/sites/${id}`) },
  { operation: ProvisioningOps.setStatus, targeted: false, call: onObject("PUT", siteOf, (_i, id) => `/v1/provisioning/site/${id}/status`, () => ({ status: "provisioning" })) },
  { operation: CatalogueOps.containerTypeCreate, targeted: false, call: rest("POST", () => "/v1/container-types", () => ({ name: `t${++seq}` })) },
  { operation: CatalogueOps.containerTypeList, targeted: false, call: rest("GET", () => "/v1/container-types") },
  { operation: CatalogueOps.containerTypeDelete, targeted: false, call: onObject("DELETE", async (i) => (await hosting(i).sites.createContainerType(sys, { name: `d${++seq}` })).id, (_i, id) => `/v1/container-types/${id}`) },
  { operation: CatalogueOps.osCreate, targeted: false, call: rest("POST", () => "/v1/os-images", () => ({ name: `os${++seq}` })) },
  { operation: CatalogueOps.osList, targeted: false, call: rest("GET", () => "/v1/os-images") },
  { operation: CatalogueOps.osDelete, targeted: false, call: onObject("DELETE", async (i) => (await hosting(i).sites.createOsImage(sys, { name: `do${++seq}` })).id, (_i, id) => `/v1/os-images/${id}`) },
  { operation: FtpOps.create, call: rest("POST", (i) => `/v1/customers/${i.target.customerId}/ftp-users`, ftpBody) },
  { operation: FtpOps.list, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/ftp-users`) },
  { operation: FtpOps.get, call: onObject("GET", ftpUserOf, (_i, id) => `/v1/ftp-users/${id}`) },
  { operation: FtpOps.update, call: onObject("PATCH", ftpUserOf, (_i, id) => `/v1/ftp-users/${id}`, () => ({ name: "renamed" })) },
  { operation: FtpOps.delete, call: onObject("DELETE", ftpUserOf, (_i, id) => `/v1/ftp-users/${id}`) },
  { operation: BandwidthOps.ingest, call: rest("POST", () => "/v1/bandwidth/samples", (i) => ({ samples: [{ customer_id: i.target.customerId, start: 1767225600 + 300 * ++seq, bytes_in: 1, bytes_out: 2 }] })) },
  { operation: BandwidthOps.billable, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/bandwidth/billable`) },
  { operation: AccessOps.keys, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/api-keys?type=standard`) },
  { operation: AccessOps.roles, call: rest("GET", (i) => `/v1/customers/${i.target.customerId}/roles`) },
];

runSecuritySuite<Res>({
  protocol: "REST hosting",
  cases,
  classify: classifyRest,
  describe: describeRest,
  mustCover: [...Object.values(SettingsOps), ...Object.values(IpPoolOps), ...Object.values(IpAddressOps), ...Object.values(NoticeOps), ...Object.values(ContactOps), ...Object.values(SiteOps), ...Object.values(CatalogueOps), ...Object.values(ProvisioningOps), ...Object.values(FtpOps), ...Object.values(BandwidthOps), ...Object.values(AccessOps)],
});
