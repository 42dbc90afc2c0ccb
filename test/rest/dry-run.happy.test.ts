import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";

forEachDialect("REST dry runs", (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startServer(dialect);
  });
  after(async () => server.close());

  test("PATCH with Prefer: return=dry-run answers the would-be customer and writes nothing", async () => {
    const c = await api(server.url, "POST", "/v1/customers", { body: { email: "dry@example.com", company: "Dry Run AG", city: "Berlin" } });
    assert.equal(c.status, 201, c.text);
    const dry = await api(server.url, "PATCH", `/v1/customers/${c.body.id}`, { body: { city: "Bonn" }, headers: { prefer: "return=dry-run" } });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.body.city, "Bonn");
    assert.equal(dry.body.version, 2);
    assert.equal(dry.headers.get("preference-applied"), "return=dry-run");
    const flag = await api(server.url, "PATCH", `/v1/customers/${c.body.id}?dry_run=true`, { body: { city: "Köln" } });
    assert.equal(flag.status, 200, flag.text);
    assert.equal(flag.body.city, "Köln");
    const now = await api(server.url, "GET", `/v1/customers/${c.body.id}`);
    assert.equal(now.body.city, "Berlin");
    assert.equal(now.body.version, 1);
    const audit = await api(server.url, "GET", `/v1/audit?target_type=customer&target_id=${c.body.id}&operation=customer.update`);
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.body.data.length, 0, "a dry run leaves no audit entry");
  });

  test("a dry run refuses bad input exactly as the real call does", async () => {
    const c = await api(server.url, "POST", "/v1/customers", { body: { email: "dry2@example.com", company: "Dry Run AG" } });
    const dry = await api(server.url, "PATCH", `/v1/customers/${c.body.id}`, { body: { country: "XY" }, headers: { prefer: "return=dry-run" } });
    assert.equal(dry.status, 422, dry.text);
    assert.equal(dry.body.errors[0].field, "country");
    const pw = await api(server.url, "PATCH", `/v1/customers/${c.body.id}`, { body: { password: "Correct-Horse-Battery-9" } });
    assert.equal(pw.status, 422, "REST sets passwords on /password, not with PATCH");
  });

  test("OpenAPI documents the dry run on PATCH /v1/customers/{ref}", async () => {
    const doc = await api(server.url, "GET", "/openapi.json");
    const params = doc.body.paths["/v1/customers/{ref}"].patch.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    assert.ok(params.includes("header:Prefer"));
    assert.ok(params.includes("query:dry_run"));
  });
});
