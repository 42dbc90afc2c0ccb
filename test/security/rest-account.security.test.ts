import { generate } from "otplib";
import { systemContext } from "../../src/core/context.js";
import { CredentialOps } from "../../src/modules/credentials/operations.js";
import { ExportOps } from "../../src/modules/exports/operations.js";
import { LifecycleOps } from "../../src/modules/lifecycle/operations.js";
import { VerificationOps } from "../../src/modules/verification/operations.js";
import { api } from "../helpers/harness.js";
import { classifyRest, describeRest, type RestResult } from "./rest-outcome.js";
import { type CallInput, runSecuritySuite, type SecurityCase } from "./suite.js";

/**
 * The shared security suite over the customer-account REST operations: credentials, life cycle,
 * contact-verification settings and data exports. Operations that need a state first (a
 * suspended customer to unsuspend, TOTP on to regenerate backup codes) set it up through the
 * services, and cases that would leave a shared customer unusable act on a scratch customer of
 * the same owner, so every refusal is still tested against the same tenancy.
 */
type Res = RestResult;
const sys = systemContext("test");
const MISSING = 987654;
const PASSWORD = "Correct-Horse-Battery-9";
let seq = 0;

const call = (i: CallInput, method: string, path: string, body?: unknown): Promise<Res> =>
  api(i.server.url, method, path, { key: i.credential, ...(body === undefined ? {} : { body }) });

/** A new customer of the target's owner (the missing bundle keeps its missing id). */
async function scratch(i: CallInput, setup?: (id: number) => Promise<void>): Promise<number> {
  if (i.target.customerId === MISSING) return MISSING;
  const c = await i.server.app.services.customers.create(sys, { email: `scratch${++seq}.${Date.now()}@sec.example`, company: "Scratch", owner_id: i.target.resellerId });
  if (setup) await setup(c.id);
  return c.id;
}

/** Puts the target customer into a state for one call, and back afterwards. */
async function inState(i: CallInput, status: "suspended" | "locked", run: () => Promise<Res>): Promise<Res> {
  const id = i.target.customerId;
  if (id === MISSING) return run();
  const s = i.server.app.services;
  if (status === "suspended") await s.lifecycle.transition(sys, `id:${id}`, "suspend", { reason: "security suite" });
  else await i.server.app.storage.db.updateTable("customers").set({ status: "locked" }).where("id", "=", id).execute();
  try {
    return await run();
  } finally {
    const now = await s.customers.get(sys, `id:${id}`);
    if (now.status === "suspended") await s.lifecycle.transition(sys, `id:${id}`, "unsuspend", {});
    if (now.status === "locked") await s.lifecycle.transition(sys, `id:${id}`, "unlock", {});
    s.customers.accessChanged(id);
  }
}

const totpOn = (i: CallInput) => async (id: number) => {
  const credentials = i.server.app.services.credentials;
  const { secret } = await credentials.enrolTotp(sys, `id:${id}`);
  await credentials.confirmTotp(sys, `id:${id}`, { code: await generate({ secret }) });
};

const c = (i: CallInput) => `/v1/customers/${i.target.customerId}`;

const cases: SecurityCase<Res>[] = [
  { operation: LifecycleOps.read, call: (i) => call(i, "GET", `${c(i)}/lifecycle`) },
  { operation: LifecycleOps.suspend, call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i)}/suspend`, { reason: "abuse" }) },
  { operation: LifecycleOps.unsuspend, call: (i) => inState(i, "suspended", () => call(i, "POST", `${c(i)}/unsuspend`, {})) },
  { operation: LifecycleOps.deactivate, call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i)}/deactivate`, {}) },
  {
    operation: LifecycleOps.reactivate,
    call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i, (id) => i.server.app.services.lifecycle.transition(sys, `id:${id}`, "deactivate", {}).then(() => undefined))}/reactivate`, {}),
  },
  { operation: LifecycleOps.unlock, call: (i) => inState(i, "locked", () => call(i, "POST", `${c(i)}/unlock`, {})) },
  { operation: LifecycleOps.requestCancellation, call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i)}/request-cancellation`, { reason: "moving away" }) },
  {
    operation: LifecycleOps.withdrawCancellation,
    call: async (i) =>
      call(i, "POST", `/v1/customers/${await scratch(i, (id) => i.server.app.services.lifecycle.transition(sys, `id:${id}`, "request_cancellation", { reason: "x" }).then(() => undefined))}/withdraw-cancellation`, {}),
  },
  { operation: LifecycleOps.close, call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i)}/close`, {}) },
  {
    operation: LifecycleOps.anonymise,
    call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i, (id) => i.server.app.services.customers.delete(sys, `id:${id}`).then(() => undefined))}/anonymise`, {}),
  },
  { operation: CredentialOps.status, call: (i) => call(i, "GET", `${c(i)}/credentials`) },
  { operation: CredentialOps.setPassword, call: (i) => call(i, "PUT", `${c(i)}/password`, { password: PASSWORD }) },
  {
    operation: CredentialOps.changePassword,
    targeted: false,
    rightful: "customer",
    call: async (i) => {
      const next = `Another-Passphrase-${++seq}`;
      if (i.target.customerId !== MISSING) await i.server.app.services.credentials.setPassword(sys, `id:${i.target.customerId}`, { password: PASSWORD });
      return call(i, "POST", "/v1/me/password", { current_password: PASSWORD, new_password: next });
    },
  },
  { operation: CredentialOps.setPin, call: (i) => call(i, "PUT", `${c(i)}/pin`, { pin: "482913" }) },
  { operation: CredentialOps.verifyPin, call: (i) => call(i, "POST", `${c(i)}/pin/verify`, { pin: "482913" }) },
  { operation: CredentialOps.requestEmailChange, call: (i) => call(i, "POST", `${c(i)}/email-change`, { email: `new${++seq}@sec.example` }) },
  { operation: CredentialOps.totpEnrol, call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i)}/totp`) },
  {
    operation: CredentialOps.totpConfirm,
    call: async (i) => {
      let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
      const id = await scratch(i, async (sid) => {
        secret = (await i.server.app.services.credentials.enrolTotp(sys, `id:${sid}`)).secret;
      });
      return call(i, "POST", `/v1/customers/${id}/totp/confirm`, { code: await generate({ secret }) });
    },
  },
  { operation: CredentialOps.backupCodes, call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i, totpOn(i))}/totp/backup-codes`, {}) },
  { operation: CredentialOps.totpDisable, call: async (i) => call(i, "POST", `/v1/customers/${await scratch(i, totpOn(i))}/totp/disable`, {}) },
  { operation: CredentialOps.sessionList, call: (i) => call(i, "GET", `${c(i)}/sessions`) },
  { operation: CredentialOps.sessionRevokeAll, call: (i) => call(i, "DELETE", `${c(i)}/sessions`) },
  { operation: VerificationOps.get, call: (i) => call(i, "GET", `${c(i)}/contact-verification`) },
  { operation: VerificationOps.update, call: (i) => call(i, "PUT", `${c(i)}/contact-verification`, { support_name: "Support" }) },
  { operation: ExportOps.request, call: (i) => call(i, "POST", `${c(i)}/exports`, {}) },
  { operation: ExportOps.listDownloads, call: (i) => call(i, "GET", `${c(i)}/downloads`) },
];


runSecuritySuite<Res>({
  protocol: "REST customer accounts",
  cases,
  classify: classifyRest,
  describe: describeRest,
  mustCover: [
    ...Object.values(LifecycleOps),
    ...Object.values(CredentialOps),
    ...Object.values(VerificationOps),
    ...Object.values(ExportOps).filter((o) => o.name !== "download.fetch"),
  ],
});
