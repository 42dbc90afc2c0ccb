import assert from "node:assert/strict";
import { systemContext } from "../../src/core/context.js";
import { CustomerOps } from "../../src/modules/customers/operations.js";
import { ExportOps } from "../../src/modules/exports/operations.js";
import { VerificationOps } from "../../src/modules/verification/operations.js";
import type { TestServer } from "../helpers/harness.js";
import { type CredentialHook, type Outcome, runSecuritySuite, type SecurityCase } from "../security/suite.js";
import type { World } from "../security/world.js";

/**
 * INWX through the shared security suite. DomRobot authenticates with a login session (the
 * domrobot cookie), so the credential hook logs customers in; sessions belong to customers only
 * and carry neither an IP allow list nor a role, so those checks are skipped with that reason.
 */
const PASSWORD = "Correct-Horse-Battery-9";

interface Answer {
  code: number;
  body: unknown;
}

async function rpc(base: string, method: string, params: Record<string, unknown>, cookie: string | null): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie !== null) headers.cookie = cookie;
  const res = await fetch(`${base}/jsonrpc/`, { method: "POST", headers, body: JSON.stringify({ method, params }) });
  assert.equal(res.status, 200, "INWX answers HTTP 200 with the code in the body");
  const body = (await res.json()) as { code: number };
  return { code: body.code, body };
}

/** A session cookie for customer `id` (a password is set first). */
async function login(server: TestServer, id: number): Promise<string> {
  const sys = systemContext("test");
  await server.app.services.credentials.setPassword(sys, `id:${id}`, { password: PASSWORD });
  const c = await server.app.services.customers.get(sys, `id:${id}`);
  const res = await fetch(`${server.url}/jsonrpc/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ method: "account.login", params: { user: c.login, pass: PASSWORD } }) });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  assert.ok(cookie, `login of customer ${id} failed: ${await res.text()}`);
  return cookie;
}

async function freshCustomer(world: World): Promise<number> {
  return (await world.customer((await world.reseller("Inwx")).id)).id;
}

const sessions: CredentialHook<string> = {
  unsupported: {
    outside_acl: "a login session carries no IP allow list (API keys do)",
    role_without: "a login session holds the customer's own role, nothing narrower",
    principal: "DomRobot sessions belong to customers only",
  },
  async acquire(request, { server, world }) {
    switch (request.kind) {
      case "none":
        return null;
      case "unknown":
        return "domrobot=cs_thisSessionWasNeverIssued000000000000";
      case "revoked": {
        const cookie = await login(server, await freshCustomer(world));
        assert.equal((await rpc(server.url, "account.logout", {}, cookie)).code, 1500);
        return cookie;
      }
      case "expired": {
        const id = await freshCustomer(world);
        const cookie = await login(server, id);
        await server.app.storage.db.updateTable("customer_sessions").set({ expires_at: "2000-01-01T00:00:00.000Z" }).where("customer_id", "=", id).execute();
        return cookie;
      }
      case "outside_acl":
      case "role_without":
        return undefined;
      case "suspended": {
        const id = await freshCustomer(world);
        const cookie = await login(server, id);
        await world.suspend(id);
        return cookie;
      }
      case "api_disabled": {
        // DomRobot is API access: switching api_allowed off ends an open session (issue 10).
        const id = await freshCustomer(world);
        const cookie = await login(server, id);
        await world.disableApi(id);
        return cookie;
      }
      case "principal":
        return request.actor.kind === "customer" ? login(server, request.actor.id) : undefined;
    }
  },
};

function classify(a: Answer): Outcome {
  if (a.code === 1000) return "ok";
  if (a.code === 2002 || a.code === 2200) return "unauthenticated";
  if (a.code === 2201) return "forbidden";
  if (a.code === 2303) return "not_found";
  return "other";
}

const method =
  (name: string, params: Record<string, unknown> = {}): SecurityCase<Answer>["call"] =>
  ({ server, credential }) =>
    rpc(server.url, name, params, credential);

// Every DomRobot method acts on the logged-in customer itself: no case names a target.
const self = { targeted: false, rightful: "customer" } as const;
const cases: SecurityCase<Answer>[] = [
  { ...self, operation: CustomerOps.get, label: "account.info", call: method("account.info") },
  { ...self, operation: CustomerOps.get, label: "customer.info", call: method("customer.info", { wide: 1 }) },
  { ...self, operation: CustomerOps.update, label: "customer.update", call: method("customer.update", { city: "Berlin" }) },
  { ...self, operation: CustomerOps.delete, label: "customer.delete", call: method("customer.delete") },
  { ...self, operation: VerificationOps.get, label: "customer.contactverificationsettingsinfo", call: method("customer.contactverificationsettingsinfo") },
  { ...self, operation: VerificationOps.update, label: "customer.contactverificationsettingsupdate", call: method("customer.contactverificationsettingsupdate", { supportName: "Support" }) },
  { ...self, operation: ExportOps.request, label: "customer.requestdataexport", call: method("customer.requestdataexport") },
  { ...self, operation: ExportOps.listDownloads, label: "customer.listdownloads", call: method("customer.listdownloads") },
];

runSecuritySuite<Answer>({
  protocol: "INWX",
  cases,
  credentials: sessions,
  classify,
  describe: (a) => JSON.stringify(a.body).slice(0, 300),
  mustCover: [CustomerOps.get, CustomerOps.update, CustomerOps.delete, VerificationOps.get, VerificationOps.update, ExportOps.request, ExportOps.listDownloads],
});
