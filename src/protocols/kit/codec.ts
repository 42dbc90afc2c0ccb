import { AppError } from "../../core/errors.js";
import { decodeMethodCall, encodeFault, encodeMethodResponse, singleStruct } from "./xmlrpc.js";

/** A decoded RPC request: the method name as sent (checked by the dispatcher) and its named parameters. */
export interface RpcRequest {
  method: unknown;
  params: Record<string, unknown>;
}

/**
 * How an RPC protocol's envelope travels: bytes in, method and parameters out; one answer value
 * in, bytes out. Protocols pick a codec per endpoint (INWX: JSON on /jsonrpc, XML-RPC on /xmlrpc).
 */
export interface EnvelopeCodec {
  readonly name: string;
  /** Content type of the answers. */
  readonly contentType: string;
  /** Request media types the codec reads as text (registered as Fastify content-type parsers). */
  readonly accepts: readonly string[];
  /** Throws malformed_request for anything that is not a well-formed call. */
  decode(body: unknown): RpcRequest;
  encode(answer: Record<string, unknown>): string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `{"method": "...", "params": {...}}` as JSON (JSON-RPC's request shape, without its envelope rules). */
export const jsonCodec: EnvelopeCodec = {
  name: "json",
  contentType: "application/json; charset=utf-8",
  accepts: [],
  decode(body) {
    let value = body;
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        throw new AppError("malformed_request", "The body is not valid JSON");
      }
    }
    if (!isObject(value)) throw new AppError("malformed_request", 'Send {"method": "...", "params": {...}}');
    const params = value.params ?? {};
    if (!isObject(params)) throw new AppError("malformed_request", "params must be an object");
    return { method: value.method, params };
  },
  encode: (answer) => JSON.stringify(answer),
};

/** XML-RPC whose named arguments travel as one struct parameter (INWX). */
export const xmlRpcStructCodec: EnvelopeCodec = {
  name: "xmlrpc",
  contentType: "text/xml; charset=utf-8",
  accepts: ["text/xml", "application/xml"],
  decode(body) {
    if (typeof body !== "string" || body.trim() === "") throw new AppError("malformed_request", "Send an XML-RPC <methodCall>");
    const { method, params } = decodeMethodCall(body);
    return { method, params: singleStruct(params) };
  },
  encode: (answer) => encodeMethodResponse(answer),
};

/**
 * XML-RPC as the spec has it: positional parameters (named "0", "1", ... for the method table)
 * and one return value; errors travel as <fault>. The answer is `{ value }` or
 * `{ fault: { faultCode, faultString } }` (Everlytic).
 */
export const xmlRpcPositionalCodec: EnvelopeCodec = {
  name: "xmlrpc",
  contentType: "text/xml; charset=utf-8",
  accepts: ["text/xml", "application/xml"],
  decode(body) {
    if (typeof body !== "string" || body.trim() === "") throw new AppError("malformed_request", "Send an XML-RPC <methodCall>");
    const { method, params } = decodeMethodCall(body);
    return { method, params: Object.fromEntries(params.map((v, i) => [String(i), v])) };
  },
  encode(answer) {
    const fault = answer.fault as { faultCode?: unknown; faultString?: unknown } | undefined;
    if (fault !== undefined) return encodeFault(typeof fault.faultCode === "number" ? fault.faultCode : 500, String(fault.faultString ?? ""));
    return encodeMethodResponse(answer.value);
  },
};

