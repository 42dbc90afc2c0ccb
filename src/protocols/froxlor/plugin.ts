import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import { MAX_INPUT_DEPTH, unsafeTextIssues } from "../../core/validation.js";
import { requestMeta } from "../kit/context.js";
import { createDispatcher, type MethodTable } from "../kit/rpc.js";
import type { RequestAuthenticator } from "../shared/auth.js";
import { type ErrorScene, froxlorAnswer } from "./codes.js";
import { FUNCTIONS, listFunctions } from "./functions.js";
import { type FroxlorCall, type FroxlorDeps, METHODS } from "./methods.js";
import { FroxlorWireError } from "./params.js";
import { fieldLabel } from "./fields.js";
import { normaliseParams, phpText } from "./php.js";

/**
 * Froxlor's api.php (protocols.md §2): HTTP Basic key:secret on Custos's API keys, a JSON envelope
 * {command, params} (or the ?/module/function route form), answers {"data": ...} or
 * {"message": ...} with the status Froxlor uses. Checks run in Froxlor's order: credentials
 * before the body, then body, command, parameters.
 */

export interface FroxlorOptions {
  deps: FroxlorDeps;
  auth: Pick<RequestAuthenticator, "withApiKey">;
  methods?: MethodTable<FroxlorCall>;
}

/** Froxlor's fixed rate-limit headers; the API never starts the session its limiter counts in. */
const RATE_WINDOW_S = 60;

/** PHP json_encode(JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES): 4 spaces, non-ASCII as \uXXXX. */
export function phpJson(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  const reset = Math.floor(Date.now() / 1000) + RATE_WINDOW_S;
  return reply
    .code(status)
    .header("content-type", "application/json")
    .header("accept", "application/json")
    .header("x-ratelimit-limit", "60")
    .header("x-ratelimit-remaining", "59")
    .header("x-ratelimit-reset", String(reset))
    .send(Buffer.from(phpJson(body)));
}

const fail = (reply: FastifyReply, status: number, message: string) => send(reply, status, { message });

/**
 * The Custos key behind Froxlor's key:secret. A key `ck_<id>_<random>` is presented as
 * key `ck_<id>` and secret `<random>`. Any other key name means the secret is a whole Custos key
 * (keys seeded with CUSTOS_BOOTSTRAP_KEY have no ck_ form).
 */
export function keyFromBasic(user: string, secret: string): string {
  return user.startsWith("ck_") && !secret.startsWith("ck_") ? `${user}_${secret}` : secret;
}

function basicCredentials(header: string | undefined): { user: string; secret: string } | undefined {
  const m = typeof header === "string" ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? "" : decoded.slice(colon + 1);
  return user === "" ? undefined : { user, secret };
}

/** A 0.10 envelope: a JSON object with `header` and `body` objects; undefined for anything else. */
function legacyEnvelope(raw: string): Record<string, unknown> | undefined {
  if (!raw.includes('"header"')) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    const e = v as Record<string, unknown>;
    const isObject = (x: unknown) => x !== null && typeof x === "object" && !Array.isArray(x);
    return isObject(e.header) && isObject(e.body) ? e : undefined;
  } catch {
    return undefined;
  }
}

/** `?/customers/get` -> "Customers.get" (lower-case letters only, as Froxlor's pattern). */
function routeCommand(url: string): string | undefined {
  const q = url.indexOf("?");
  if (q < 0) return undefined;
  const m = /^\/([a-z]+)\/([a-z]+)\/?/.exec(url.slice(q + 1));
  if (!m?.[1] || !m[2]) return undefined;
  return `${m[1].charAt(0).toUpperCase()}${m[1].slice(1)}.${m[2]}`;
}

const LIST_FUNCTIONS = "Froxlor.listfunctions";

/** The table key: class part as sent (case-sensitive), method part lower-cased. */
function tableKey(command: string): string {
  const [cls = "", fn = ""] = command.split(".");
  return `${cls}.${fn.toLowerCase()}`;
}

export async function froxlorPlugin(app: FastifyInstance, options: FroxlorOptions): Promise<void> {
  const methods = options.methods ?? METHODS;
  const dispatch = createDispatcher(methods);
  // api.php reads the raw body whatever its content type (curl -d sends form encoding).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body: Buffer, done) => done(null, body));

  type Answer = { status: number; data: unknown } | { status: number; message: string };
  const refusal = (status: number, message: string): Answer => ({ status, message });

  /** Key and secret -> a Context, or Froxlor's refusal. */
  const authenticate = async (request: FastifyRequest, reply: FastifyReply, user: string, secret: string): Promise<Context | Answer> => {
    try {
      return await options.auth.withApiKey(keyFromBasic(user, secret), requestMeta(request, "froxlor"));
    } catch (error) {
      if (error instanceof AppError && error.code === "rate_limited") {
        if (error.retryAfter !== undefined) reply.header("retry-after", String(error.retryAfter));
        return refusal(429, "Too many requests. Please wait and try again.");
      }
      if (error instanceof AppError) return refusal(403, "Invalid authorization credentials");
      throw error;
    }
  };

  /** From the command name on: the checks of api.php, then the one command. */
  const execute = async (reply: FastifyReply, ctx: Context, command: string, params: unknown): Promise<Answer> => {
    if (command.split(".").length !== 2) return refusal(400, "The given command is invalid.");
    const key = tableKey(command);
    const doc = Object.hasOwn(FUNCTIONS, key) ? FUNCTIONS[key] : undefined;
    if (!doc || (key !== LIST_FUNCTIONS && !Object.hasOwn(methods, key))) return refusal(400, "Unknown command");
    const given = params !== null && typeof params === "object" && !Array.isArray(params) ? params : {};
    // NUL, unpaired surrogates and absurd nesting: refused the same on both databases.
    const unsafe = unsafeTextIssues(given)[0];
    if (unsafe) {
      if (unsafe.code === "invalid_value") return refusal(400, `The parameters nest deeper than ${MAX_INPUT_DEPTH} levels.`);
      return refusal(400, `The value for the field "${fieldLabel(unsafe.field.split(".")[0] ?? "")}" is not in the expected format.`);
    }
    const p = normaliseParams(given) as Record<string, unknown>;
    // listFunctions describes the API itself: no operation, no permission check (the connection test).
    if (key === LIST_FUNCTIONS) return { status: 200, data: listFunctions(phpText(p.module) ?? "", phpText(p.function) ?? "") };
    const [cls, fn] = command.split(".");
    const scene: ErrorScene = { params: p, command: `${cls}:${fn}`, selfKey: ctx.principal.kind === "customer" };
    const call: FroxlorCall = { ctx, deps: options.deps, scene };
    try {
      if (doc.access === "admin" && ctx.principal.kind === "customer") throw new AppError("forbidden", "Only admin keys may run this command");
      const answer = await dispatch(key, p, call);
      return { status: 200, data: answer.data };
    } catch (error) {
      if (error instanceof FroxlorWireError) return refusal(error.status, error.message);
      if (!(error instanceof AppError)) throw error;
      const answer = froxlorAnswer(error, scene);
      if (answer.status === 429 && error.retryAfter !== undefined) reply.header("retry-after", String(error.retryAfter));
      return refusal(answer.status, answer.message);
    }
  };

  const current = (reply: FastifyReply, a: Answer) => send(reply, a.status, "data" in a ? { data: a.data } : { message: a.message });

  /**
   * Froxlor 0.10's envelope (envoyr/php-froxlor-client): credentials inside the body, answers
   * {status, status_message, data} with the message on the status line too.
   */
  const legacy = async (request: FastifyRequest, reply: FastifyReply, envelope: Record<string, unknown>) => {
    const header = envelope.header as Record<string, unknown>;
    const body = envelope.body as Record<string, unknown>;
    const answer = async (): Promise<Answer> => {
      const user = phpText(header.apikey) ?? "";
      const secret = phpText(header.secret) ?? "";
      if (user === "" || secret === "") return refusal(401, "Unauthenticated. Please provide api user credentials.");
      const ctx = await authenticate(request, reply, user, secret);
      if ("status" in ctx) return ctx;
      if (body.command === undefined || body.command === null || body.command === "") return refusal(400, "Please provide a command.");
      return execute(reply, ctx, String(body.command), body.params);
    };
    const a = await answer();
    const statusMessage = "data" in a ? "successful" : a.message;
    reply.raw.statusMessage = statusMessage.replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
    return send(reply, a.status, "data" in a ? { status: a.status, status_message: statusMessage, data: a.data } : { status: a.status, status_message: statusMessage });
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body.toString("utf8") : "";
    const credentials = basicCredentials(request.headers.authorization);
    if (!credentials) {
      const envelope = legacyEnvelope(raw);
      if (envelope) return legacy(request, reply, envelope);
      reply.header("www-authenticate", 'Basic realm="API"');
      return fail(reply, 401, "Unauthenticated. Please provide api user credentials.");
    }
    const ctx = await authenticate(request, reply, credentials.user, credentials.secret);
    if ("status" in ctx) return current(reply, ctx);

    if (raw.trim() === "") return fail(reply, 400, "Empty request body.");
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail(reply, 400, "Invalid JSON Format.");
    }
    let command = routeCommand(request.url);
    let params: unknown = body;
    if (command === undefined) {
      const envelope = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      if (envelope.command === undefined || envelope.command === null || envelope.command === "") return fail(reply, 400, "Please provide a command.");
      command = String(envelope.command);
      params = envelope.params;
    }
    return current(reply, await execute(reply, ctx, command, params));
  };

  app.route({ method: ["GET", "POST", "PUT", "PATCH", "DELETE"], url: "/api.php", handler });
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return fail(reply, 413, "The request body is too large.");
    request.log.error({ err: error, requestId: request.id }, "froxlor: unhandled error");
    return fail(reply, 500, "Internal error");
  });
}
