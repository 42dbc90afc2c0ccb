import { systemContext } from "../../src/core/context.js";
import type { OperationDef } from "../../src/core/operations.js";
import { AccessOps } from "../../src/modules/access/operations.js";
import { ApiKeyOps } from "../../src/modules/auth/operations.js";
import { BandwidthOps } from "../../src/modules/bandwidth/operations.js";
import { ContactOps } from "../../src/modules/contacts/operations.js";
import { FtpOps } from "../../src/modules/ftp/operations.js";
import { IpAddressOps } from "../../src/modules/network/operations.js";
import { NoticeOps } from "../../src/modules/notices/operations.js";
import { SettingsOps } from "../../src/modules/settings/operations.js";
import { hashKey } from "../../src/modules/auth/service.js";
import { CredentialOps } from "../../src/modules/credentials/operations.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import { LifecycleOps } from "../../src/modules/lifecycle/operations.js";
import * as gen from "../../src/protocols/stackable/gen/customer.js";
import { startServer, type TestServer } from "../helpers/harness.js";
import { type CredentialHook, type Outcome, runSecuritySuite, type SecurityCase, type TargetBundle } from "../security/suite.js";
import { jsonCall, type JsonAnswer, type SigningKey, thriftClient } from "./client.js";

/**
 * Stackable's JSON proxy and Thrift over HTTP through the shared security suite. Both sign with a
 * key's HMAC secret, so the credential hook gives each key the suite hands out a signing secret
 * (RequestSigning.issue) and answers { keyId, secret }.
 */
const sys = systemContext("test");
const SECRET_KEY = "stackable-test-secret-key-0123456789abcdef";

async function signingFor(server: TestServer, keyString: string): Promise<SigningKey> {
  const row = await server.app.storage.db.selectFrom("api_keys").select("id").where("secret_hash", "=", hashKey(keyString)).executeTakeFirstOrThrow();
  const keyId = Number(row.id);
  return { keyId, secret: await server.app.services.signing.issue(keyId) };
}

const signed: CredentialHook<SigningKey> = {
  async acquire(request, { server, world }) {
    const operator = async (roles?: string[]) => world.keyFor("operator", await world.operatorId(), roles);
    switch (request.kind) {
      case "none":
        return null;
      case "unknown":
        return { keyId: 987654321, secret: "ss_neverIssued" };
      case "revoked": {
        const k = await operator();
        const s = await signingFor(server, k.key);
        await server.app.services.keys.revoke(sys, k.keyId);
        return s;
      }
      case "expired": {
        const k = await operator();
        await world.expire(k.keyId);
        return signingFor(server, k.key);
      }
      case "outside_acl": {
        const k = await operator();
        await server.app.services.keys.createAcl(sys, k.keyId, { address: "192.0.2.0/24", description: "never the test client" });
        return signingFor(server, k.key);
      }
      case "role_without": {
        const { ROLES } = await import("../../src/modules/auth/roles.js");
        const family = `${request.permission.split(".")[0]}.*`;
        const role = Object.entries(ROLES).find(([, r]) => !r.permissions.includes("*") && !r.permissions.includes(request.permission) && !r.permissions.includes(family));
        return signingFor(server, (await operator(role ? [role[0]] : [])).key);
      }
      case "suspended": {
        const c = await world.customer((await world.reseller("Suspended")).id);
        await world.suspend(c.id);
        return signingFor(server, c.key);
      }
      case "api_disabled": {
        const c = await world.customer((await world.reseller("No API")).id);
        const s = await signingFor(server, c.key);
        await world.disableApi(c.id);
        return s;
      }
      case "principal":
        return signingFor(server, request.actor.key);
    }
  },
};

/** Each bound function: its operation and its named arguments for a target bundle. */
const FUNCTIONS: { fn: string; op: OperationDef; args: (t: TargetBundle) => Record<string, unknown> }[] = [
  { fn: "requestCancellation", op: LifecycleOps.requestCancellation, args: (t) => ({ id: t.customerId, reason: "leaving" }) },
  { fn: "createKey", op: ApiKeyOps.create, args: (t) => ({ id: t.customerId }) },
  { fn: "revokeKey", op: ApiKeyOps.revoke, args: (t) => ({ id: t.keyId }) },
  { fn: "getKeys", op: AccessOps.keys, args: (t) => ({ id: t.customerId }) },
  { fn: "createKeyACL", op: ApiKeyOps.aclCreate, args: (t) => ({ id: t.keyId, address: "198.51.100.9", cidr: 32 }) },
  { fn: "updateKeyACL", op: ApiKeyOps.aclUpdate, args: (t) => ({ id: t.aclId, cidr: 1 }) },
  { fn: "deleteKeyACL", op: ApiKeyOps.aclDelete, args: (t) => ({ id: t.aclId }) },
  { fn: "listRoles", op: AccessOps.roles, args: (t) => ({ id: t.customerId }) },
  { fn: "getUsername", op: CustomerOps.get, args: (t) => ({ id: t.customerId }) },
  { fn: "changePassword", op: CustomerOps.update, args: (t) => ({ id: t.customerId, password: "Correct-Horse-Battery-9" }) },
  { fn: "changePIN", op: CustomerOps.update, args: (t) => ({ id: t.customerId, pin: "4711" }) },
  // Hosting functions on a customer (issue 14's commands); those on hosting objects are covered by the happy tests.
  { fn: "setSettings", op: SettingsOps.set, args: (t) => ({ id: t.customerId, settings: [{ key: "backup.retention_days", value: 9 }] }) },
  { fn: "getSettings", op: SettingsOps.get, args: (t) => ({ id: t.customerId }) },
  { fn: "getIpAddresses", op: IpAddressOps.list, args: (t) => ({ id: t.customerId }) },
  { fn: "getDetailedIpAddresses", op: IpAddressOps.listDetailed, args: (t) => ({ id: t.customerId }) },
  { fn: "listFTPUsers", op: FtpOps.list, args: (t) => ({ id: t.customerId }) },
  { fn: "currentBillableBandwidth", op: BandwidthOps.billable, args: (t) => ({ customerId: t.customerId }) },
  { fn: "listNotices", op: NoticeOps.list, args: (t) => ({ customerId: t.customerId }) },
  { fn: "createContact", op: ContactOps.create, args: (t) => ({ customerId: t.customerId, name: "Security" }) },
  { fn: "listContacts", op: ContactOps.list, args: (t) => ({ customerId: t.customerId }) },
  { fn: "changeEmail", op: CredentialOps.requestEmailChange, args: (t) => ({ id: t.customerId, email: `sec.${t.customerId}.${Date.now()}@stackable.example` }) },
];

function classifyJson(a: JsonAnswer): Outcome {
  if (a.status === 200) return "ok";
  if (a.status === 401) return "unauthenticated";
  if (a.status === 403) return "forbidden";
  if (a.status === 404) return "not_found";
  return "other";
}

runSecuritySuite<JsonAnswer, SigningKey>({
  protocol: "Stackable JSON proxy",
  credentials: signed,
  start: (d) => startServer(d, { rateLimit: 0, secretKey: SECRET_KEY }),
  classify: classifyJson,
  describe: (a) => `${a.status} ${JSON.stringify(a.body).slice(0, 300)}`,
  cases: FUNCTIONS.map(
    (f): SecurityCase<JsonAnswer, SigningKey> => ({
      operation: f.op,
      label: f.fn,
      call: ({ server, credential, target }) => jsonCall(server.url, f.fn, f.args(target), credential),
    }),
  ),
});

interface ThriftAnswer {
  ok: boolean;
  error?: unknown;
}

// One client per signing key: a new client restarts seqids, and an identical message signed in the same second is a replay.
const clients = new Map<string, ReturnType<typeof thriftClient>>();
function clientFor(url: string, key: SigningKey | null) {
  const id = `${url}|${key?.keyId}|${key?.secret}`;
  let c = clients.get(id);
  if (!c) {
    c = thriftClient(url, key);
    clients.set(id, c);
  }
  return c.client;
}

function classifyThrift(a: ThriftAnswer): Outcome {
  if (a.ok) return "ok";
  const e = a.error;
  if (e instanceof gen.InvalidArguments) return e.code === "forbidden" ? "forbidden" : e.code === "not_found" ? "not_found" : "other";
  if (e instanceof Error && /Authentication failed/.test(e.message)) return "unauthenticated";
  return "other";
}

runSecuritySuite<ThriftAnswer, SigningKey>({
  protocol: "Stackable Thrift over HTTP",
  credentials: signed,
  start: (d) => startServer(d, { rateLimit: 0, secretKey: SECRET_KEY }),
  classify: classifyThrift,
  describe: (a) => (a.ok ? "ok" : a.error instanceof gen.InvalidArguments ? `InvalidArguments ${a.error.code}: ${a.error.message}` : String(a.error)),
  cases: FUNCTIONS.map(
    (f): SecurityCase<ThriftAnswer, SigningKey> => ({
      operation: f.op,
      label: f.fn,
      async call({ server, credential, target }) {
        const client = clientFor(server.url, credential) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const named = f.args(target);
        // Thrift structs go as generated classes, their values as the IDL types them (Setting.value is text).
        if (Array.isArray(named.settings)) named.settings = named.settings.map((x: { key: string; value: unknown }) => new gen.Setting({ key: x.key, value: String(x.value) }));
        const positional = (gen.FUNCTION_ARGS[f.fn] ?? []).map((n) => named[n]);
        try {
          await client[f.fn]?.(...positional);
          return { ok: true };
        } catch (error) {
          return { ok: false, error };
        }
      },
    }),
  ),
});
