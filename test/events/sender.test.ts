import assert from "node:assert/strict";
import { it } from "node:test";
import { WebhookSender } from "../../src/modules/events/sender.js";
import { TargetPolicy } from "../../src/modules/events/targets.js";
import { Receiver } from "./receiver.js";

it("gives up on a receiver that does not answer within the timeout", async () => {
  const rx = await new Receiver().start();
  rx.answer = () => "hold";
  const sender = new WebhookSender(new TargetPolicy(true), 200);
  try {
    const t0 = Date.now();
    const r = await sender.post(rx.url, { "content-type": "application/json" }, "{}");
    assert.equal(r.statusCode, null);
    assert.match(r.error ?? "", /no answer within 200 ms/);
    assert.ok(Date.now() - t0 < 2000);
  } finally {
    sender.close();
    await rx.close();
  }
});

it("refuses at connect time a name that resolves to loopback, and plain http, unless private targets are allowed", async () => {
  const sender = new WebhookSender(new TargetPolicy(false), 2000);
  try {
    const byName = await sender.post("https://localhost:9/hook", {}, "{}");
    assert.equal(byName.statusCode, null);
    assert.match(byName.error ?? "", /refused/);
    const literal = await sender.post("https://127.0.0.1:9/hook", {}, "{}");
    assert.match(literal.error ?? "", /refused/);
    const http = await sender.post("http://93.184.216.34/hook", {}, "{}");
    assert.match(http.error ?? "", /refused/);
  } finally {
    sender.close();
  }
});
