import thrift from "thrift";
import { frameworkError } from "../kit/errors.js";
import { type Dispatch, UnknownMethod } from "../kit/rpc.js";
import { STACKABLE_ERRORS } from "./codes.js";
import * as gen from "./gen/customer.js";
import type { StackableCall } from "./methods.js";

/**
 * Thrift glue for the Customer service: the Processor generated from customer.thrift reads the
 * call and writes the reply; its handler turns positional Thrift arguments into the named
 * parameters of the shared method table, and the table's answers into the generated structs.
 */

type Build = (value: unknown) => unknown;
// biome-ignore lint/suspicious/noExplicitAny: generated struct constructors take their own argument shapes
const struct = (Ctor: new (args: any) => unknown, nested: Record<string, Build> = {}): Build => (value) => {
  const v = { ...(value as Record<string, unknown>) };
  for (const [field, build] of Object.entries(nested)) if (v[field] !== undefined) v[field] = build(v[field]);
  return new Ctor(v);
};
const list = (item: Build): Build => (value) => (value as unknown[]).map(item);
const map: Build = (value) => new Map(Object.entries(value as Record<string, string>));

/** Return values that are structs (or hold them) and how to build them; scalars pass as they are. */
const RETURNS: Record<string, Build> = {
  CP_Wizard: struct(gen.Site, { environments: list(struct(gen.Environment)) }),
  createKey: struct(gen.APIKey),
  getKeys: list(struct(gen.APIKey)),
  createKeyACL: struct(gen.APIKeyACL),
  updateKeyACL: struct(gen.APIKeyACL),
  listRoles: list(struct(gen.Role)),
  getSettings: list(struct(gen.Setting)),
  getDetailedIpAddresses: list(struct(gen.IPAddressDetails)),
  createFTPUser: struct(gen.FTPUser),
  listFTPUsers: list(struct(gen.FTPUser)),
  updateFTPUser: struct(gen.FTPUser),
  listNotices: list(struct(gen.CustomerNotice)),
  listContactNoticeTypes: list(struct(gen.ContactNoticeType)),
  listContactMethods: list(struct(gen.ContactMethod)),
  listContacts: list(struct(gen.CustomerContact, { methods: list(struct(gen.CustomerContactMethod, { options: map, notices: list(struct(gen.CustomerContactMethodNotice, { options: map })) })) })),
};

/** Thrift values -> the JSON-like values the field maps read (i64 -> number, map -> object, struct -> plain). */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    const o = value as Record<string, unknown> & { toNumber?: (allowImprecise?: boolean) => number };
    if (typeof o.toNumber === "function" && Buffer.isBuffer((o as { buffer?: unknown }).buffer)) return o.toNumber(true);
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Any failure -> the function's InvalidArguments, or an Error the Processor answers as TApplicationException. */
export function thriftError(error: unknown, log: (error: unknown) => void): Error | gen.InvalidArguments {
  if (error instanceof UnknownMethod) return new Error(error.message);
  const e = frameworkError(error);
  const form = STACKABLE_ERRORS[e.code];
  if (form.thrift === "TApplicationException") {
    if (e.code === "internal") {
      log(error);
      return new Error("Internal error");
    }
    return new Error(e.code === "unauthenticated" || e.code === "second_factor_required" ? `Authentication failed: ${e.message}` : e.message);
  }
  const message = e.issues.length > 0 ? e.issues.map((i) => `${i.field}: ${i.message}`).join("; ") : e.message;
  return new gen.InvalidArguments({ message, code: e.code, fields: [...new Set(e.issues.map((i) => i.field))] });
}

/** The Processor's handler: every IDL function, dispatched through the shared method table. */
function handlerFor(dispatch: Dispatch<StackableCall>, call: StackableCall, log: (error: unknown) => void): gen.IHandler {
  const handler: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [fn, names] of Object.entries(gen.FUNCTION_ARGS)) {
    handler[fn] = async (...args) => {
      const params: Record<string, unknown> = {};
      names.forEach((name, i) => {
        const v = plain(args[i]);
        if (v !== undefined) params[name] = v;
      });
      try {
        const { result } = (await dispatch(fn, params, call)) as { result: unknown };
        const build = RETURNS[fn];
        return result === null || result === undefined ? undefined : build ? build(result) : result;
      } catch (error) {
        throw thriftError(error, log);
      }
    };
  }
  return handler as unknown as gen.IHandler;
}

// @types/thrift declares a seqid argument the library treats as optional.
const receiver = (callback: (transport: thrift.TTransport) => void): ((data: Buffer) => void) =>
  (thrift.TBufferedTransport.receiver as unknown as (cb: typeof callback) => (data: Buffer) => void)(callback);
const writer = (onFlush: (buf: Buffer) => void): thrift.TProtocol => new thrift.TBinaryProtocol(new thrift.TBufferedTransport(undefined, onFlush as unknown as thrift.TTransportCallback));

/** Reads a binary Thrift message's name and seqid without consuming the call (for refusals before dispatch). */
function messageHeader(body: Buffer): { name: string; seqid: number } {
  try {
    let header = { name: "", seqid: 0 };
    receiver((transport: thrift.TTransport) => {
      const m = new thrift.TBinaryProtocol(transport).readMessageBegin();
      header = { name: m.fname, seqid: m.rseqid };
    })(body);
    return header;
  } catch {
    return { name: "", seqid: 0 };
  }
}

/** A TApplicationException reply to the call in `body` (authentication refused, unreadable call). */
export function applicationException(body: Buffer, message: string, type = thrift.Thrift.TApplicationExceptionType.UNKNOWN): Buffer {
  const { name, seqid } = messageHeader(body);
  let out = Buffer.alloc(0);
  const output = writer((buf) => {
    out = Buffer.concat([out, buf]);
  });
  output.writeMessageBegin(name, thrift.Thrift.MessageType.EXCEPTION, seqid);
  new thrift.Thrift.TApplicationException(type, message).write(output);
  output.writeMessageEnd();
  output.flush();
  return out;
}

/**
 * Answers a call refused before it ran (authentication, ACL, rate limit) as the Processor would
 * answer the error from the function: the function's InvalidArguments, or TApplicationException
 * for a failed authentication.
 */
export function refuseThrift(body: Buffer, error: unknown, log: (error: unknown) => void): Promise<Buffer> {
  return processThrift(
    body,
    async () => {
      throw error;
    },
    { ctx: undefined as never },
    log,
  );
}

/** Runs one binary Thrift call (unframed message) and answers the reply message. */
export function processThrift(body: Buffer, dispatch: Dispatch<StackableCall>, call: StackableCall, log: (error: unknown) => void): Promise<Buffer> {
  return new Promise((resolve) => {
    const processor = new gen.Processor(handlerFor(dispatch, call, log));
    const output = writer(resolve);
    try {
      receiver((transport: thrift.TTransport) => {
        processor.process(new thrift.TBinaryProtocol(transport), output);
      })(body);
    } catch (error) {
      // Not a Thrift message the Processor could read at all.
      resolve(applicationException(body, error instanceof Error ? `Cannot read the call: ${error.message}` : "Cannot read the call", thrift.Thrift.TApplicationExceptionType.PROTOCOL_ERROR));
    }
  });
}
