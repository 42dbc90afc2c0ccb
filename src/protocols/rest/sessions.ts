import { z } from "zod";
import { AppError } from "../../core/errors.js";
import { parseOrThrow } from "../../core/validation.js";
import { loginSchema, secondFactorSchema, sessionViewSchema } from "../../modules/credentials/schema.js";
import type { CredentialService } from "../../modules/credentials/service.js";
import { bearerToken, type SessionProtocol } from "../kit/context.js";
import { defineRoute, type AnyRoute } from "./route.js";

const sessionOut = z.object({
  object: z.literal("session"),
  state: z.literal("ok"),
  token: z.string().describe("Send as Authorization: Bearer <token>; shown once"),
  session: sessionViewSchema,
});
const pendingOut = z.object({
  object: z.literal("session"),
  state: z.literal("second_factor_required"),
  pending_token: z.string().describe("Send with the TOTP or backup code to POST /v1/sessions/second-factor"),
  method: z.literal("GOOGLE-AUTH"),
});

/** A REST login session is the customer's own sign-in: it stays open with API access switched off, so the customer can manage its account. */
export const REST_PROTOCOL: SessionProtocol = { name: "rest", apiAccess: false };

export function sessionRoutes(credentials: CredentialService): AnyRoute[] {
  const tags = ["Sessions"];
  return [
    defineRoute({
      operation: null,
      method: "POST",
      url: "/v1/sessions",
      summary: "Log in with login name or e-mail and password",
      description: "Every failure answers 401 Invalid credentials. With TOTP on, the answer is a pending token to complete at /v1/sessions/second-factor.",
      tags,
      auth: false,
      body: loginSchema,
      responses: { 201: sessionOut, 202: pendingOut },
      async handler({ ctx, body }) {
        const input = parseOrThrow(loginSchema, body);
        const r = await credentials.login({ identifier: input.identifier, password: input.password, clientIp: ctx.clientIp, protocol: REST_PROTOCOL.name, requestId: ctx.requestId });
        if (r.state === "second_factor_required") {
          return { status: 202, body: { object: "session", state: r.state, pending_token: r.pendingToken, method: r.method } };
        }
        return { status: 201, body: { object: "session", ...r } };
      },
    }),
    defineRoute({
      operation: null,
      method: "POST",
      url: "/v1/sessions/second-factor",
      summary: "Complete a login with a TOTP or backup code",
      tags,
      auth: false,
      body: secondFactorSchema,
      responses: { 201: sessionOut },
      async handler({ ctx, body }) {
        const input = parseOrThrow(secondFactorSchema, body);
        const r = await credentials.completeSecondFactor({ pendingToken: input.pending_token, code: input.code, clientIp: ctx.clientIp, protocol: REST_PROTOCOL.name, requestId: ctx.requestId });
        return { status: 201, body: { object: "session", ...r } };
      },
    }),
    defineRoute({
      operation: null,
      method: "DELETE",
      url: "/v1/sessions/current",
      summary: "Log out: end the session whose token authenticates this request",
      tags,
      responses: { 204: null },
      async handler({ ctx, request }) {
        if (ctx.principal.sessionId === null) throw new AppError("invalid_state_transition", "This request is authenticated by an API key, not a session; there is nothing to log out");
        const token = bearerToken(request.headers.authorization);
        if (token) await credentials.logout(token);
        return { status: 204 };
      },
    }),
  ];
}
