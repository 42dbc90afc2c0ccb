import { randomUUID } from "node:crypto";
import amqp from "amqplib";
import type { Context } from "../../core/context.js";
import type { RequestMeta } from "../kit/context.js";
import { createDispatcher } from "../kit/rpc.js";
import { type StackableDeps, stackableMethods } from "./methods.js";
import { signatureOf, type StackablePluginDeps } from "./plugin.js";
import { processThrift, refuseThrift } from "./thrift.js";

export interface StackableAmqpOptions {
  url: string;
  /** The request queue (durable, on the default exchange). */
  queue: string;
  log: { info(obj: unknown, msg: string): void; error(obj: unknown, msg: string): void };
}

export interface StackableAmqp {
  close(): Promise<void>;
}

/**
 * Thrift over AMQP (protocols.md §3, all inferred): each message on the request queue is one
 * unframed binary Thrift call, signed like the HTTP transports with the five signature values as
 * message headers over the raw body. The reply (REPLY or EXCEPTION message) goes to `reply_to`
 * with the request's `correlation_id`; then the request is acked. AMQP carries no client address,
 * so a key with an IP allow list is refused here.
 */
export async function startStackableAmqp(deps: StackableDeps & Pick<StackablePluginDeps, "withSignature">, options: StackableAmqpOptions): Promise<StackableAmqp> {
  const dispatch = createDispatcher(stackableMethods(deps));
  const connection = await amqp.connect(options.url);
  const channel = await connection.createChannel();
  await channel.assertQueue(options.queue, { durable: true });
  await channel.prefetch(8);

  const answer = async (msg: amqp.ConsumeMessage): Promise<Buffer> => {
    const body = msg.content;
    const requestId = typeof msg.properties.correlationId === "string" ? msg.properties.correlationId.slice(0, 100) : randomUUID();
    const meta: RequestMeta = { clientIp: null, requestId, protocol: "stackable-amqp" };
    const log = (err: unknown) => options.log.error({ err, requestId }, "stackable amqp call failed");
    let ctx: Context;
    try {
      ctx = await deps.withSignature(signatureOf((msg.properties.headers ?? {}) as Record<string, unknown>, body), meta);
    } catch (error) {
      return refuseThrift(body, error, log);
    }
    return processThrift(body, dispatch, { ctx }, log);
  };

  const { consumerTag } = await channel.consume(options.queue, (msg) => {
    if (!msg) return;
    answer(msg)
      .then((reply) => {
        const replyTo = msg.properties.replyTo;
        if (typeof replyTo === "string" && replyTo !== "") channel.sendToQueue(replyTo, reply, { correlationId: msg.properties.correlationId, contentType: "application/x-thrift" });
        channel.ack(msg);
      })
      .catch((err: unknown) => {
        options.log.error({ err }, "stackable amqp reply failed");
        channel.nack(msg, false, false);
      });
  });
  options.log.info({ queue: options.queue }, "Stackable Thrift over AMQP: consuming");

  return {
    async close() {
      await channel.cancel(consumerTag).catch(() => {});
      await channel.close().catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}
