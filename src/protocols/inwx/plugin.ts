import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../core/context.js";
import { AppError, validationFailed } from "../../core/errors.js";
import type { CustomerService } from "../../modules/customers/service.js";
import type { ExportService } from "../../modules/exports/service.js";
import type { VerificationService } from "../../modules/verification/service.js";
import { errorToCode, type InwxCode, issueToCode, type Lang, message, parseLang } from "./codes.js";
import { assertSafeText } from "../../core/validation.js";
import { customerNo, decodeCustomerUpdate, encodeCustomerInfo, type LoginFacts, renameIssues } from "./mapping.js";
import { decodeMethodCall, encodeMethodResponse } from "./xmlrpc.js";

type Meta = { clientIp: string | null; protocol: string; requestId: string };

/** What the adapter needs from the credentials module (issue 4): logins, sessions, secrets. */
export interface InwxSessions {
  login(input: { identifier: string; password: string } & Meta): Promise<
    { state: "ok"; token: string } | { state: "second_factor_required"; pendingToken: string; method: "GOOGLE-AUTH" }
  >;
  completeSecondFactor(input: { pendingToken: string; code: string; keepToken?: boolean } & Meta): Promise<{ state: "ok"; token: string }>;
  logout(token: string): Promise<void>;
  tfaMethod(customerId: number): Promise<"0" | "GOOGLE-AUTH">;
  loginInfo?(customerId: number): Promise<{ lastLoginAt: string | null; loginCount: number; lastIp: string | null }>;
  setPassword(ctx: Context, ref: string, input: unknown): Promise<void>;
  setPin(ctx: Context, ref: string, input: unknown): Promise<void>;
  checkCredentialChange(ctx: Context, ref: string, change: { password?: string; pin?: string }): Promise<void>;
}

export interface InwxDeps {
  customers: CustomerService;
  verification: VerificationService;
  exports: ExportService;
  withSession(token: string, meta: Meta): Promise<Context>;
  sessions: InwxSessions | undefined;
}

/** An answer with an INWX result code that no catalogue error expresses (2000, 2002, ...). */
class InwxError extends Error {
  constructor(
    readonly code: InwxCode,
    readonly reasonCode: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

interface CallState {
  format: "json" | "xml";
  lang: Lang;
  clTRID: string | undefined;
  started: number;
}

interface Outcome {
  code: InwxCode;
  resData?: Record<string, unknown>;
  cookie?: string;
}

const COOKIE = "domrobot";

/**
 * Reads the domrobot session token. The INWX client sends `Cookie: null` before login and then
 * echoes the raw Set-Cookie value with its attributes, so anything that is not `domrobot=` is ignored.
 */
export function sessionToken(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header.join(";") : (header ?? "");
  for (const part of raw.split(/[;,]/)) {
    const [name, ...rest] = part.trim().split("=");
    if (name === COOKIE) {
      const value = rest.join("=").trim();
      if (value !== "" && value !== "null" && value.length <= 512) return value;
    }
  }
  return undefined;
}

const setCookie = (token: string) => `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
const clearCookie = `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`;

function onlyParams(params: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw validationFailed(unknown.map((field) => ({ field, code: "not_allowed", message: `Unknown parameter ${field}` })));
}

function requiredString(params: Record<string, unknown>, name: string): string {
  const v = params[name];
  if (v === undefined || v === null || v === "") throw validationFailed([{ field: name, code: "required", message: `The following parameter is missing: ${name}` }]);
  if (typeof v !== "string" && typeof v !== "number") throw validationFailed([{ field: name, code: "invalid_type", message: "must be a string" }]);
  return String(v);
}

function optionalString(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw validationFailed([{ field: name, code: "invalid_type", message: "must be a string" }]);
  return v;
}

function wideFlag(v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number" && Number.isInteger(v)) return v !== 0;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v) !== 0;
  throw validationFailed([{ field: "wide", code: "invalid_type", message: "must be an integer" }]);
}

/** INWX DomRobot over JSON (`POST /jsonrpc/`) and XML-RPC (`POST /xmlrpc/`). */
export async function inwxPlugin(app: FastifyInstance, deps: InwxDeps): Promise<void> {

  for (const type of ["text/xml", "application/xml"]) {
    app.addContentTypeParser(type, { parseAs: "string" }, (_req, body, done) => done(null, body));
  }
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  const stateOf = (request: FastifyRequest): CallState => {
    request.inwx ??= { format: request.url.startsWith("/xmlrpc") ? "xml" : "json", lang: "en", clTRID: undefined, started: performance.now() };
    return request.inwx;
  };

  const send = (request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>) => {
    const s = stateOf(request);
    const full: Record<string, unknown> = { ...body, svTRID: String(request.id), runtime: Math.round(performance.now() - s.started) / 1000 };
    if (s.clTRID !== undefined) full.clTRID = s.clTRID;
    reply.code(200);
    if (s.format === "xml") return reply.type("text/xml; charset=utf-8").send(encodeMethodResponse(full));
    return reply.type("application/json; charset=utf-8").send(JSON.stringify(full));
  };

  app.setErrorHandler((error, request, reply) => {
    const s = stateOf(request);
    let code: InwxCode;
    let reasonCode: string;
    let reason: string;
    if (error instanceof InwxError) {
      ({ code, reasonCode, reason } = error);
    } else if (error instanceof AppError && error.issues.length > 0) {
      const issues = renameIssues(error.issues);
      const first = issues[0] as (typeof issues)[number];
      ({ code, reasonCode } = error.code === "validation_failed" ? issueToCode(first) : { code: errorToCode(error.code), reasonCode: error.code.toUpperCase() });
      reason = issues.map((i) => `Parameter ${i.field}: ${i.message}`).join("; ");
    } else if (error instanceof AppError) {
      code = errorToCode(error.code);
      reasonCode = error.code.toUpperCase();
      reason = error.code === "internal" ? "Internal error; the svTRID identifies it in our logs" : error.message;
    } else {
      const status = (error as { statusCode?: number }).statusCode;
      code = status === 413 ? 2400 : status !== undefined && status < 500 ? 2001 : 2400;
      reasonCode = status === 413 ? "PAYLOAD_TOO_LARGE" : status !== undefined && status < 500 ? "MALFORMED_REQUEST" : "INTERNAL";
      reason = status !== undefined && status < 500 ? (error as Error).message : "Internal error; the svTRID identifies it in our logs";
    }
    if (code === 2400 && reasonCode === "INTERNAL") request.log.error({ err: error }, "inwx call failed");
    return send(request, reply, { code, msg: message(code, s.lang), reasonCode, reason });
  });

  const meta = (request: FastifyRequest): Meta => ({ clientIp: request.ip, protocol: "inwx", requestId: String(request.id) });

  const session = async (request: FastifyRequest): Promise<{ ctx: Context; token: string }> => {
    const token = sessionToken(request.headers.cookie);
    if (!token) throw new InwxError(2002, "NOT_LOGGED_IN", "Log in with account.login first");
    try {
      return { ctx: await deps.withSession(token, meta(request)), token };
    } catch (error) {
      if (error instanceof AppError && (error.code === "unauthenticated" || error.code === "second_factor_required")) {
        throw new InwxError(2002, "NOT_LOGGED_IN", "The session is not valid (expired, logged out, or waiting for account.unlock)");
      }
      throw error;
    }
  };

  const needSessions = (): InwxSessions => {
    if (!deps.sessions) throw new InwxError(2400, "SESSIONS_UNAVAILABLE", "Login is not available on this server");
    return deps.sessions;
  };

  const loginFacts = async (customerId: number): Promise<LoginFacts | null> => {
    const s = deps.sessions;
    if (!s) return null;
    const tfa = await s.tfaMethod(customerId);
    const info = s.loginInfo ? await s.loginInfo(customerId) : { lastLoginAt: null, loginCount: 0, lastIp: null };
    return { tfa, ...info };
  };

  const self = (ctx: Context) => ({ kind: "id" as const, value: ctx.principal.id });

  const methods: Record<string, (params: Record<string, unknown>, request: FastifyRequest) => Promise<Outcome>> = {
    // account.login {user, pass, case-insensitive?}
    async "account.login"(params, request) {
      onlyParams(params, ["user", "pass", "case-insensitive"]);
      const identifier = requiredString(params, "user");
      const password = requiredString(params, "pass");
      const result = await needSessions().login({ identifier, password, ...meta(request) });
      if (result.state === "second_factor_required") {
        return { code: 1000, cookie: result.pendingToken, resData: { tfa: result.method } };
      }
      const ctx = await deps.withSession(result.token, meta(request));
      const c = await deps.customers.get(ctx, self(ctx));
      const tfa = await needSessions().tfaMethod(c.id);
      return { code: 1000, cookie: result.token, resData: { customerId: c.id, customerNo: customerNo(c), accountId: c.id, tfa } };
    },
    // account.unlock {tan}: the TOTP second factor after a login that answered tfa != "0".
    async "account.unlock"(params, request) {
      onlyParams(params, ["tan"]);
      const tan = requiredString(params, "tan");
      const pending = sessionToken(request.headers.cookie);
      if (!pending) throw new InwxError(2002, "NOT_LOGGED_IN", "Log in with account.login first");
      const result = await needSessions().completeSecondFactor({ pendingToken: pending, code: tan, keepToken: true, ...meta(request) });
      return { code: 1000, cookie: result.token, resData: {} };
    },
    async "account.logout"(params, request) {
      onlyParams(params, []);
      const token = sessionToken(request.headers.cookie);
      if (token) await needSessions().logout(token);
      return { code: 1500, cookie: "", resData: {} };
    },
    async "account.info"(params, request) {
      onlyParams(params, []);
      const { ctx } = await session(request);
      const c = await deps.customers.get(ctx, self(ctx));
      return { code: 1000, resData: encodeCustomerInfo(c, false, await loginFacts(c.id)) };
    },
    async "customer.info"(params, request) {
      onlyParams(params, ["wide"]);
      const wide = wideFlag(params.wide);
      const { ctx } = await session(request);
      const c = await deps.customers.get(ctx, self(ctx));
      return { code: 1000, resData: encodeCustomerInfo(c, wide, await loginFacts(c.id)) };
    },
    async "customer.update"(params, request) {
      const decoded = decodeCustomerUpdate(params);
      const { ctx } = await session(request);
      if (decoded.testing) throw new InwxError(2400, "TESTING_NOT_SUPPORTED", "Testing mode is not supported; send the update without testing");
      try {
        const ref = `id:${ctx.principal.id}`;
        // Credentials are checked before anything is written, so one bad value changes nothing.
        const credentialChange = { ...(decoded.password !== undefined ? { password: decoded.password } : {}), ...(decoded.servicePin !== undefined ? { pin: decoded.servicePin } : {}) };
        if (Object.keys(credentialChange).length > 0) await needSessions().checkCredentialChange(ctx, ref, credentialChange);
        if (Object.keys(decoded.patch).length > 0) await deps.customers.update(ctx, self(ctx), decoded.patch);
        if (decoded.password !== undefined) await needSessions().setPassword(ctx, ref, { password: decoded.password });
        if (decoded.servicePin !== undefined) await needSessions().setPin(ctx, ref, { pin: decoded.servicePin });
      } catch (error) {
        if (error instanceof AppError && error.issues.length > 0) {
          throw new AppError(error.code, error.message, { issues: renameIssues(error.issues), cause: error });
        }
        throw error;
      }
      return { code: 1000, resData: {} };
    },
    async "customer.delete"(params, request) {
      onlyParams(params, []);
      const { ctx } = await session(request);
      await deps.customers.delete(ctx, self(ctx));
      return { code: 1000, resData: {} };
    },
    async "customer.contactverificationsettingsinfo"(params, request) {
      onlyParams(params, []);
      const { ctx } = await session(request);
      const s = await deps.verification.get(ctx, self(ctx));
      return { code: 1000, resData: { supportEmail: s.support_email, supportName: s.support_name, signature: s.signature } };
    },
    async "customer.contactverificationsettingsupdate"(params, request) {
      onlyParams(params, ["supportEmail", "supportName", "signature"]);
      const patch: Record<string, string> = {};
      const names = { supportEmail: "support_email", supportName: "support_name", signature: "signature" } as const;
      for (const [inwx, canonical] of Object.entries(names)) {
        const v = optionalString(params, inwx);
        if (v !== undefined) patch[canonical] = v;
      }
      const { ctx } = await session(request);
      try {
        await deps.verification.update(ctx, self(ctx), patch);
      } catch (error) {
        if (error instanceof AppError && error.issues.length > 0) {
          const back = Object.fromEntries(Object.entries(names).map(([a, b]) => [b, a]));
          throw new AppError(error.code, error.message, { issues: error.issues.map((i) => ({ ...i, field: back[i.field] ?? i.field })) });
        }
        throw error;
      }
      return { code: 1000, resData: {} };
    },
    async "customer.requestdataexport"(params, request) {
      onlyParams(params, []);
      const { ctx } = await session(request);
      await deps.exports.request(ctx, self(ctx), { type: "gdpr" });
      return { code: 1000, resData: {} };
    },
    async "customer.listdownloads"(params, request) {
      onlyParams(params, ["type"]);
      const type = optionalString(params, "type");
      const { ctx } = await session(request);
      const list = await deps.exports.listDownloads(ctx, self(ctx), type);
      return {
        code: 1000,
        resData: { downloads: list.map((d) => ({ token: d.token, created: new Date(d.created_at), downloads: d.downloads, expires: new Date(d.expires_at), status: d.status })) },
      };
    },
  };

  const handle = (format: "json" | "xml") => async (request: FastifyRequest, reply: FastifyReply) => {
    const s = stateOf(request);
    s.format = format;
    let method: unknown;
    let params: unknown;
    if (format === "xml") {
      if (typeof request.body !== "string" || request.body.trim() === "") throw new AppError("malformed_request", "Send an XML-RPC <methodCall>");
      ({ method, params } = decodeMethodCall(request.body));
    } else {
      let body = request.body;
      if (typeof body === "string") {
        try {
          body = JSON.parse(body);
        } catch {
          throw new AppError("malformed_request", "The body is not valid JSON");
        }
      }
      if (body === null || typeof body !== "object" || Array.isArray(body)) throw new AppError("malformed_request", 'Send {"method": "...", "params": {...}}');
      ({ method, params } = body as { method?: unknown; params?: unknown });
      params ??= {};
      if (typeof params !== "object" || params === null || Array.isArray(params)) throw new AppError("malformed_request", "params must be an object");
    }
    assertSafeText(params);
    const p = { ...(params as Record<string, unknown>) };
    s.lang = parseLang(p.lang);
    if (typeof p.clTRID === "string" || typeof p.clTRID === "number") s.clTRID = String(p.clTRID).slice(0, 255);
    delete p.lang;
    delete p.clTRID;
    if (typeof method !== "string" || method === "") throw validationFailed([{ field: "method", code: "required", message: "The following parameter is missing: method" }]);
    const fn = Object.hasOwn(methods, method.toLowerCase()) ? methods[method.toLowerCase()] : undefined;
    if (!fn) throw new InwxError(2000, "UNKNOWN_COMMAND", `Unknown command ${method.slice(0, 100)}`);
    const outcome = await fn(p, request);
    if (outcome.cookie !== undefined) reply.header("set-cookie", outcome.cookie === "" ? clearCookie : setCookie(outcome.cookie));
    return send(request, reply, { code: outcome.code, msg: message(outcome.code, s.lang), resData: outcome.resData ?? {} });
  };

  app.post("/jsonrpc", handle("json"));
  app.post("/xmlrpc", handle("xml"));
}

declare module "fastify" {
  interface FastifyRequest {
    inwx?: CallState;
  }
}
