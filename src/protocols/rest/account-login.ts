import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { AccountCredentialCommands as Cmd, type AccountCredentialCommandDeps } from "../../modules/credentials/account-commands.js";
import { AccountCredentialOps } from "../../modules/credentials/account-operations.js";
import { accountLoginSetSchema, accountLoginStatusSchema, accountTotpDisableSchema } from "../../modules/credentials/account-schema.js";
import { backupCodesSchema, totpCodeSchema, totpEnrolmentSchema } from "../../modules/credentials/schema.js";
import { parseOrThrow } from "../../core/validation.js";
import { bearerToken } from "../kit/context.js";
import { type AnyRoute, defineRoute } from "./route.js";

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Login name, password and TOTP of operator and reseller accounts (used by Openprovider's auth/login). */
const accountLoginBody = z.strictObject({
  login: z.string().min(1, "is required").max(320),
  password: z.string().max(1024),
  code: z.string().min(1).max(32).optional().describe("TOTP or backup code, when the account has TOTP on"),
});
const accountSessionOut = z.object({
  object: z.literal("account_session"),
  token: z.string().describe("Send as Authorization: Bearer <token>; shown once"),
  account_id: z.number().int(),
  kind: z.enum(["operator", "reseller"]),
  expires_at: z.string(),
});

export function accountLoginRoutes(commands: CommandRunner<AccountCredentialCommandDeps>): AnyRoute[] {
  const tags = ["Account login"];
  return [
    defineRoute({
      operation: null,
      method: "POST",
      url: "/v1/accounts/sessions",
      summary: "Log in as an operator or reseller account (login name, password, TOTP code when on)",
      description: "Every failure answers 401 Invalid credentials; a login from an address the account's key allow lists exclude answers 403. The token works on every protocol that takes a Bearer token.",
      tags,
      auth: false,
      body: accountLoginBody,
      responses: { 201: accountSessionOut },
      async handler({ ctx, body }) {
        const input = parseOrThrow(accountLoginBody, body);
        const s = await commands.execute(Cmd.login, ctx, { identifier: input.login, password: input.password, ...(input.code === undefined ? {} : { code: input.code }) }, undefined);
        return { status: 201, body: { object: "account_session", token: s.token, account_id: s.accountId, kind: s.kind, expires_at: s.expiresAt }, headers: { "cache-control": "no-store" } };
      },
    }),
    defineRoute({
      operation: null,
      method: "DELETE",
      url: "/v1/accounts/sessions/current",
      summary: "End the account session the request authenticates with",
      tags,
      auth: false,
      responses: { 204: null },
      async handler({ ctx, request }) {
        const token = bearerToken(request.headers.authorization);
        if (token) await commands.execute(Cmd.logout, ctx, { token }, undefined);
        return { status: 204 };
      },
    }),
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
        return { status: 200, body: await commands.execute(Cmd.set, ctx, body, { accountId: params.id }) };
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
        return { status: 200, body: await commands.execute(Cmd.status, ctx, {}, { accountId: params.id }) };
      },
    }),
    defineRoute({
      operation: AccountCredentialOps.unlock,
      method: "POST",
      url: "/v1/accounts/:id/login/unlock",
      summary: "Give an account its login attempts back at once, after too many failures (operators only)",
      tags,
      params: idParams,
      responses: { 200: accountLoginStatusSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(Cmd.unlock, ctx, {}, { accountId: params.id }) };
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
        return { status: 200, body: await commands.execute(Cmd.totpEnrol, ctx, {}, { accountId: params.id }), headers: { "cache-control": "no-store" } };
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
        return { status: 200, body: await commands.execute(Cmd.totpConfirm, ctx, body, { accountId: params.id }), headers: { "cache-control": "no-store" } };
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
        await commands.execute(Cmd.totpDisable, ctx, body ?? {}, { accountId: params.id });
        return { status: 204 };
      },
    }),
  ];
}
