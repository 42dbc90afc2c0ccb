import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import yauzl from "yauzl";
import { ManualClock } from "../../src/core/clock.js";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

/** Reads every entry of a zip into name -> text. */
function unzip(buffer: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, string>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

async function waitReady(base: string, ref: number): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const r = await api(base, "GET", `/v1/customers/${ref}/downloads?type=gdpr`);
    const d = r.body.data[0];
    if (d && d.status !== "pending") return d;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error("export did not finish");
}

forEachDialect("data export and contact verification over REST", (dialect) => {
  let server: TestServer;
  const clock = new ManualClock(new Date());
  let id: number;
  before(async () => {
    server = await startServer(dialect, {}, clock);
    const c = await api(server.url, "POST", "/v1/customers", { body: { email: "gdpr@example.com", first_name: "Greta", last_name: "Daten", country: "DE" } });
    assert.equal(c.status, 201);
    id = c.body.id;
  });
  after(async () => server.close());

  test("contact-verification settings start empty and keep what a PUT sets", async () => {
    const empty = await api(server.url, "GET", `/v1/customers/${id}/contact-verification`);
    assert.equal(empty.status, 200);
    assert.deepEqual([empty.body.support_email, empty.body.support_name, empty.body.signature], ["", "", ""]);
    const put = await api(server.url, "PUT", `/v1/customers/${id}/contact-verification`, { body: { support_email: "Help@Example.com", support_name: "Help desk", signature: "Regards\nThe team" } });
    assert.equal(put.status, 200);
    assert.equal(put.body.support_email, "help@example.com");
    const partial = await api(server.url, "PUT", `/v1/customers/${id}/contact-verification`, { body: { support_name: "Support" } });
    assert.equal(partial.body.signature, "Regards\nThe team");
    assert.equal(partial.body.support_name, "Support");
  });

  test("an export becomes ready, downloads as a zip of JSON sections and counts each download", async () => {
    const req = await api(server.url, "POST", `/v1/customers/${id}/exports`, { body: {} });
    assert.equal(req.status, 202);
    assert.equal(req.body.status, "pending");
    assert.match(req.body.token, /^dl_/);
    const ready = await waitReady(server.url, id);
    assert.equal(ready.status, "ready");
    assert.equal(ready.token, req.body.token);
    assert.equal(ready.progress.sections_done, ready.progress.sections_total);
    const res = await fetch(`${server.url}/v1/downloads/${ready.token}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/zip");
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    assert.ok(files.has("manifest.json"));
    assert.equal(JSON.parse(files.get("customer.json") ?? "{}").email, "gdpr@example.com");
    assert.equal(JSON.parse(files.get("contact_verification.json") ?? "{}").support_name, "Support");
    const audit = JSON.parse(files.get("audit_log.json") ?? "[]") as { operation: string }[];
    assert.ok(audit.some((e) => e.operation === "customer.create"));
    assert.ok(audit.some((e) => e.operation === "contact_verification.update"));
    const list = await api(server.url, "GET", `/v1/customers/${id}/downloads?type=gdpr`);
    assert.equal(list.body.data[0].downloads, 1);
    const other = await api(server.url, "GET", `/v1/customers/${id}/downloads?type=invoice`);
    assert.deepEqual(other.body.data, []);
  });

  test("a download token past its expiry answers 410 gone", async () => {
    const list = await api(server.url, "GET", `/v1/customers/${id}/downloads`);
    const token = list.body.data[0].token;
    clock.advance(8 * 24 * 60 * 60 * 1000);
    const res = await api(server.url, "GET", `/v1/downloads/${token}`, { key: null });
    assert.equal(res.status, 410);
    assert.equal(res.body.code, "gone");
    const after = await api(server.url, "GET", `/v1/customers/${id}/downloads`);
    assert.equal(after.body.data[0].status, "expired");
  });

  test("an unknown download token answers 404 without needing an API key", async () => {
    const res = await api(server.url, "GET", "/v1/downloads/dl_nope", { key: null });
    assert.equal(res.status, 404);
  });

  test("purging the customer removes its exports", async () => {
    const purge = await api(server.url, "POST", `/v1/customers/${id}/purge`);
    assert.equal(purge.status, 204);
    const res = await api(server.url, "GET", `/v1/customers/${id}/downloads`);
    assert.equal(res.status, 404);
  });
});
