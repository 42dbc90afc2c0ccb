import type { BillableView } from "../../modules/bandwidth/schema.js";
import type { CatalogueEntry, ContactView } from "../../modules/contacts/schema.js";
import { FTP_USER_TYPES, type FtpUserView } from "../../modules/ftp/schema.js";
import type { IpAddressView } from "../../modules/network/schema.js";
import type { NoticeView } from "../../modules/notices/schema.js";
import { SETTINGS } from "../../modules/settings/registry.js";
import type { SettingsView } from "../../modules/settings/schema.js";
import type { SiteView } from "../../modules/sites/schema.js";
import { defineFields, type WireType, wire } from "../kit/fields.js";

/** Wire types of the hosting functions' arguments (IDL names; `id` arguments are targets). */
const bad = (message: string) => ({ ok: false as const, code: "invalid_type" as const, message });
const ok = (value: unknown) => ({ ok: true as const, value });

const stringList: WireType = {
  decode: (v) => (Array.isArray(v) && v.every((s) => typeof s === "string") ? ok(v) : bad("must be a list of strings")),
};

/** map<string,string>: a JSON object of strings (Thrift maps arrive as objects too). */
const stringMap: WireType = {
  decode: (v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((s) => typeof s === "string") ? ok(v) : bad("must be a map of strings to strings"),
};

/** FTPUserType: the enum's number (Thrift, JSON) or its name. */
const ftpUserType: WireType = {
  decode(v) {
    if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= FTP_USER_TYPES.length) return ok(FTP_USER_TYPES[v - 1]);
    if (typeof v === "string") {
      const name = v.toLowerCase();
      if ((FTP_USER_TYPES as readonly string[]).includes(name)) return ok(name);
    }
    return { ok: false, code: "invalid_value", message: "must be READ_WRITE (1), READ_ONLY (2) or UPLOAD_ONLY (3)" };
  },
};
export const ftpTypeNumber = (t: string): number => (FTP_USER_TYPES as readonly string[]).indexOf(t) + 1;

const TYPES = new Map(SETTINGS.map((s) => [s.key, s.type]));
/** A Setting value as text ("42", "true") read as the registry types it; JSON values pass as sent. */
function settingValue(key: unknown, value: unknown): unknown {
  if (typeof value !== "string") return value;
  const type = typeof key === "string" ? TYPES.get(key) : undefined;
  if (type === "integer" && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** SettingList: a list of {key, value}. */
const settingList: WireType = {
  decode(v) {
    if (!Array.isArray(v) || !v.every((s) => s !== null && typeof s === "object" && typeof (s as { key?: unknown }).key === "string")) return bad("must be a list of {key, value} settings");
    return ok(v.map((s: { key: string; value?: unknown }) => ({ key: s.key, value: settingValue(s.key, s.value) })));
  },
};

const targetId = { to: "target", type: wire.int };

export const WIZARD = defineFields({
  customerId: targetId,
  siteName: { to: "site_name", type: wire.string },
  siteHostname: { to: "site_hostname", type: wire.string },
  containerName: { to: "container_name", type: wire.string },
  containerType: { to: "container_type", type: wire.int },
  containerOSId: { to: "container_os_id", type: wire.int },
  containerDiskSpace: { to: "container_disk_space", type: wire.int },
  containerSize: { to: "container_size", type: wire.int },
  environmentNames: { to: "environment_names", type: stringList },
  aliasNames: { to: "alias_names", type: stringList },
  createDNS: { to: "create_dns", type: wire.boolean },
});
export const SET_SETTINGS = defineFields({ id: targetId, settings: { to: "settings", type: settingList } });
export const BY_ID = defineFields({ id: targetId });
export const BY_CUSTOMER_ID = defineFields({ customerId: targetId });
export const ADD_IP = defineFields({ id: targetId, address: { to: "address", type: wire.string } });
export const FREE_IP = defineFields({ id: targetId, address: { to: "address", type: wire.string } });
const FTP_COMMON = {
  name: { to: "name", type: wire.string },
  username: { to: "username", type: wire.string },
  password: { to: "password", type: wire.string },
  relativeRoot: { to: "relative_root", type: wire.string },
  type: { to: "type", type: ftpUserType },
  siteId: { to: "site_id", type: wire.int },
  environmentId: { to: "environment_id", type: wire.int },
};
export const CREATE_FTP = defineFields({ customerId: targetId, ...FTP_COMMON });
export const UPDATE_FTP = defineFields({ id: targetId, ...FTP_COMMON });
export const LIST_FTP = defineFields({ id: targetId, siteId: { to: "site_id", type: wire.int }, environmentId: { to: "environment_id", type: wire.int } });
export const LIST_NOTICES = defineFields({ customerId: targetId, since: { to: "since", type: wire.int } });
export const ACK_NOTICE = defineFields({ noticeId: targetId });
export const CREATE_CONTACT = defineFields({ customerId: targetId, name: { to: "name", type: wire.string } });
export const CONTACT_ID = defineFields({ contactId: targetId });
export const CREATE_METHOD = defineFields({ contactId: targetId, methodId: { to: "method_id", type: wire.int }, options: { to: "options", type: stringMap } });
export const METHOD_ID = defineFields({ contactMethodId: targetId });
export const SUBSCRIBE = defineFields({ contactMethodId: targetId, noticeTypeId: { to: "notice_type_id", type: wire.int }, options: { to: "options", type: stringMap } });
export const SUBSCRIPTION_ID = defineFields({ contactMethodNoticeId: targetId });
export const NO_ARGS = defineFields({});

const unix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const optional = (name: string, v: unknown): Record<string, unknown> => (v === null || v === undefined ? {} : { [name]: v });

export const site = (s: SiteView) => ({
  id: s.id,
  customerId: s.customer_id,
  name: s.name,
  hostname: s.hostname,
  aliases: s.aliases,
  environments: s.environments.map((e) => ({ id: e.id, name: e.name, status: e.status })),
  status: s.status,
});
export const settings = (v: SettingsView) => v.data.map((s) => ({ key: s.key, value: String(s.value) }));
export const ipDetails = (a: IpAddressView) => ({
  address: a.address,
  version: a.version,
  pool: a.pool.name,
  ...optional("siteId", a.site_id),
  ...optional("reverseDNS", a.reverse_dns),
  assigned: unix(a.assigned_at),
});
export const ftpUser = (u: FtpUserView) => ({
  id: u.id,
  customerId: u.customer_id,
  name: u.name,
  username: u.username,
  relativeRoot: u.relative_root,
  type: ftpTypeNumber(u.type),
  ...optional("siteId", u.site_id),
  ...optional("environmentId", u.environment_id),
});
export const billable = (b: BillableView) => b.billable;
export const notice = (n: NoticeView) => ({
  id: n.id,
  global: n.global,
  type: n.type,
  title: n.title,
  body: n.body,
  severity: n.severity,
  acknowledged: n.acknowledged,
  created: unix(n.created_at),
  updated: unix(n.updated_at),
});
export const catalogue = (e: CatalogueEntry) => ({ id: e.id, name: e.name, description: e.description });
export const contact = (c: ContactView) => ({
  id: c.id,
  name: c.name,
  methods: c.methods.map((m) => ({
    id: m.id,
    methodId: m.method.id,
    method: m.method.name,
    options: m.options,
    notices: m.subscriptions.map((s) => ({ id: s.id, noticeTypeId: s.notice_type.id, noticeType: s.notice_type.name, options: s.options })),
  })),
});
