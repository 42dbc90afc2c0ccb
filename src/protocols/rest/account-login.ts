import { z } from "zod";
import { AccountCredentialOps } from "../../modules/credentials/account-operations.js";
import { accountLoginSetSchema, accountLoginStatusSchema, accountTotpDisableSchema } from "../../modules/credentials/account-schema.js";
import type { AccountCredentialService } from "../../modules/credentials/accounts.js";
import { backupCodesSchema, totpCodeSchema, totpEnrolmentSchema } from "../../modules/credentials/schema.js";
import { type AnyRoute, defineRoute } from "./route.js";

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Login name, password and TOTP of operator and reseller accounts (used by Openprovider's auth/login). */
export function accountLoginRoutes(logins: AccountCredentialService): AnyRoute[] {
  const tags = ["Account login"];
  return [
    defineRoute({
      operation: AccountCredentialOps.set,
      method: "PUT",
      url: "/v1/accounts/:id/login",
      summary: "Set an account's login name and/or password (operators: any account; a reseller: itself)",
      description: "The password follows the customer password policy and is stored as an argon2id hash; setting it ends the account's sessions.",
      tags,
      params: idParams,
      body: accountLoginSetSchema,
      responses: { 200: accountLoginStatusSchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await logins.setLogin(ctx, params.id, body) };
      },
    }),
    defineRoute({
      operation: AccountCredentialOps.status,
      method: "GET",
      url: "/v1/accounts/:id/login",
      summary: "Which login credentials an account has, lockout and last login (never a secret)",
      tags,
      params: idParams,
      responses: { 200: accountLoginStatusSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await logins.status(ctx, params.id) };
      },
    }),
    defineRoute({
      operation: AccountCredentialOps.unlock,
      method: "POST",
      url: "/v1/accounts/:id/login/unlock",
      summary: "Lift the lockout after too many failed logins (operators only)",
      tags,
      params: idParams,
      responses: { 200: accountLoginStatusSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await logins.unlock(ctx, params.id) };
      },
    }),
    defineRoute({
      operation: AccountCredentialOps.totpEnrol,
      method: "POST",
      url: "/v1/accounts/:id/totp",
      summary: "Start TOTP enrolment: the secret and otpauth URI are shown once",
      tags,
      params: idParams,
      responses: { 200: totpEnrolmentSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await logins.enrolTotp(ctx, params.id), headers: { "cache-control": "no-store" } };
      },
    }),
    defineRoute({
      operation: AccountCredentialOps.totpConfirm,
      method: "POST",
      url: "/v1/accounts/:id/totp/confirm",
      summary: "Turn TOTP on with a first code; answers the one-time backup codes (shown once)",
      tags,
      params: idParams,
      body: totpCodeSchema,
      responses: { 200: backupCodesSchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await logins.confirmTotp(ctx, params.id, body), headers: { "cache-control": "no-store" } };
      },
    }),
    defineRoute({
      operation: AccountCredentialOps.totpDisable,
      method: "POST",
      url: "/v1/accounts/:id/totp/disable",
      summary: "Turn TOTP off (an account on itself gives a current code; operators need not)",
      tags,
      params: idParams,
      body: accountTotpDisableSchema,
      responses: { 204: null },
      async handler({ ctx, params, body }) {
        await logins.disableTotp(ctx, params.id, body);
        return { status: 204 };
      },
    }),
  ];
}
