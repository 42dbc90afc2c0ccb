import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { type LoginCommandDeps, LoginCommands } from "../../modules/credentials/login-command.js";
import { loginSchema, secondFactorSchema, sessionViewSchema } from "../../modules/credentials/schema.js";
import { bearerToken } from "../kit/context.js";
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

export function sessionRoutes(commands: CommandRunner<LoginCommandDeps>): AnyRoute[] {
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
        const r = await commands.execute(LoginCommands.session, ctx, body, undefined);
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
        const r = await commands.execute(LoginCommands.secondFactor, ctx, body, undefined);
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
        const token = bearerToken(request.headers.authorization);
        await commands.execute(LoginCommands.logout, ctx, token === undefined ? {} : { token }, undefined);
        return { status: 204 };
      },
    }),
  ];
}
