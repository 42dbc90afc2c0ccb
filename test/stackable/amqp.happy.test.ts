import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, it } from "node:test";
import amqp from "amqplib";
import thrift from "thrift";
import { systemContext } from "../../src/core/context.js";
import * as gen from "../../src/protocols/stackable/gen/customer.js";
import { forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { decodeReply, encodeCall, type SigningKey, signatureHeaders } from "./client.js";

/**
 * Thrift over AMQP through the local RabbitMQ (127.0.0.1:5672, guest/guest): amqplib publishes a
 * binary Thrift call (npm thrift's TBinaryProtocol on a buffer, structs generated from
 * customer.thrift) to the Customer queue with reply_to and correlation_id, signed in the headers.
 */
const AMQP_URL = "amqp://guest:guest@127.0.0.1:5672";
const sys = systemContext("test");

forEachDialect("Stackable Thrift over AMQP (RabbitMQ)", (dialect) => {
  let server: TestServer;
  let key: SigningKey;
  let conn: amqp.ChannelModel;
  let channel: amqp.Channel;
  let replyQueue: string;
  const pending = new Map<string, (b: Buffer) => void>();
  const queue = `custos-test-customer-${dialect}-${randomUUID().slice(0, 8)}`;

  before(async () => {
    server = await startServer(dialect, { secretKey: "stackable-test-secret-key-0123456789abcdef", amqpUrl: AMQP_URL, amqpQueue: queue });
    const op = await server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").executeTakeFirstOrThrow();
    const k = await server.app.services.keys.create(sys, { name: "amqp operator", signing: true, principal: { kind: "operator", id: Number(op.id) } });
    key = { keyId: k.id, secret: k.signing_secret ?? "" };
    conn = await amqp.connect(AMQP_URL);
    channel = await conn.createChannel();
    replyQueue = (await channel.assertQueue("", { exclusive: true })).queue;
    await channel.consume(replyQueue, (msg) => {
      if (!msg) return;
      pending.get(String(msg.properties.correlationId))?.(msg.content);
      pending.delete(String(msg.properties.correlationId));
    }, { noAck: true });
  });
  after(async () => {
    await channel.deleteQueue(queue).catch(() => {});
    await conn.close();
    await server.close();
  });

  const call = (body: Buffer, headers: Record<string, string>): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const correlationId = randomUUID();
      const timer = setTimeout(() => reject(new Error("no reply within 10 s")), 10_000);
      pending.set(correlationId, (b) => {
        clearTimeout(timer);
        resolve(b);
      });
      channel.sendToQueue(queue, body, { replyTo: replyQueue, correlationId, headers });
    });

  it("answers getUsername and changePIN through the broker, with InvalidArguments for a bad PIN", async () => {
    const c = await server.app.services.customers.create(sys, { email: `amqp.${randomUUID().slice(0, 8)}@stackable.example`, company: "Rabbit Co" });
    const body = encodeCall("getUsername", 1, new gen.GetUsernameArgs({ id: c.id }));
    const reply = decodeReply(await call(body, signatureHeaders(key, body)), (p) => gen.GetUsernameResult.read(p));
    assert.equal(reply.type, thrift.Thrift.MessageType.REPLY);
    assert.equal(reply.result?.success, c.login);

    const bad = encodeCall("changePIN", 2, new gen.ChangePINArgs({ id: c.id, pin: "x" }));
    const refused = decodeReply(await call(bad, signatureHeaders(key, bad)), (p) => gen.ChangePINResult.read(p));
    assert.equal(refused.result?.invalidArguments?.code, "validation_failed");
    assert.deepEqual(refused.result?.invalidArguments?.fields, ["pin"]);
  });

  it("refuses an unsigned message and a replayed one with TApplicationException", async () => {
    const body = encodeCall("getUsername", 3, new gen.GetUsernameArgs({ id: 1 }));
    const none = decodeReply(await call(body, {}), () => null);
    assert.equal(none.type, thrift.Thrift.MessageType.EXCEPTION);
    assert.match(none.exception?.message ?? "", /Authentication failed/);
    const headers = signatureHeaders(key, body);
    await call(body, headers);
    const replay = decodeReply(await call(body, headers), () => null);
    assert.match(replay.exception?.message ?? "", /used before/);
  });
});
