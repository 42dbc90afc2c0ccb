import { z } from "zod";
import type { Context } from "../../core/context.js";
import type { CommandRunner } from "../../core/commands.js";
import { type CredentialCommandDeps, CredentialCommands } from "../../modules/credentials/commands.js";
import { CredentialOps } from "../../modules/credentials/operations.js";
import {
  backupCodesSchema,
  changePasswordSchema,
  credentialStatusSchema,
  emailChangeSchema,
  emailConfirmSchema,
  sessionViewSchema,
  setPasswordSchema,
  setPinSchema,
  totpCodeSchema,
  totpDisableSchema,
  totpEnrolmentSchema,
  verifyPinSchema,
} from "../../modules/credentials/schema.js";
import { type AnyRoute, defineRoute, selfRef } from "./route.js";

const refParams = z.object({ ref: z.string().min(1).max(320).describe("Any customer key (id, handle, login, e-mail, typed forms)") });
const emailChangeOut = z.object({ object: z.literal("email_change"), new_email: z.string(), expires_at: z.string() });
const emailConfirmedOut = z.object({ object: z.literal("email_change"), customer_id: z.number().int(), email: z.string() });
const sessionsOut = z.object({ object: z.literal("list"), data: z.array(sessionViewSchema) });


export function credentialRoutes(commands: CommandRunner<CredentialCommandDeps>): AnyRoute[] {
  const tags = ["Credentials"];
  const routes: AnyRoute[] = [];
  // Each per-customer route exists twice: for a named customer and for the caller itself.
  const both = (suffix: string, build: (url: string, refOf: (ctx: Context, params: { ref?: string }) => string, params: typeof refParams | undefined) => AnyRoute) => {
    routes.push(build(`/v1/customers/:ref/${suffix}`, (_ctx, p) => p.ref ?? "", refParams));
    routes.push(build(`/v1/me/${suffix}`, (ctx) => selfRef(ctx), undefined));
  };

  both("credentials", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.status,
      method: "GET",
      url,
      summary: "Which credentials are set, TOTP state, last login (never a secret)",
      tags,
      ...(params ? { params } : {}),
      responses: { 200: credentialStatusSchema },
      async handler({ ctx, params: p }) {
        return { status: 200, body: await commands.execute(CredentialCommands.status, ctx, {}, { ref: refOf(ctx, p as { ref?: string }) }) };
      },
    }),
  );
  routes.push(
    defineRoute({
      operation: CredentialOps.setPassword,
      method: "PUT",
      url: "/v1/customers/:ref/password",
      summary: "Set a customer's password (operator or owning reseller); ends its sessions",
      tags,
      params: refParams,
      body: setPasswordSchema,
      responses: { 204: null },
      async handler({ ctx, params, body }) {
        await commands.execute(CredentialCommands.setPassword, ctx, body, { ref: params.ref });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: CredentialOps.changePassword,
      method: "POST",
      url: "/v1/me/password",
      summary: "Change one's own password, giving the current one; other sessions end",
      tags,
      body: changePasswordSchema,
      responses: { 204: null },
      async handler({ ctx, body }) {
        selfRef(ctx);
        await commands.execute(CredentialCommands.changePassword, ctx, body, undefined);
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: null,
      method: "POST",
      url: "/v1/email-change/confirm",
      summary: "Confirm an e-mail change with the token mailed to the new address",
      tags,
      auth: false,
      body: emailConfirmSchema,
      responses: { 200: emailConfirmedOut },
      async handler({ ctx, body }) {
        return { status: 200, body: await commands.execute(CredentialCommands.confirmEmailChange, ctx, body, undefined) };
      },
    }),
  );
  both("pin", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.setPin,
      method: "PUT",
      url,
      summary: "Set or change the service PIN (a customer replacing its PIN gives current_pin)",
      tags,
      ...(params ? { params } : {}),
      body: setPinSchema,
      responses: { 204: null },
      async handler({ ctx, params: p, body }) {
        await commands.execute(CredentialCommands.setPin, ctx, body, { ref: refOf(ctx, p as { ref?: string }) });
        return { status: 204 };
      },
    }),
  );
  both("pin/verify", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.verifyPin,
      method: "POST",
      url,
      summary: "Check a service PIN",
      tags,
      ...(params ? { params } : {}),
      body: verifyPinSchema,
      responses: { 200: z.object({ valid: z.boolean() }) },
      async handler({ ctx, params: p, body }) {
        return { status: 200, body: await commands.execute(CredentialCommands.verifyPin, ctx, body, { ref: refOf(ctx, p as { ref?: string }) }) };
      },
    }),
  );
  both("email-change", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.requestEmailChange,
      method: "POST",
      url,
      summary: "Change the e-mail address: a token is mailed to the new address; it takes effect on confirmation",
      tags,
      ...(params ? { params } : {}),
      body: emailChangeSchema,
      responses: { 202: emailChangeOut },
      async handler({ ctx, params: p, body }) {
        return { status: 202, body: await commands.execute(CredentialCommands.requestEmailChange, ctx, body, { ref: refOf(ctx, p as { ref?: string }) }) };
      },
    }),
  );
  both("totp", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.totpEnrol,
      method: "POST",
      url,
      summary: "Start TOTP enrolment: the secret and otpauth URI are shown this once",
      tags,
      ...(params ? { params } : {}),
      responses: { 201: totpEnrolmentSchema },
      async handler({ ctx, params: p }) {
        return { status: 201, body: await commands.execute(CredentialCommands.totpEnrol, ctx, {}, { ref: refOf(ctx, p as { ref?: string }) }) };
      },
    }),
  );
  both("totp/confirm", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.totpConfirm,
      method: "POST",
      url,
      summary: "Turn TOTP on with a current code; returns one-time backup codes (shown once)",
      tags,
      ...(params ? { params } : {}),
      body: totpCodeSchema,
      responses: { 200: backupCodesSchema },
      async handler({ ctx, params: p, body }) {
        return { status: 200, body: await commands.execute(CredentialCommands.totpConfirm, ctx, body, { ref: refOf(ctx, p as { ref?: string }) }) };
      },
    }),
  );
  both("totp/backup-codes", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.backupCodes,
      method: "POST",
      url,
      summary: "Replace the backup codes (a customer gives a current code)",
      tags,
      ...(params ? { params } : {}),
      body: totpCodeSchema,
      responses: { 200: backupCodesSchema },
      async handler({ ctx, params: p, body }) {
        return { status: 200, body: await commands.execute(CredentialCommands.backupCodes, ctx, body ?? {}, { ref: refOf(ctx, p as { ref?: string }) }) };
      },
    }),
  );
  both("totp/disable", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.totpDisable,
      method: "POST",
      url,
      summary: "Turn TOTP off (a customer gives a code or its password)",
      tags,
      ...(params ? { params } : {}),
      body: totpDisableSchema,
      responses: { 204: null },
      async handler({ ctx, params: p, body }) {
        await commands.execute(CredentialCommands.totpDisable, ctx, body ?? {}, { ref: refOf(ctx, p as { ref?: string }) });
        return { status: 204 };
      },
    }),
  );
  both("sessions", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.sessionList,
      method: "GET",
      url,
      summary: "List the customer's open sessions",
      tags,
      ...(params ? { params } : {}),
      responses: { 200: sessionsOut },
      async handler({ ctx, params: p }) {
        return { status: 200, body: { object: "list", data: await commands.execute(CredentialCommands.sessionList, ctx, {}, { ref: refOf(ctx, p as { ref?: string }) }) } };
      },
    }),
  );
  both("sessions", (url, refOf, params) =>
    defineRoute({
      operation: CredentialOps.sessionRevokeAll,
      method: "DELETE",
      url,
      summary: "End every session of the customer",
      tags,
      ...(params ? { params } : {}),
      responses: { 200: z.object({ revoked: z.number().int() }) },
      async handler({ ctx, params: p }) {
        return { status: 200, body: await commands.execute(CredentialCommands.sessionRevokeAll, ctx, {}, { ref: refOf(ctx, p as { ref?: string }) }) };
      },
    }),
  );
  return routes;
}
