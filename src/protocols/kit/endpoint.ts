import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { EnvelopeCodec, RpcRequest } from "./codec.js";

/**
 * An RPC protocol on HTTP: endpoints (path + envelope codec), one function that answers a decoded
 * call, one that answers any error. Registered inside the protocol's own Fastify plugin, so its
 * error handler applies to its routes only.
 */
export interface RpcProtocol {
  endpoints: readonly { path: string; codec: EnvelopeCodec }[];
  /** HTTP status of every answer, errors included (RPC protocols report errors in the body). */
  status?: number;
  answer(call: RpcRequest, request: FastifyRequest, reply: FastifyReply): Promise<Record<string, unknown>>;
  /** The answer body for an error raised anywhere: body parser, codec, dispatcher, command. */
  fail(error: unknown, request: FastifyRequest): Record<string, unknown>;
}

/** The codec of the endpoint a request came in on (for errors raised before the handler ran too). */
export function codecOf(protocol: RpcProtocol, request: FastifyRequest): EnvelopeCodec {
  const url = request.routeOptions.url ?? request.url;
  const hit = protocol.endpoints.find((e) => url.startsWith(e.path));
  return (hit ?? protocol.endpoints[0])?.codec as EnvelopeCodec;
}

export function registerRpc(app: FastifyInstance, protocol: RpcProtocol): void {
  const types = new Set(protocol.endpoints.flatMap((e) => e.codec.accepts));
  for (const type of types) app.addContentTypeParser(type, { parseAs: "string" }, (_req, body, done) => done(null, body));
  // Clients send every content type imaginable; the codec decides what the body means.
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  const send = (request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>) => {
    const codec = codecOf(protocol, request);
    reply.code(protocol.status ?? 200);
    return reply.type(codec.contentType).send(codec.encode(body));
  };

  app.setErrorHandler((error, request, reply) => send(request, reply, protocol.fail(error, request)));
  for (const { path, codec } of protocol.endpoints) {
    app.post(path, async (request, reply) => {
      const call = codec.decode(request.body);
      // Metrics label RPC requests by wire method (the metrics module caps distinct names).
      if (typeof call.method === "string") request.custosOperation = call.method.slice(0, 64);
      return send(request, reply, await protocol.answer(call, request, reply));
    });
  }
}
