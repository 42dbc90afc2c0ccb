import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { isPublicAddress } from "../../src/modules/events/targets.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";

it("treats loopback, private, link-local, CGNAT and mapped internal addresses as internal", () => {
  for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1"]) {
    assert.equal(isPublicAddress(a), false, a);
  }
  for (const a of ["93.184.216.34", "2606:4700::1111", "8.8.8.8"]) assert.equal(isPublicAddress(a), true, a);
});

forEachDialect("webhooks: refused endpoints and bad input", (dialect) => {
  let s: TestServer;
  before(async () => {
    // The production default: private targets refused.
    s = await startServer(dialect, { rateLimit: 0 });
  });
  after(async () => s.close());

  it("refuses an endpoint that points at a private or loopback address (SSRF)", async () => {
    for (const url of ["https://127.0.0.1/hook", "https://10.0.0.5/hook", "https://[::1]/hook", "https://169.254.169.254/latest/meta-data", "https://localhost/hook", "https://192.168.0.10:8443/x"]) {
      const r = await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url } });
      assert.equal(r.status, 422, `${url}: ${r.text}`);
      assert.equal(r.body.errors[0].field, "url");
      assert.equal(r.body.errors[0].code, "not_allowed", url);
    }
    const list = await api(s.url, "GET", "/v1/webhook-endpoints");
    assert.equal(list.body.data.length, 0, "nothing half-written");
  });

  it("refuses plain http, credentials in the URL and what is not a URL", async () => {
    const cases: [string, string][] = [
      ["http://93.184.216.34/hook", "not_allowed"],
      ["https://user:pw@93.184.216.34/hook", "not_allowed"],
      ["ftp://93.184.216.34/hook", "invalid_format"],
      ["not a url", "invalid_format"],
    ];
    for (const [url, code] of cases) {
      const r = await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url } });
      assert.equal(r.status, 422, `${url}: ${r.text}`);
      assert.equal(r.body.errors[0].code, code, url);
    }
  });

  it("names unknown event types and unknown fields", async () => {
    const r = await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url: "https://93.184.216.34/h", event_types: ["customer.exploded"], colour: "red" } });
    assert.equal(r.status, 422, r.text);
    const fields = r.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ["colour", "event_types.0"]);
    const q = await api(s.url, "GET", "/v1/events?type=customer.exploded");
    assert.equal(q.status, 422);
    assert.equal(q.body.errors[0].field, "type");
    const c = await api(s.url, "GET", "/v1/events?starting_after=abc");
    assert.equal(c.status, 422);
  });

  it("answers 404 for an endpoint or delivery that does not exist, and 409 for pinging a disabled one", async () => {
    assert.equal((await api(s.url, "GET", "/v1/webhook-endpoints/999")).status, 404);
    assert.equal((await api(s.url, "POST", "/v1/webhook-endpoints/999/ping")).status, 404);
    const ep = await api(s.url, "POST", "/v1/webhook-endpoints", { body: { url: "https://93.184.216.34/h" } });
    assert.equal(ep.status, 201, ep.text);
    assert.equal((await api(s.url, "POST", `/v1/webhook-endpoints/${ep.body.id}/deliveries/999/redeliver`)).status, 404);
    assert.equal((await api(s.url, "PATCH", `/v1/webhook-endpoints/${ep.body.id}`, { body: { status: "disabled" } })).status, 200);
    assert.equal((await api(s.url, "POST", `/v1/webhook-endpoints/${ep.body.id}/ping`)).status, 409);
    const bad = await api(s.url, "PATCH", `/v1/webhook-endpoints/${ep.body.id}`, { body: { url: "https://127.0.0.1/x" } });
    assert.equal(bad.status, 422);
    assert.equal((await api(s.url, "GET", `/v1/webhook-endpoints/${ep.body.id}`)).body.url, "https://93.184.216.34/h", "a refused change leaves the endpoint as it was");
  });
});
