import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import amqp from "amqplib";
import thrift from "thrift";
import * as gen from "../../src/protocols/stackable/gen/customer.js";
import { decodeReply, encodeCall, jsonCall, type SigningKey, signatureHeaders, thriftClient } from "./client.js";

/**
 * The three ways a Stackable client reaches the Customer service, behind one call shape: named
 * arguments in (IDL names, JSON-style values), the answer out as plain JSON-style values (Thrift
 * structs, maps and i64 flattened), a refusal thrown as a {@link Refusal}. The scenario table
 * (scenario.ts) runs over each of them unchanged.
 */
export interface Transport {
  name: string;
  /** Calls `fn` signed with `key`. */
  call(fn: string, args: Record<string, unknown>, key: SigningKey): Promise<unknown>;
  close(): Promise<void>;
}

/** A function's refusal in the protocol's own terms, reduced to what every transport carries. */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    readonly fields: string[],
    message: string,
  ) {
    super(message);
  }
}

/** Argument names of every service function in declaration order (the npm thrift client's positional order), read from the IDL. */
export const SERVICE_FUNCTIONS: ReadonlyMap<string, string[]> = (() => {
  const idl = readFileSync(new URL("../../src/protocols/stackable/customer.thrift", import.meta.url), "utf8");
  const service = idl.slice(idl.indexOf("service Customer"));
  const out = new Map<string, string[]>();
  for (const m of service.matchAll(/^\s*[\w<>, ]+?\s(\w+)\(([^)]*)\)\s*throws/gm)) {
    const names = [...(m[2] ?? "").matchAll(/\d+:\s*(?:optional\s+)?[\w.]+(?:<[^>]*>)?\s+(\w+)/g)].map((a) => a[1] ?? "");
    out.set(m[1] ?? "", names);
  }
  return out;
})();

/** Thrift answers as JSON-style values: structs to objects (unset fields left out), maps to objects, node-int64 to numbers. */
export function plain(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (typeof (v as { toNumber?: unknown }).toNumber === "function") return (v as { toNumber(): number }).toNumber();
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = plain(x);
  return out;
}

/** JSON-style arguments as the generated Thrift code takes them: Setting structs and string maps. */
function thriftArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (k === "settings" && Array.isArray(v)) out[k] = v.map((s) => new gen.Setting(s as { key: string; value: string }));
    else if (k === "options" && v && typeof v === "object") out[k] = new Map(Object.entries(v as Record<string, string>));
    else out[k] = v;
  }
  return out;
}

function fromThrift(e: unknown): never {
  if (e instanceof gen.InvalidArguments) throw new Refusal(e.code, e.fields, e.message);
  throw e;
}

/** The signed JSON proxy, `POST /Customer/{fn}`, signed like the PHP client. */
export function jsonTransport(base: string): Transport {
  let calls = 0;
  return {
    name: "JSON proxy",
    async call(fn, args, key) {
      const r = await jsonCall(base, fn, args, key, undefined, calls++ % 16);
      if (r.body.error) throw new Refusal(r.body.error.code ?? r.body.error.type, r.body.error.fields, `${r.status} ${r.body.error.type}: ${r.body.error.message}`);
      if (r.status !== 200) throw new Error(`${fn}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.result;
    },
    async close() {},
  };
}

/** npm thrift's generated client over HTTP (`POST /thrift/Customer`), one client per signing key. */
export function thriftHttpTransport(base: string): Transport {
  const clients = new Map<string, ReturnType<typeof thriftClient>>();
  return {
    name: "Thrift/HTTP",
    async call(fn, args, key) {
      const id = String(key.keyId);
      const c = clients.get(id) ?? thriftClient(base, key);
      clients.set(id, c);
      const order = SERVICE_FUNCTIONS.get(fn);
      if (!order) throw new Error(`${fn} is not in customer.thrift`);
      const a = thriftArgs(args);
      const f = (c.client as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[fn];
      if (!f) throw new Error(`the generated client has no ${fn}`);
      return plain(await f.apply(c.client, order.map((n) => a[n])).catch(fromThrift)) ?? null;
    },
    async close() {
      for (const c of clients.values()) c.close();
    },
  };
}

type Generated = Record<string, { new (a: Record<string, unknown>): { write(p: thrift.TProtocol): void }; read(p: thrift.TProtocol): { success?: unknown; invalidArguments?: gen.InvalidArguments } }>;

/** amqplib through RabbitMQ: a binary Thrift call to the server's Customer queue, the reply read from an exclusive queue by correlation_id. */
export async function amqpTransport(url: string, queue: string): Promise<Transport> {
  const conn = await amqp.connect(url);
  const channel = await conn.createChannel();
  const replyQueue = (await channel.assertQueue("", { exclusive: true })).queue;
  const pending = new Map<string, (b: Buffer) => void>();
  await channel.consume(
    replyQueue,
    (msg) => {
      if (!msg) return;
      pending.get(String(msg.properties.correlationId))?.(msg.content);
      pending.delete(String(msg.properties.correlationId));
    },
    { noAck: true },
  );
  let seqid = 0;
  const g = gen as unknown as Generated;
  return {
    name: "Thrift/AMQP",
    async call(fn, args, key) {
      const type = fn.charAt(0).toUpperCase() + fn.slice(1);
      const Args = g[`${type}Args`];
      const Result = g[`${type}Result`];
      if (!Args || !Result) throw new Error(`no generated structs for ${fn}`);
      const body = encodeCall(fn, ++seqid, new Args(thriftArgs(args)));
      const answer = await new Promise<Buffer>((resolve, reject) => {
        const correlationId = randomUUID();
        const timer = setTimeout(() => reject(new Error(`${fn}: no reply within 10 s`)), 10_000);
        pending.set(correlationId, (b) => {
          clearTimeout(timer);
          resolve(b);
        });
        channel.sendToQueue(queue, body, { replyTo: replyQueue, correlationId, headers: signatureHeaders(key, body) });
      });
      const reply = decodeReply(answer, (p) => Result.read(p));
      if (reply.exception) throw reply.exception;
      if (reply.type !== thrift.Thrift.MessageType.REPLY || !reply.result) throw new Error(`${fn}: message type ${reply.type}`);
      if (reply.result.invalidArguments) fromThrift(reply.result.invalidArguments);
      return plain(reply.result.success) ?? null;
    },
    async close() {
      await channel.deleteQueue(queue).catch(() => {});
      await conn.close();
    },
  };
}
