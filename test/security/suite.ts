/**
 * The shared security suite. Every protocol adapter runs every one of its operations through it.
 *
 * How to plug a protocol in:
 *
 *   runSecuritySuite<MyResult>({
 *     protocol: "inwx-jsonrpc",
 *     dialects: ["sqlite", "postgres"],          // optional; default both
 *     start: (dialect) => startServer(dialect),  // optional; a real server on a real database
 *     classify: (r) => ...,                      // map the protocol's answer to an Outcome
 *     cases: [
 *       {
 *         operation: CustomerOps.get,            // its permission drives the "role" check
 *         targeted: true,                        // acts on an existing object (cross-tenant checks apply)
 *         call: ({ server, credential, target }) => rpc(server.url, "account.info", { id: target.customerId }, credential),
 *       },
 *     ],
 *   });
 *
 * `credential` is an API key string, or null for "no credentials"; send it however the protocol
 * does (Bearer header, login call, signed header). Protocols that do not authenticate with API keys
 * pass a `credentials` hook (CredentialHook): the suite asks it for each sort of credential it
 * needs (none, unknown, revoked, expired, outside the ACL, a role without the permission, a
 * suspended customer's, one whose api_allowed was switched off, a given principal's); answering `undefined` says the protocol has no such
 * credential, and that check is skipped with the reason given. `target` is a bundle of objects owned by one
 * tenant: a reseller, a customer of it, a key of that customer and an ACL entry on that key.
 * `classify` must tell apart: "ok", "unauthenticated", "forbidden", "not_found" (and "other").
 *
 * For every case the suite checks that the call is refused
 *   - without credentials, with an unknown key, a revoked key, an expired key  -> unauthenticated
 *   - from an address outside the key's ACL, by a role lacking the permission   -> forbidden
 *   - by another reseller, or by another customer (targeted cases only)         -> not_found, or
 *     forbidden when the principal kind may not call the operation at all; and the answer must
 *     equal the answer for an object that does not exist (no existence leak)
 * and that the rightful credential (by default the operator; `rightful` picks the owning reseller
 * or the customer) succeeds on a fresh bundle, so a refusal is never the case's own mistake.
 */
import assert from "node:assert/strict";
import { after, before, it, type TestContext } from "node:test";
import { systemContext } from "../../src/core/context.js";
import type { OperationDef } from "../../src/core/operations.js";
import { ROLES } from "../../src/modules/auth/roles.js";
import type { Dialect } from "../../src/storage/schema.js";
import { forEachDialect, OPERATOR_KEY, type TestServer, startServer } from "../helpers/harness.js";
import { type Actor, World } from "./world.js";

export type Outcome = "ok" | "unauthenticated" | "forbidden" | "not_found" | "other";

/** Objects of one tenant that a targeted operation can act on. */
export interface TargetBundle {
  resellerId: number;
  customerId: number;
  /** A key belonging to the customer. */
  keyId: number;
  /** An ACL entry on that key (0.0.0.0/0, so the key still works). */
  aclId: number;
  /** The customer's own key and the reseller's key, for cases whose rightful caller is not the operator. */
  customerKey: string;
  resellerKey: string;
}

export interface CallInput<C = string> {
  server: TestServer;
  credential: C | null;
  target: TargetBundle;
}

/** A sort of credential the suite needs for one check. */
export type CredentialRequest =
  | { kind: "none" }
  | { kind: "unknown" }
  | { kind: "revoked" }
  | { kind: "expired" }
  | { kind: "outside_acl" }
  | { kind: "role_without"; permission: string }
  | { kind: "suspended" }
  /** A customer's credential, obtained while allowed, after its api_allowed was switched off. */
  | { kind: "api_disabled" }
  | { kind: "principal"; actor: Actor };

export interface CredentialEnv {
  server: TestServer;
  world: World;
}

/**
 * How a protocol obtains credentials: API keys by default (apiKeyCredentials); a session protocol
 * logs in, a signature protocol signs. `undefined` means "this protocol has no such credential".
 */
export interface CredentialHook<C> {
  acquire(request: CredentialRequest, env: CredentialEnv): Promise<C | null | undefined>;
  /** Why a check is skipped when `acquire` answers undefined (printed with the skip). */
  unsupported?: Partial<Record<CredentialRequest["kind"], string>>;
}

/** API keys, as REST sends them: every sort exists. */
export const apiKeyCredentials: CredentialHook<string> = {
  async acquire(request, { server, world }) {
    const op = () => world.operatorId();
    switch (request.kind) {
      case "none":
        return null;
      case "unknown":
        return "ck_000000000000_thisKeyWasNeverIssuedByAnyone0000";
      case "revoked": {
        const k = await world.keyFor("operator", await op());
        await server.app.services.keys.revoke(systemContext("test"), k.keyId);
        return k.key;
      }
      case "expired": {
        const k = await world.keyFor("operator", await op());
        await world.expire(k.keyId);
        return k.key;
      }
      case "outside_acl": {
        const k = await world.keyFor("operator", await op());
        await server.app.services.keys.createAcl(systemContext("test"), k.keyId, { address: "192.0.2.0/24", description: "documentation range: never the test client" });
        return k.key;
      }
      case "role_without":
        return (await world.keyFor("operator", await op(), rolesWithout(request.permission))).key;
      case "suspended": {
        const c = await world.customer((await world.reseller("Suspended")).id);
        await world.suspend(c.id);
        return c.key;
      }
      case "api_disabled": {
        const c = await world.customer((await world.reseller("No API")).id);
        await world.disableApi(c.id);
        return c.key;
      }
      case "principal":
        return request.actor.key;
    }
  },
};

export interface SecurityCase<R, C = string> {
  operation: OperationDef;
  /** Label when several cases share an operation. */
  label?: string;
  /** Acts on an existing object of `target` (default true). */
  targeted?: boolean;
  /** Who legitimately calls it in the positive control (default operator). */
  rightful?: "operator" | "reseller" | "customer";
  call(input: CallInput<C>): Promise<R>;
}

export interface SecuritySuiteOptions<R, C = string> {
  protocol: string;
  cases: SecurityCase<R, C>[];
  /** How credentials are obtained; API keys when absent. */
  credentials?: CredentialHook<C>;
  classify(result: R): Outcome;
  /** Human-readable rendering of a result for failure messages. */
  describe?(result: R): string;
  start?(dialect: Dialect): Promise<TestServer>;
  /** Operations that must each have a case (coverage check). */
  mustCover?: readonly OperationDef[];
}

interface Fixtures {
  world: World;
  resellerA: Actor;
  resellerB: Actor;
  bundleA1: TargetBundle;
  bundleA2: TargetBundle;
  bundleB: TargetBundle;
  missing: TargetBundle;
  customerA1: Actor;
}

async function bundle(world: World, reseller: Actor): Promise<TargetBundle> {
  const customer = await world.customer(reseller.id);
  const keys = world.server.app.services.keys;
  const acl = await keys.createAcl(systemContext("test"), customer.keyId, { address: "0.0.0.0/0", description: "anywhere (IPv4)" });
  await keys.createAcl(systemContext("test"), customer.keyId, { address: "::/0", description: "anywhere (IPv6)" });
  return { resellerId: reseller.id, customerId: customer.id, keyId: customer.keyId, aclId: acl.id, customerKey: customer.key, resellerKey: reseller.key };
}

async function setUp(server: TestServer): Promise<Fixtures> {
  const world = new World(server);
  const resellerA = await world.reseller("Alpha");
  const resellerB = await world.reseller("Beta");
  const bundleA1 = await bundle(world, resellerA);
  const bundleA2 = await bundle(world, resellerA);
  const bundleB = await bundle(world, resellerB);
  const missing: TargetBundle = { resellerId: 987654, customerId: 987654, keyId: 987654, aclId: 987654, customerKey: "", resellerKey: "" };
  const customerA1: Actor = { kind: "customer", id: bundleA1.customerId, keyId: bundleA1.keyId, key: bundleA1.customerKey };
  return {
    world,
    resellerA,
    resellerB,
    bundleA1,
    bundleA2,
    bundleB,
    missing,
    customerA1,
  };
}

/** A built-in role lacking `permission`, or no role at all when every built-in role grants it. */
function rolesWithout(permission: string): string[] {
  const family = `${permission.split(".")[0]}.*`;
  for (const [name, role] of Object.entries(ROLES)) {
    const p = role.permissions;
    if (!p.includes("*") && !p.includes(permission) && !p.includes(family)) return [name];
  }
  return [];
}

export function runSecuritySuite<R, C = string>(options: SecuritySuiteOptions<R, C>): void {
  const start = options.start ?? ((d: Dialect) => startServer(d, { rateLimit: 0 }));
  const hook = (options.credentials ?? apiKeyCredentials) as CredentialHook<C>;
  const show = options.describe ?? ((r: R) => JSON.stringify(r)?.slice(0, 300) ?? String(r));

  if (options.mustCover) {
    it(`${options.protocol}: every operation has a security case`, () => {
      const covered = new Set(options.cases.map((c) => c.operation.name));
      const missing = options.mustCover?.filter((o) => !covered.has(o.name)).map((o) => o.name) ?? [];
      assert.deepEqual(missing, [], `operations without a security case: ${missing.join(", ")}`);
    });
  }

  forEachDialect(`${options.protocol} security suite`, (dialect) => {
    let server: TestServer;
    let f: Fixtures;
    before(async () => {
      server = await start(dialect);
      f = await setUp(server);
    });
    after(async () => server.close());

    /** The credential for `request`, or undefined after marking the test skipped. */
    const credential = async (t: TestContext, request: CredentialRequest): Promise<C | null | undefined> => {
      const cred = await hook.acquire(request, { server, world: f.world });
      if (cred === undefined) t.skip(`${options.protocol} has no ${request.kind} credential: ${hook.unsupported?.[request.kind] ?? "not applicable"}`);
      return cred;
    };

    for (const c of options.cases) {
      const name = c.label ?? c.operation.name;
      const targeted = c.targeted ?? true;

      it(`${name}: refused without credentials, with unknown, revoked and expired credentials`, async (t) => {
        for (const kind of ["none", "unknown", "revoked", "expired"] as const) {
          const cred = await hook.acquire({ kind }, { server, world: f.world });
          if (cred === undefined) continue;
          const r = await c.call({ server, credential: cred, target: f.bundleA1 });
          assert.equal(options.classify(r), "unauthenticated", `${kind}: ${show(r)}`);
        }
        t.diagnostic("checked: none, unknown, revoked, expired (where the protocol has them)");
      });

      it(`${name}: refused from an address outside the key's ACL`, async (t) => {
        const cred = await credential(t, { kind: "outside_acl" });
        if (cred === undefined) return;
        const r = await c.call({ server, credential: cred, target: f.bundleA1 });
        assert.equal(options.classify(r), "forbidden", show(r));
      });

      it(`${name}: refused to a role without ${c.operation.permission}`, async (t) => {
        const cred = await credential(t, { kind: "role_without", permission: c.operation.permission });
        if (cred === undefined) return;
        const r = await c.call({ server, credential: cred, target: f.bundleA1 });
        assert.equal(options.classify(r), "forbidden", `${show(r)}`);
      });

      it(`${name}: refused to a suspended customer`, async (t) => {
        const cred = await credential(t, { kind: "suspended" });
        if (cred === undefined) return;
        const r = await c.call({ server, credential: cred, target: f.bundleA1 });
        const o = options.classify(r);
        assert.ok(o === "unauthenticated" || o === "forbidden", show(r));
      });

      it(`${name}: refused once the customer's API access is switched off`, async (t) => {
        const cred = await credential(t, { kind: "api_disabled" });
        if (cred === undefined) return;
        const r = await c.call({ server, credential: cred, target: f.bundleA1 });
        const o = options.classify(r);
        assert.ok(o === "unauthenticated" || o === "forbidden", show(r));
      });

      if (targeted) {
        it(`${name}: another reseller's customer looks missing`, async (t) => {
          const cred = await credential(t, { kind: "principal", actor: f.resellerA });
          if (cred === undefined) return;
          const foreign = await c.call({ server, credential: cred, target: f.bundleB });
          const absent = await c.call({ server, credential: cred, target: f.missing });
          const o = options.classify(foreign);
          assert.ok(o === "not_found" || o === "forbidden", `reseller A on B's objects: ${show(foreign)}`);
          assert.equal(o, options.classify(absent), "a foreign object answers exactly like a missing one");
        });

        it(`${name}: another customer looks missing`, async (t) => {
          const cred = await credential(t, { kind: "principal", actor: f.customerA1 });
          if (cred === undefined) return;
          const foreign = await c.call({ server, credential: cred, target: f.bundleA2 });
          const absent = await c.call({ server, credential: cred, target: f.missing });
          const o = options.classify(foreign);
          assert.ok(o === "not_found" || o === "forbidden", `customer A1 on A2's objects: ${show(foreign)}`);
          assert.equal(o, options.classify(absent), "a foreign object answers exactly like a missing one");
        });
      }

      it(`${name}: the rightful caller succeeds`, async (t) => {
        const owner = await f.world.reseller("Owner");
        const fresh = await bundle(f.world, owner);
        const actor: Actor =
          c.rightful === "reseller"
            ? { kind: "reseller", id: fresh.resellerId, keyId: 0, key: fresh.resellerKey }
            : c.rightful === "customer"
              ? { kind: "customer", id: fresh.customerId, keyId: fresh.keyId, key: fresh.customerKey }
              : { kind: "operator", id: await f.world.operatorId(), keyId: 0, key: OPERATOR_KEY };
        const cred = await credential(t, { kind: "principal", actor });
        if (cred === undefined) return;
        const r = await c.call({ server, credential: cred, target: fresh });
        assert.equal(options.classify(r), "ok", show(r));
      });
    }
  });
}
