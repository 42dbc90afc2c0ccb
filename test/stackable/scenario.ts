import assert from "node:assert/strict";
import { systemContext } from "../../src/core/context.js";
import { api, type TestServer } from "../helpers/harness.js";
import type { SigningKey } from "./client.js";
import { Refusal, SERVICE_FUNCTIONS, type Transport } from "./transports.js";

/**
 * One scenario that calls every function of the Customer service (seed 002) and checks each
 * answer, written once and run unchanged over the JSON proxy, Thrift/HTTP and Thrift/AMQP
 * (transports.ts). The catalogue (container type, OS image, address pool) is made over REST in
 * {@link prepareCatalogue}; a notice is made over REST as a provider would, and acknowledged with
 * the customer's own key (the seed names only the notice, so it needs a customer's key).
 */
const sys = systemContext("test");

export interface Catalogue {
  pool: string;
  typeId: number;
  osId: number;
}

export async function prepareCatalogue(server: TestServer, tag: string): Promise<Catalogue> {
  const pool = `st-${tag}`;
  assert.equal((await api(server.url, "POST", "/v1/ip-pools", { body: { name: pool, cidr: "192.0.2.0/28" } })).status, 201);
  const typeId = (await api(server.url, "POST", "/v1/container-types", { body: { name: `node-${tag}`, max_size: 4 } })).body.id as number;
  const osId = (await api(server.url, "POST", "/v1/os-images", { body: { name: `alpine-${tag}` } })).body.id as number;
  return { pool, typeId, osId };
}

/** What the steps learn from earlier answers. */
interface State {
  server: TestServer;
  catalogue: Catalogue;
  tag: string;
  customer: number;
  login: string;
  ownKey?: SigningKey;
  aclId?: number;
  address?: string;
  siteId?: number;
  ftpId?: number;
  noticeId?: number;
  methodTypeId?: number;
  noticeTypeId?: number;
  contactId?: number;
  contactMethodId?: number;
  contactMethodNoticeId?: number;
}

type R = Record<string, unknown>;
type Rs = R[];

interface Step {
  fn: string;
  args: (s: State) => R;
  /** Signed with the customer's own key (createKey's answer) instead of the operator's. */
  asCustomer?: boolean;
  /** Work a provider does elsewhere (REST) before the call. */
  before?: (s: State) => Promise<void>;
  /** The answer is checked; an `expect` step must answer. */
  expect?: (answer: unknown, s: State) => void | Promise<void>;
  /** The call must be refused with InvalidArguments naming these fields (and this code, if given). */
  refused?: { fields: string[]; code?: string };
}

const n = (v: unknown): number => {
  assert.equal(typeof v, "number", `a number, got ${JSON.stringify(v)}`);
  return v as number;
};

/** The scenario, in order. Each of the 35 functions appears at least once with an answer checked. */
export const STEPS: readonly Step[] = [
  // Account, credentials and keys
  { fn: "getUsername", args: (s) => ({ id: s.customer }), expect: (a, s) => assert.equal(a, s.login) },
  { fn: "changePassword", args: (s) => ({ id: s.customer, password: "Correct-Horse-Battery-9" }), expect: (a) => assert.equal(a, null) },
  { fn: "changePassword", args: (s) => ({ id: s.customer, password: "short" }), refused: { fields: ["password"], code: "validation_failed" } },
  { fn: "changePIN", args: (s) => ({ id: s.customer, pin: "4711" }), expect: (a) => assert.equal(a, null) },
  { fn: "changePIN", args: (s) => ({ id: s.customer, pin: "x" }), refused: { fields: ["pin"], code: "validation_failed" } },
  {
    fn: "changeEmail",
    args: (s) => ({ id: s.customer, email: `new.${s.tag}.${s.customer}@stackable.example` }),
    expect: async (a, s) => {
      assert.equal(a, null);
      // The address changes once the token mailed to it is confirmed; until then the change is pending.
      const pending = await s.server.app.storage.db.selectFrom("email_changes").select("new_email").where("customer_id", "=", s.customer).executeTakeFirst();
      assert.equal(pending?.new_email, `new.${s.tag}.${s.customer}@stackable.example`);
    },
  },
  {
    fn: "createKey",
    args: (s) => ({ id: s.customer, type: "standard" }),
    expect: (a, s) => {
      const k = a as R;
      assert.equal(k.type, "standard");
      assert.match(String(k.signingSecret), /^ss_/);
      assert.equal(typeof k.created, "number");
      s.ownKey = { keyId: n(k.id), secret: String(k.signingSecret) };
    },
  },
  {
    fn: "getKeys",
    args: (s) => ({ id: s.customer }),
    expect: (a, s) => {
      const keys = a as Rs;
      assert.deepEqual(
        keys.map((k) => k.id),
        [s.ownKey?.keyId],
      );
      assert.equal(keys[0]?.signingSecret, undefined, "a listing never answers the signing secret");
      assert.equal(keys[0]?.key, undefined);
    },
  },
  { fn: "getKeys", args: (s) => ({ id: s.customer, type: "automation" }), expect: (a) => assert.deepEqual(a, []) },
  {
    fn: "createKeyACL",
    args: (s) => ({ id: s.ownKey?.keyId, address: "203.0.113.7", cidr: 32 }),
    expect: (a, s) => {
      const acl = a as R;
      s.aclId = n(acl.id);
      assert.deepEqual(acl, { id: s.aclId, keyId: s.ownKey?.keyId, address: "203.0.113.7", cidr: 32 });
    },
  },
  { fn: "updateKeyACL", args: (s) => ({ id: s.aclId, address: "203.0.113.8" }), expect: (a, s) => assert.deepEqual(a, { id: s.aclId, keyId: s.ownKey?.keyId, address: "203.0.113.8", cidr: 32 }) },
  { fn: "deleteKeyACL", args: (s) => ({ id: s.aclId }), expect: (a) => assert.equal(a, null) },
  { fn: "listRoles", args: (s) => ({ id: s.customer }), expect: (a) => assert.ok((a as Rs).some((r) => r.name === "owner" && Array.isArray(r.permissions))) },

  // Settings
  {
    fn: "setSettings",
    args: (s) => ({
      id: s.customer,
      settings: [
        { key: "backup.retention_days", value: "30" },
        { key: "backup.enabled", value: "false" },
      ],
    }),
    expect: (a) => assert.equal(a, null),
  },
  { fn: "setSettings", args: (s) => ({ id: s.customer, settings: [{ key: "no.such.setting", value: "1" }] }), refused: { fields: ["settings"] } },
  {
    fn: "getSettings",
    args: (s) => ({ id: s.customer }),
    expect: (a) => {
      const got = a as { key: string; value: string }[];
      assert.equal(got.find((x) => x.key === "backup.retention_days")?.value, "30");
      assert.equal(got.find((x) => x.key === "backup.enabled")?.value, "false");
    },
  },

  // IP addresses
  {
    fn: "addIpAddress",
    args: (s) => ({ id: s.customer }),
    expect: (a, s) => {
      assert.match(String(a), /^192\.0\.2\./);
      s.address = String(a);
    },
  },
  { fn: "getIpAddresses", args: (s) => ({ id: s.customer }), expect: (a, s) => assert.deepEqual(a, [s.address]) },
  {
    fn: "getDetailedIpAddresses",
    args: (s) => ({ id: s.customer }),
    expect: (a, s) => {
      const [d] = a as Rs;
      assert.equal(d?.address, s.address);
      assert.equal(d?.pool, s.catalogue.pool);
      assert.equal(d?.version, 4);
      assert.equal(typeof d?.assigned, "number");
    },
  },

  // Sites
  {
    fn: "CP_Wizard",
    args: (s) => ({
      customerId: s.customer,
      siteName: "shop",
      siteHostname: `shop-${s.tag}.example.com`,
      containerName: "web",
      containerType: s.catalogue.typeId,
      containerOSId: s.catalogue.osId,
      containerDiskSpace: 512,
      containerSize: 2,
      environmentNames: ["production", "staging"],
      aliasNames: [`www.shop-${s.tag}.example.com`],
      createDNS: false,
    }),
    expect: (a, s) => {
      const site = a as R & { environments: R[] };
      s.siteId = n(site.id);
      assert.equal(site.customerId, s.customer);
      assert.equal(site.name, "shop");
      assert.equal(site.hostname, `shop-${s.tag}.example.com`);
      assert.deepEqual(site.aliases, [`www.shop-${s.tag}.example.com`]);
      assert.deepEqual(site.environments.map((e) => e.name).sort(), ["production", "staging"]);
    },
  },
  {
    fn: "CP_Wizard",
    args: (s) => ({ customerId: s.customer, siteName: "shop", siteHostname: `shop-${s.tag}.example.com`, containerName: "web", containerType: s.catalogue.typeId, containerOSId: s.catalogue.osId, containerDiskSpace: 512, containerSize: 2, environmentNames: ["production"] }),
    refused: { fields: ["siteHostname"], code: "validation_failed" },
  },

  // FTP users
  {
    fn: "createFTPUser",
    args: (s) => ({ customerId: s.customer, name: "Deploy", username: `deploy${s.customer}`, password: "long-enough-password", relativeRoot: "htdocs", type: 1, siteId: s.siteId }),
    expect: (a, s) => {
      const u = a as R;
      s.ftpId = n(u.id);
      assert.equal(u.customerId, s.customer);
      assert.equal(u.username, `deploy${s.customer}`);
      assert.equal(u.type, 1);
      assert.equal(u.siteId, s.siteId);
      assert.equal(u.password, undefined);
    },
  },
  { fn: "createFTPUser", args: (s) => ({ customerId: s.customer, name: "Up", username: "up", password: "long-enough-password", relativeRoot: "", type: 9 }), refused: { fields: ["type"] } },
  {
    fn: "updateFTPUser",
    args: (s) => ({ id: s.ftpId, relativeRoot: "logs", type: 2 }),
    expect: (a, s) => {
      const u = a as R;
      assert.equal(u.id, s.ftpId);
      assert.equal(u.relativeRoot, "logs");
      assert.equal(u.type, 2);
    },
  },
  { fn: "listFTPUsers", args: (s) => ({ id: s.customer, siteId: s.siteId }), expect: (a, s) => assert.deepEqual((a as Rs).map((u) => u.id), [s.ftpId]) },
  { fn: "destroyFTPUser", args: (s) => ({ id: s.ftpId }), expect: (a) => assert.equal(a, null) },
  { fn: "listFTPUsers", args: (s) => ({ id: s.customer }), expect: (a) => assert.deepEqual(a, []) },

  // Bandwidth
  { fn: "currentBillableBandwidth", args: (s) => ({ customerId: s.customer }), expect: (a) => assert.equal(a, 0) },

  // Notices: made by the provider over REST, read with the operator's key, acknowledged with the customer's
  {
    fn: "listNotices",
    before: async (s) => {
      const made = await api(s.server.url, "POST", "/v1/notices", { body: { customer_id: s.customer, type: "maintenance", title: "Reboot", severity: "warning" } });
      assert.equal(made.status, 201, made.text);
      s.noticeId = made.body.id as number;
    },
    args: (s) => ({ customerId: s.customer }),
    expect: (a, s) => {
      const mine = (a as Rs).find((x) => x.id === s.noticeId);
      assert.equal(mine?.title, "Reboot");
      assert.equal(mine?.severity, "warning");
      assert.equal(mine?.acknowledged, false);
    },
  },
  { fn: "acknowledgeNotice", args: (s) => ({ noticeId: s.noticeId }), refused: { fields: ["noticeId"] } },
  { fn: "acknowledgeNotice", asCustomer: true, args: (s) => ({ noticeId: s.noticeId }), expect: (a) => assert.equal(a, null) },
  { fn: "listNotices", asCustomer: true, args: (s) => ({ customerId: s.customer }), expect: (a, s) => assert.equal((a as Rs).find((x) => x.id === s.noticeId)?.acknowledged, true) },

  // Contacts
  {
    fn: "listContactMethods",
    args: () => ({}),
    expect: (a, s) => {
      const email = (a as Rs).find((m) => m.name === "email");
      assert.ok(email, "the e-mail contact method is listed");
      s.methodTypeId = n(email.id);
    },
  },
  {
    fn: "listContactNoticeTypes",
    args: () => ({}),
    expect: (a, s) => {
      const maintenance = (a as Rs).find((t) => t.name === "maintenance");
      assert.ok(maintenance, "the maintenance notice type is listed");
      s.noticeTypeId = n(maintenance.id);
    },
  },
  {
    fn: "createContact",
    args: (s) => ({ customerId: s.customer, name: "Ops" }),
    expect: (a, s) => {
      s.contactId = n(a);
    },
  },
  {
    fn: "createContactMethod",
    args: (s) => ({ contactId: s.contactId, methodId: s.methodTypeId, options: { address: "ops@example.com" } }),
    expect: (a, s) => {
      s.contactMethodId = n(a);
    },
  },
  {
    fn: "createContactMethodNotice",
    args: (s) => ({ contactMethodId: s.contactMethodId, noticeTypeId: s.noticeTypeId, options: { min_severity: "warning" } }),
    expect: (a, s) => {
      s.contactMethodNoticeId = n(a);
    },
  },
  {
    fn: "listContacts",
    args: (s) => ({ customerId: s.customer }),
    expect: (a, s) => {
      assert.deepEqual(a, [
        {
          id: s.contactId,
          name: "Ops",
          methods: [
            {
              id: s.contactMethodId,
              methodId: s.methodTypeId,
              method: "email",
              options: { address: "ops@example.com" },
              notices: [{ id: s.contactMethodNoticeId, noticeTypeId: s.noticeTypeId, noticeType: "maintenance", options: { min_severity: "warning" } }],
            },
          ],
        },
      ]);
    },
  },
  { fn: "destroyContactMethodNotice", args: (s) => ({ contactMethodNoticeId: s.contactMethodNoticeId }), expect: (a) => assert.equal(a, null) },
  { fn: "destroyContactMethod", args: (s) => ({ contactMethodId: s.contactMethodId }), expect: (a) => assert.equal(a, null) },
  { fn: "destroyContact", args: (s) => ({ contactId: s.contactId }), expect: (a) => assert.equal(a, null) },
  { fn: "listContacts", args: (s) => ({ customerId: s.customer }), expect: (a) => assert.deepEqual(a, []) },

  // Giving things back and leaving
  { fn: "freeIpAddress", args: (s) => ({ id: s.customer, address: s.address }), expect: (a) => assert.equal(a, null) },
  { fn: "getIpAddresses", args: (s) => ({ id: s.customer }), expect: (a) => assert.deepEqual(a, []) },
  { fn: "revokeKey", args: (s) => ({ id: s.ownKey?.keyId }), expect: (a) => assert.equal(a, null) },
  { fn: "revokeKey", args: (s) => ({ id: s.ownKey?.keyId }), refused: { fields: [], code: "invalid_state_transition" } },
  { fn: "getKeys", args: (s) => ({ id: s.customer, type: "standard" }), expect: (a) => assert.deepEqual(a, [], "getKeys lists active keys only") },
  {
    fn: "requestCancellation",
    args: (s) => ({ id: s.customer, reason: "moving on" }),
    expect: async (a, s) => {
      assert.equal(a, null);
      assert.equal((await s.server.app.services.customers.get(sys, `id:${s.customer}`)).status, "cancellation_requested");
    },
  },
  { fn: "getUsername", args: () => ({ id: 987654 }), refused: { fields: [], code: "not_found" } },
];

/**
 * Runs {@link STEPS} over `transport` for a new customer, signed with the operator's `key`; answers
 * the functions whose answer was checked (all 35, asserted).
 */
export async function runScenario(server: TestServer, catalogue: Catalogue, transport: Transport, key: SigningKey, tag: string): Promise<Set<string>> {
  const c = await server.app.services.customers.create(sys, { email: `all.${tag}@stackable.example`, company: "Stack Co" });
  const s: State = { server, catalogue, tag, customer: c.id, login: c.login };
  const answered = new Set<string>();
  for (const [i, step] of STEPS.entries()) {
    const where = `${transport.name} step ${i + 1} ${step.fn}`;
    await step.before?.(s);
    const signer = step.asCustomer ? s.ownKey : key;
    assert.ok(signer, `${where}: no key to sign with`);
    const args = Object.fromEntries(Object.entries(step.args(s)).filter(([, v]) => v !== undefined));
    if (step.refused) {
      const { fields, code } = step.refused;
      await assert.rejects(transport.call(step.fn, args, signer), (e: unknown) => {
        assert.ok(e instanceof Refusal, `${where}: ${String(e)}`);
        for (const f of fields) assert.ok(e.fields.includes(f), `${where}: ${f} not in ${JSON.stringify(e.fields)}`);
        if (code) assert.equal(e.code, code, where);
        return true;
      });
      continue;
    }
    let answer: unknown;
    try {
      answer = await transport.call(step.fn, args, signer);
    } catch (e) {
      assert.fail(`${where}: ${e instanceof Refusal ? `${e.code} ${JSON.stringify(e.fields)} ${e.message}` : String(e)}`);
    }
    try {
      await step.expect?.(answer, s);
    } catch (e) {
      throw new Error(`${where}: ${e instanceof Error ? e.message : String(e)}\nanswer: ${JSON.stringify(answer)}`);
    }
    answered.add(step.fn);
  }
  assert.deepEqual([...answered].sort(), [...SERVICE_FUNCTIONS.keys()].sort(), `${transport.name}: every function of customer.thrift answered`);
  return answered;
}
