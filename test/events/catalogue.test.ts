import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { EVENT_CATALOGUE, EVENT_TYPES } from "../../src/modules/events/catalogue.js";
import { renderEventCatalogue } from "../../src/modules/events/catalogue-doc.js";
import { eventsFromAudit } from "../../src/modules/events/outbox.js";
import { retryDelayMs } from "../../src/modules/events/retry.js";
import { signatureHeader, verifySignature } from "../../src/modules/events/signing.js";
import { webhookCatalogue } from "../../src/protocols/rest/event-catalogue.js";

it("docs/events.md is what npm run docs:events renders from the catalogue", () => {
  const committed = readFileSync(join(import.meta.dirname, "../../docs/events.md"), "utf8");
  assert.equal(committed, renderEventCatalogue(), "docs/events.md is stale: run npm run docs:events");
});

it("lists every event type in the OpenAPI webhooks section with its data schema", () => {
  const hooks = webhookCatalogue() as Record<string, { post: { requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } } } }>;
  assert.deepEqual(Object.keys(hooks).sort(), [...EVENT_TYPES].sort());
  const created = hooks["customer.created"]?.post.requestBody.content["application/json"].schema;
  assert.ok(created?.properties.data, "the envelope carries data");
});

it("drops fields the catalogue does not declare, so no secret rides along", () => {
  const [e] = eventsFromAudit(
    { operation: "apikey.create", targetType: "api_key", targetId: 7, after: { object: "api_key", id: 7, prefix: "ck_x", name: "n", type: "standard", principal: { kind: "customer", id: 3 }, roles: [], expires_at: null, revoked_at: null, last_used_at: null, created_at: "t", secret: "ck_x_supersecret", secret_hash: "abc" } },
    { customerId: 3, tenantId: 2 },
  );
  assert.ok(e);
  const parsed = EVENT_CATALOGUE[e.type].data.parse(e.data) as { api_key: Record<string, unknown> };
  assert.equal(parsed.api_key.secret, undefined);
  assert.equal(parsed.api_key.secret_hash, undefined);
  assert.equal(e.tenantId, 2);
});

it("maps reads, logins and other non-events to nothing", () => {
  assert.deepEqual(eventsFromAudit({ operation: "session.login", targetType: "session", targetId: "s1" }, { customerId: 1, tenantId: 1 }), []);
  assert.deepEqual(eventsFromAudit({ operation: "customer.export.request", targetType: "customer", targetId: 1 }, { customerId: 1, tenantId: 1 }), []);
});

it("backs off exponentially with jitter, capped", () => {
  assert.equal(retryDelayMs(1, 1000, 60_000, () => 0), 500);
  assert.equal(retryDelayMs(1, 1000, 60_000, () => 1), 1000);
  assert.equal(retryDelayMs(4, 1000, 60_000, () => 1), 8000);
  assert.equal(retryDelayMs(30, 1000, 60_000, () => 1), 60_000);
  const spread = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, 1000, 60_000)));
  assert.ok(spread.size > 1, "jitter spreads retries");
});

it("verifies Stripe-style headers and refuses stale timestamps", () => {
  const t = Math.floor(Date.now() / 1000);
  const h = signatureHeader(["whsec_a", "whsec_b"], t, "{}");
  assert.ok(verifySignature("whsec_a", h, "{}"));
  assert.ok(verifySignature("whsec_b", h, "{}"));
  assert.equal(verifySignature("whsec_a", signatureHeader(["whsec_a"], t - 3600, "{}"), "{}"), false);
});

it("the README's five-line verifier accepts a real signature and refuses a forged one", async () => {
  const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
  const block = /```js\n(import \{ createHmac, timingSafeEqual \} from "node:crypto";\nfunction verify[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, "README has the verifier");
  const mod = (await import(`data:text/javascript,${encodeURIComponent(`${block}\nexport { verify };`)}`)) as { verify: (s: string, h: string, b: string) => boolean };
  const t = Math.floor(Date.now() / 1000);
  const body = '{"object":"event"}';
  const header = signatureHeader(["whsec_new", "whsec_old"], t, body);
  assert.equal(mod.verify("whsec_old", header, body), true);
  assert.equal(mod.verify("whsec_other", header, body), false);
  assert.equal(mod.verify("whsec_new", header, `${body} `), false);
});
