import { randomUUID } from "node:crypto";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import type { SigningKey } from "./client.js";
import { type Catalogue, prepareCatalogue, runScenario, STEPS } from "./scenario.js";
import { amqpTransport, jsonTransport, SERVICE_FUNCTIONS, thriftHttpTransport, type Transport } from "./transports.js";

/**
 * Every one of the 35 Customer functions, called and its answer checked, over each Stackable
 * transport: the signed JSON proxy, npm thrift over HTTP and amqplib through the local RabbitMQ
 * (127.0.0.1:5672, guest/guest). One scenario table (scenario.ts), one server per database.
 */
const AMQP_URL = process.env.CUSTOS_TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const sys = systemContext("test");

forEachDialect("Stackable: all 35 functions on every transport", (dialect) => {
  let server: TestServer;
  let key: SigningKey;
  let catalogue: Catalogue;
  const queue = `custos-test-all-${dialect}-${randomUUID().slice(0, 8)}`;
  const transports: Transport[] = [];

  before(async () => {
    server = await startServer(dialect, { rateLimit: 0, secretKey: "stackable-test-secret-key-0123456789abcdef", amqpUrl: AMQP_URL, amqpQueue: queue });
    const op = await server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").executeTakeFirstOrThrow();
    const k = await server.app.services.keys.create(sys, { name: "stackable all functions", signing: true, principal: { kind: "operator", id: Number(op.id) } });
    key = { keyId: k.id, secret: k.signing_secret ?? "" };
    catalogue = await prepareCatalogue(server, `all-${dialect}`);
  });
  after(async () => {
    for (const t of transports) await t.close();
    await server.close();
  });

  it(`runs a scenario of ${STEPS.length} calls covering all ${SERVICE_FUNCTIONS.size} functions on the signed JSON proxy`, async () => {
    const t = jsonTransport(server.url);
    transports.push(t);
    await runScenario(server, catalogue, t, key, `json-${dialect}-${randomUUID().slice(0, 6)}`);
  });

  it(`runs the same scenario through npm thrift (code generated from customer.thrift) over HTTP`, async () => {
    const t = thriftHttpTransport(server.url);
    transports.push(t);
    await runScenario(server, catalogue, t, key, `http-${dialect}-${randomUUID().slice(0, 6)}`);
  });

  it(`runs the same scenario as binary Thrift messages through RabbitMQ (amqplib, reply_to + correlation_id)`, async () => {
    const t = await amqpTransport(AMQP_URL, queue);
    transports.push(t);
    await runScenario(server, catalogue, t, key, `amqp-${dialect}-${randomUUID().slice(0, 6)}`);
  });
});
