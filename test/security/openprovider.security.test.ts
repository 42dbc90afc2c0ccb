import { systemContext } from "../../src/core/context.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import type { TestServer } from "../helpers/harness.js";
import assert from "node:assert/strict";
import { accountLoginCredentials } from "./account-logins.js";
import { type CallInput, type Outcome, runSecuritySuite, type SecurityCase } from "./suite.js";

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

/** Openprovider logs in reseller and operator accounts and sends the token as a Bearer. */
const tokens = accountLoginCredentials<string>({
  async logIn(server, login) {
    const res = await fetch(`${server.url}/v1beta/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: login.identifier, password: login.password, ip: "0.0.0.0" }) });
    const body = (await res.json()) as { data?: { token?: string } };
    assert.ok(body.data?.token, `login of ${login.identifier} failed: ${JSON.stringify(body)}`);
    return body.data.token;
  },
  unknown: () => "0123456789abcdef0123456789abcdef",
});

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
