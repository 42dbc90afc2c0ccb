import { createHmac } from "node:crypto";
import thrift from "thrift";
import * as gen from "../../src/protocols/stackable/gen/customer.js";

/** A signing key as a Stackable client holds it: the key id and the HMAC secret. */
export interface SigningKey {
  keyId: number | string;
  secret: string;
}

/** PHP's date('c'): local time with a numeric offset, e.g. 2012-06-01T14:03:07+02:00 (here +00:00 or the given offset). */
export function phpDateC(at = new Date(), offsetMinutes = 120): string {
  const local = new Date(at.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${local.toISOString().slice(0, 19)}${off}`;
}

/** base64_encode(hash_hmac('sha1', $date . $body, $key, true)), as the PHP client signed. */
export function sign(secret: string, date: string, body: string | Buffer): string {
  return createHmac("sha1", secret).update(Buffer.concat([Buffer.from(date), Buffer.isBuffer(body) ? body : Buffer.from(body)])).digest("base64");
}

export function signatureHeaders(key: SigningKey, body: string | Buffer, date = phpDateC()): Record<string, string> {
  return { "Customer-Key-ID": String(key.keyId), Signature: sign(key.secret, date, body), "Signature-Version": "1", "Signature-Method": "HMAC/SHA1", "Signature-Created": date };
}

export interface JsonAnswer {
  status: number;
  body: { result?: unknown; error?: { type: string; code?: string; message: string; fields: string[] } };
}

const signed = new Set<string>();

/**
 * A fresh date('c') for this key and body: the signature covers only the second and the body (not
 * the function), so the same body sent twice within a second is a replay; a client waits for the next second.
 */
async function freshDate(key: SigningKey, body: string): Promise<string> {
  for (;;) {
    const date = phpDateC();
    const id = `${key.keyId}|${date}|${body}`;
    if (!signed.has(id)) {
      signed.add(id);
      return date;
    }
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
  }
}

/**
 * One JSON proxy call, signed like the PHP client (or with the headers given). `pad` trailing
 * spaces (still the same JSON) make a raw body differ from an identical earlier one, so a client
 * calling in a row need not wait a second to avoid a replay.
 */
export async function jsonCall(base: string, fn: string, args: Record<string, unknown>, key: SigningKey | null, headers?: Record<string, string>, pad = 0): Promise<JsonAnswer> {
  const body = JSON.stringify(args) + " ".repeat(pad);
  const h: Record<string, string> = { "Content-type": "application/json", ...(key ? signatureHeaders(key, body, await freshDate(key, body)) : {}), ...(headers ?? {}) };
  const res = await fetch(`${base}/Customer/${fn}`, { method: "POST", headers: h, body });
  return { status: res.status, body: (await res.json()) as JsonAnswer["body"] };
}

/** A generated Thrift client (npm thrift, code from customer.thrift) that signs every message it sends. */
export function thriftClient(base: string, key: SigningKey | null): { client: gen.Client; close(): void } {
  const url = new URL(base);
  const connection = thrift.createHttpConnection(url.hostname, Number(url.port), { path: "/thrift/Customer", headers: {} } as never) as unknown as {
    write(data: Buffer): void;
    nodeOptions: { headers: Record<string, string> };
    on(event: string, fn: (e: unknown) => void): void;
    end?(): void;
  };
  const write = connection.write.bind(connection);
  connection.write = (data: Buffer) => {
    if (key) Object.assign(connection.nodeOptions.headers, signatureHeaders(key, data));
    write(data);
  };
  connection.on("error", () => {});
  const client = thrift.createHttpClient(gen.Client as never, connection as never) as unknown as gen.Client;
  return { client, close: () => connection.end?.() };
}

/** One binary Thrift call (npm thrift's TBinaryProtocol on a buffer), as an AMQP message body. */
export function encodeCall(name: string, seqid: number, args: { write(p: thrift.TProtocol): void }): Buffer {
  let out = Buffer.alloc(0);
  const transport = new thrift.TBufferedTransport(undefined, ((buf: Buffer) => {
    out = Buffer.concat([out, buf]);
  }) as never);
  const p = new thrift.TBinaryProtocol(transport);
  p.writeMessageBegin(name, thrift.Thrift.MessageType.CALL, seqid);
  args.write(p);
  p.writeMessageEnd();
  p.flush();
  return out;
}

/** A binary Thrift REPLY or EXCEPTION message from an AMQP reply body. */
export function decodeReply<R>(body: Buffer, read: (p: thrift.TProtocol) => R): { type: number; result?: R; exception?: thrift.Thrift.TApplicationException } {
  let answer: { type: number; result?: R; exception?: thrift.Thrift.TApplicationException } = { type: -1 };
  (thrift.TBufferedTransport.receiver as unknown as (cb: (t: thrift.TTransport) => void) => (b: Buffer) => void)((t) => {
    const p = new thrift.TBinaryProtocol(t);
    const m = p.readMessageBegin();
    if (m.mtype === thrift.Thrift.MessageType.EXCEPTION) {
      const x = new thrift.Thrift.TApplicationException();
      x.read(p);
      answer = { type: m.mtype, exception: x };
    } else answer = { type: m.mtype, result: read(p) };
  })(body);
  return answer;
}
