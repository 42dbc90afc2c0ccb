import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { SignedRequest } from "../../modules/auth/signing.js";
import { type RequestMeta, requestMeta } from "../kit/context.js";
import { frameworkError } from "../kit/errors.js";
import { createDispatcher, type Dispatch, UnknownMethod } from "../kit/rpc.js";
import { STACKABLE_ERRORS } from "./codes.js";
import { type StackableCall, type StackableDeps, stackableMethods } from "./methods.js";
import { applicationException, processThrift, refuseThrift } from "./thrift.js";

export interface StackablePluginDeps extends StackableDeps {
  /** Checks the HMAC headers and the key behind them (RequestAuthenticator.withSignature). */
  withSignature(request: SignedRequest, meta: RequestMeta): Promise<Context>;
}

/** The five signature headers (HTTP header names are case-insensitive; AMQP ones are not, so both spellings). */
export function signatureOf(headers: Record<string, unknown>, body: Buffer): SignedRequest {
  const h = (name: string): unknown => headers[name] ?? headers[name.toLowerCase()];
  return { keyId: h("Customer-Key-ID"), signature: h("Signature"), version: h("Signature-Version"), method: h("Signature-Method"), created: h("Signature-Created"), body };
}

/** `{"error":{"type","message","fields"}}` with its HTTP status (README.md in this folder). */
export function jsonError(error: unknown, log: (error: unknown) => void): { status: number; body: Record<string, unknown> } {
  if (error instanceof UnknownMethod) return { status: 404, body: { error: { type: "UnknownFunction", message: `Unknown function ${error.method.slice(0, 100)}`, fields: [] } } };
  const e = frameworkError(error);
  const form = STACKABLE_ERRORS[e.code];
  if (e.code === "internal") log(error);
  const message = e.code === "internal" ? "Internal error; the request id identifies it in our logs" : e.issues.length > 0 ? e.issues.map((i) => `${i.field}: ${i.message}`).join("; ") : e.message;
  return { status: form.status, body: { error: { type: form.type, code: e.code, message, fields: [...new Set(e.issues.map((i) => i.field))] } } };
}

/** Named arguments: a JSON object (an empty body is no arguments). */
function parseArguments(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("malformed_request", "The body is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new AppError("malformed_request", "The body must be a JSON object of named arguments");
  return value as Record<string, unknown>;
}

/**
 * Stackable's Customer service over HTTP: the signed JSON proxy (`POST /Customer/{function}`) and
 * binary Thrift (`POST /thrift/Customer`, always HTTP 200). Both read the raw body, since the
 * signature covers its exact bytes.
 */
export async function stackablePlugin(app: FastifyInstance, deps: StackablePluginDeps): Promise<void> {
  const dispatch: Dispatch<StackableCall> = createDispatcher(stackableMethods(deps));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  const raw = (request: FastifyRequest): Buffer => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
  const authenticate = (request: FastifyRequest, body: Buffer, protocol: string) =>
    deps.withSignature(signatureOf(request.headers as Record<string, unknown>, body), requestMeta(request, protocol));

  const isThrift = (request: FastifyRequest) => (request.routeOptions.url ?? request.url).startsWith("/thrift/");
  app.setErrorHandler((error, request, reply) => {
    const log = (err: unknown) => request.log.error({ err }, "stackable call failed");
    if (isThrift(request)) {
      return reply.code(200).type("application/x-thrift").send(applicationException(raw(request), frameworkError(error).message));
    }
    const { status, body } = jsonError(error, log);
    return reply.code(status).type("application/json").send(body);
  });

  app.post("/Customer/:method", async (request: FastifyRequest<{ Params: { method: string } }>, reply: FastifyReply) => {
    const body = raw(request);
    const ctx = await authenticate(request, body, "stackable-json");
    const answer = await dispatch(request.params.method, parseArguments(body), { ctx });
    return reply.code(200).type("application/json").send(answer);
  });

  app.post("/thrift/Customer", async (request, reply) => {
    const body = raw(request);
    const log = (err: unknown) => request.log.error({ err }, "stackable thrift call failed");
    reply.code(200).type("application/x-thrift");
    let ctx: Context;
    try {
      ctx = await authenticate(request, body, "stackable-thrift");
    } catch (error) {
      return reply.send(await refuseThrift(body, error, log));
    }
    return reply.send(await processThrift(body, dispatch, { ctx }, log));
  });
}
