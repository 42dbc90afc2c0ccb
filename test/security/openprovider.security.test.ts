import { systemContext } from "../../src/core/context.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import type { TestServer } from "../helpers/harness.js";
import assert from "node:assert/strict";
import { type CallInput, type CredentialHook, type Outcome, runSecuritySuite, type SecurityCase } from "./suite.js";

/**
 * Openprovider REST v1beta in the shared matrix, twice: with account login tokens (what
 * Openprovider clients send: log in, then `Authorization: Bearer <token>`), and with Custos API
 * keys in the same header (which the adapter also takes), so the role and allow-list checks of
 * keys run here too. More token cases: test/openprovider/login.security.test.ts.
 */
interface OpResult {
  status: number;
  text: string;
}

async function op(server: TestServer, method: string, path: string, credential: string | null, body?: unknown): Promise<OpResult> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (credential !== null) headers.authorization = `Bearer ${credential}`;
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${server.url}/v1beta${path}`, init);
  return { status: res.status, text: await res.text() };
}

/** The target customer's handle; a missing customer gets a well-formed handle nobody has. */
async function handleOf(i: CallInput): Promise<string> {
  try {
    return (await i.server.app.services.customers.get(systemContext("test"), `id:${i.target.customerId}`)).handle;
  } catch {
    return "ZZ000000-ZZ";
  }
}

function classify(r: OpResult): Outcome {
  if (r.status === 200) return "ok";
  if (r.status === 401) return "unauthenticated";
  if (r.status === 403) return "forbidden";
  if (r.status === 404) return "not_found";
  return "other";
}

let seq = 0;
const cases: SecurityCase<OpResult>[] = [
  {
    operation: CustomerOps.create,
    targeted: false,
    call: (i) =>
      op(i.server, "POST", "/customers", i.credential, {
        name: { first_name: "Sec", last_name: "Urity" },
        address: { street: "Dam", number: "1", zipcode: "1012 JS", city: "Amsterdam", country: "NL" },
        phone: { country_code: "+31", area_code: "20", subscriber_number: "1234567" },
        email: `op${Date.now().toString(36)}${++seq}@security.example`,
      }),
  },
  { operation: CustomerOps.list, targeted: false, call: (i) => op(i.server, "GET", "/customers", i.credential) },
  { operation: CustomerOps.get, call: async (i) => op(i.server, "GET", `/customers/${await handleOf(i)}?with_additional_data=1`, i.credential) },
  { operation: CustomerOps.update, call: async (i) => op(i.server, "PUT", `/customers/${await handleOf(i)}`, i.credential, { address: { city: "Utrecht" } }) },
  { operation: CustomerOps.delete, call: async (i) => op(i.server, "DELETE", `/customers/${await handleOf(i)}`, i.credential) },
];

const SUITE_PASSWORD = "Security-Suite-Pass-1";

/** An Openprovider token for an operator or reseller account (its login is set on first use). */
async function accountToken(server: TestServer, id: number): Promise<string> {
  const logins = server.app.services.accountLogins;
  const sys = systemContext("test");
  const status = await logins.status(sys, id);
  const login = status.login ?? `account${id}-suite`;
  if (!status.password_set) await logins.setLogin(sys, id, { login, password: SUITE_PASSWORD });
  const res = await fetch(`${server.url}/v1beta/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: login, password: SUITE_PASSWORD, ip: "0.0.0.0" }) });
  const body = (await res.json()) as { data?: { token?: string } };
  assert.ok(body.data?.token, `login of account ${id} failed: ${JSON.stringify(body)}`);
  return body.data.token;
}

/** Openprovider logs in reseller and operator accounts and sends the token as a Bearer. */
const tokens: CredentialHook<string> = {
  unsupported: {
    role_without: "an account login carries the account's own rights; roles narrow API keys only",
    suspended: "Openprovider logins are operator and reseller accounts, which have no suspension",
    api_disabled: "api_allowed is a customer switch; operator and reseller accounts have none",
    principal: "customers do not log in over Openprovider; reseller and operator accounts do",
  },
  async acquire(request, { server, world }) {
    switch (request.kind) {
      case "none":
        return null;
      case "unknown":
        return "0123456789abcdef0123456789abcdef";
      case "revoked": {
        const r = await world.reseller("Revoked");
        const token = await accountToken(server, r.id);
        await server.app.services.accountLogins.setLogin(systemContext("test"), r.id, { password: "Another-Suite-Pass-2" });
        return token;
      }
      case "expired": {
        const r = await world.reseller("Expired");
        const token = await accountToken(server, r.id);
        await server.app.storage.db.updateTable("account_sessions").set({ expires_at: "2000-01-01T00:00:00.000Z" }).where("account_id", "=", r.id).execute();
        return token;
      }
      case "outside_acl": {
        const r = await world.reseller("Outside");
        const token = await accountToken(server, r.id);
        await server.app.services.keys.createAcl(systemContext("test"), r.keyId, { address: "192.0.2.0/24", description: "documentation range: never the test client" });
        return token;
      }
      case "role_without":
      case "suspended":
      case "api_disabled":
        return undefined;
      case "principal":
        return request.actor.kind === "customer" ? undefined : accountToken(server, request.actor.id);
    }
  },
};

const mustCover = [CustomerOps.create, CustomerOps.list, CustomerOps.get, CustomerOps.update, CustomerOps.delete];

runSecuritySuite<OpResult>({
  protocol: "Openprovider (login tokens)",
  cases,
  credentials: tokens,
  classify,
  describe: (r) => `${r.status} ${r.text}`,
  mustCover,
});

runSecuritySuite<OpResult>({
  protocol: "Openprovider (API keys)",
  cases,
  classify,
  describe: (r) => `${r.status} ${r.text}`,
  mustCover,
});
