import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../../core/errors.js";
import { jsonCodec, xmlRpcStructCodec } from "../kit/codec.js";
import { cookieValue, requestMeta, type SessionProtocol, sessionCookie } from "../kit/context.js";
import { registerRpc } from "../kit/endpoint.js";
import { frameworkError, WireError } from "../kit/errors.js";
import { createDispatcher, UnknownMethod } from "../kit/rpc.js";
import { errorToCode, type InwxCode, issueToCode, type Lang, message, parseLang } from "./codes.js";
import { type InwxCall, type InwxDeps, inwxMethods } from "./methods.js";

export type { InwxDeps, InwxSessions } from "./methods.js";

const COOKIE = "domrobot";

/** DomRobot sessions are API access: scripts log in with account.login, so api_allowed=false refuses them. */
export const INWX_PROTOCOL: SessionProtocol = { name: "inwx", apiAccess: true };

/** Reads the domrobot session token (`Cookie: null` and echoed Set-Cookie attributes are tolerated). */
export const sessionToken = (header: string | string[] | undefined): string | undefined => cookieValue(header, COOKIE);

interface Envelope {
  lang: Lang;
  clTRID: string | undefined;
  started: number;
}

/** INWX DomRobot over JSON (`POST /jsonrpc/`) and XML-RPC (`POST /xmlrpc/`): a binding on the adapter kit. */
export async function inwxPlugin(app: FastifyInstance, deps: InwxDeps): Promise<void> {
  const dispatch = createDispatcher(inwxMethods(deps), { caseInsensitive: true });
  const envelope = (request: FastifyRequest): Envelope => {
    request.inwx ??= { lang: "en", clTRID: undefined, started: performance.now() };
    return request.inwx;
  };
  /** Every answer carries code, msg, svTRID, runtime, and clTRID when the client sent one. */
  const answer = (request: FastifyRequest, code: InwxCode, body: Record<string, unknown>): Record<string, unknown> => {
    const e = envelope(request);
    const full: Record<string, unknown> = { code, msg: message(code, e.lang), ...body, svTRID: String(request.id), runtime: Math.round(performance.now() - e.started) / 1000 };
    if (e.clTRID !== undefined) full.clTRID = e.clTRID;
    return full;
  };

  registerRpc(app, {
    endpoints: [
      { path: "/jsonrpc", codec: jsonCodec },
      { path: "/xmlrpc", codec: xmlRpcStructCodec },
    ],
    async answer({ method, params }, request, reply) {
      const e = envelope(request);
      const { lang, clTRID, ...rest } = params;
      e.lang = parseLang(lang);
      if (typeof clTRID === "string" || typeof clTRID === "number") e.clTRID = String(clTRID).slice(0, 255);
      const meta = requestMeta(request, INWX_PROTOCOL.name);
      const token = sessionToken(request.headers.cookie);
      let cookie: string | undefined;
      const call: InwxCall = {
        request,
        meta,
        token,
        code: 1000,
        setCookie: (value) => {
          cookie = value;
        },
        async session() {
          if (!token) throw new WireError<InwxCode>(2002, "NOT_LOGGED_IN", "Log in with account.login first");
          try {
            return await deps.withSession(token, meta);
          } catch (error) {
            if (error instanceof AppError && (error.code === "unauthenticated" || error.code === "second_factor_required")) {
              throw new WireError<InwxCode>(2002, "NOT_LOGGED_IN", "The session is not valid (expired, logged out, or waiting for account.unlock)");
            }
            throw error;
          }
        },
      };
      const resData = await dispatch(method, rest, call);
      if (cookie !== undefined) reply.header("set-cookie", sessionCookie(COOKIE, cookie));
      return answer(request, call.code, { resData });
    },
    fail(error, request) {
      if (error instanceof WireError) return answer(request, error.detail as InwxCode, { reasonCode: error.reasonCode, reason: error.reason });
      if (error instanceof UnknownMethod) return answer(request, 2000, { reasonCode: "UNKNOWN_COMMAND", reason: error.message });
      const e = frameworkError(error);
      if (e.issues.length > 0) {
        const first = e.issues[0] as (typeof e.issues)[number];
        const { code, reasonCode } = e.code === "validation_failed" ? issueToCode(first) : { code: errorToCode(e.code), reasonCode: e.code.toUpperCase() };
        return answer(request, code, { reasonCode, reason: e.issues.map((i) => `Parameter ${i.field}: ${i.message}`).join("; ") });
      }
      if (e.code === "internal") request.log.error({ err: error }, "inwx call failed");
      const reason = e.code === "internal" ? "Internal error; the svTRID identifies it in our logs" : e.message;
      return answer(request, errorToCode(e.code), { reasonCode: e.code.toUpperCase(), reason });
    },
  });
}

declare module "fastify" {
  interface FastifyRequest {
    inwx?: Envelope;
  }
}
