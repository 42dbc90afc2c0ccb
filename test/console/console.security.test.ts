import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { systemContext } from "../../src/core/context.js";
import { forEachDialect, startServer, type TestServer } from "../helpers/harness.js";
import { consoleCredentials } from "./helpers.js";

interface Session {
  cookie: string;
  csrf: string;
}

/** The console's JSON API at the HTTP level: cookies, CSRF, tenancy, bad input. */
forEachDialect("console API security", (dialect) => {
  let server: TestServer;
  let ids: { mine: number; theirs: number; resellerA: number; resellerB: number; operator: number };

  before(async () => {
    server = await startServer(dialect, { rateLimit: 0 });
    const ctx = systemContext("test");
    const s = server.app.services;
    const a = await s.accounts.createReseller(ctx, { name: "A", email: "a@resellers.example" });
    const b = await s.accounts.createReseller(ctx, { name: "B", email: "b@resellers.example" });
    const mine = await s.customers.create(ctx, { email: "mine@example.com", company: "Mine BV", owner_id: a.id });
    const theirs = await s.customers.create(ctx, { email: "theirs@example.com", company: "Theirs BV", owner_id: b.id });
    const op = await server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").orderBy("id").executeTakeFirstOrThrow();
    ids = { mine: mine.id, theirs: theirs.id, resellerA: a.id, resellerB: b.id, operator: Number(op.id) };
  });
  after(async () => server.close());

  const req = async (method: string, path: string, opts: { session?: Session; body?: unknown; raw?: string; csrf?: string | null; origin?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (opts.session) headers.cookie = opts.session.cookie;
    const csrf = opts.csrf === undefined ? opts.session?.csrf : opts.csrf;
    if (csrf) headers["x-csrf-token"] = csrf;
    if (opts.origin) headers.origin = opts.origin;
    let body: string | undefined;
    if (opts.raw !== undefined || opts.body !== undefined) {
      headers["content-type"] = "application/json";
      body = opts.raw ?? JSON.stringify(opts.body);
    }
    const res = await fetch(`${server.url}/console/api${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) };
  };

  const logIn = async (kind: "operator" | "reseller", id: number, password?: string): Promise<Session> => {
    const creds = password ? { identifier: "key", password } : await consoleCredentials(server, kind, id);
    const r = await req("POST", "/session", { body: creds });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const setCookie = r.headers.get("set-cookie") ?? "";
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\/console/);
    return { cookie: setCookie.split(";")[0] ?? "", csrf: r.body.csrf_token };
  };

  it("refuses every API call without a session", async () => {
    for (const [method, path] of [
      ["GET", "/customers"],
      ["GET", `/customers/${ids.mine}`],
      ["PATCH", `/customers/${ids.mine}`],
      ["POST", `/customers/${ids.mine}/lifecycle/suspend`],
      ["GET", `/customers/${ids.mine}/audit`],
    ] as const) {
      const r = await req(method, path, { body: method === "GET" ? undefined : {} });
      assert.equal(r.status, 401, `${method} ${path}`);
      assert.equal(r.body.code, "unauthenticated");
    }
  });

  it("answers every failed login alike, and a customer's key cannot open the console", async () => {
    const unknown = await req("POST", "/session", { body: { identifier: "key", password: "ck_nope_nope" } });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.detail, "Invalid credentials");
    const key = await server.app.services.keys.create(systemContext("test"), { name: "c", principal: { kind: "customer", id: ids.mine } });
    const customer = await req("POST", "/session", { body: { identifier: "key", password: key.secret } });
    assert.equal(customer.status, 401);
    assert.equal(customer.body.detail, "Invalid credentials");
    const empty = await req("POST", "/session", { body: {} });
    assert.equal(empty.status, 422);
    assert.equal(empty.body.errors[0].field, "password");
  });

  it("refuses writes without the session's CSRF token or from another origin", async () => {
    const s = await logIn("operator", ids.operator);
    const noToken = await req("PATCH", `/customers/${ids.mine}`, { session: s, csrf: null, body: { city: "X" } });
    assert.equal(noToken.status, 403);
    const wrong = await req("PATCH", `/customers/${ids.mine}`, { session: s, csrf: "A".repeat(43), body: { city: "X" } });
    assert.equal(wrong.status, 403);
    const crossSite = await req("PATCH", `/customers/${ids.mine}`, { session: s, origin: "https://evil.example", body: { city: "X" } });
    assert.equal(crossSite.status, 403);
    assert.equal((await server.app.services.customers.get(systemContext(), String(ids.mine))).city, null);
    const ok = await req("PATCH", `/customers/${ids.mine}`, { session: s, body: { city: "Delft" } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.city, "Delft");
  });

  it("answers bad input with the API's problem documents, never a 5xx", async () => {
    const s = await logIn("operator", ids.operator);
    const invalid = await req("PATCH", `/customers/${ids.mine}`, { session: s, body: { country: "XX", email: "nope" } });
    assert.equal(invalid.status, 422);
    assert.deepEqual(invalid.body.errors.map((e: { field: string }) => e.field).sort(), ["country", "email"]);
    const malformed = await req("PATCH", `/customers/${ids.mine}`, { session: s, raw: "{not json" });
    assert.equal(malformed.status, 400);
    const badFilter = await req("GET", "/customers?filter[password][eq]=x", { session: s });
    assert.equal(badFilter.status, 422);
    const badAction = await req("POST", `/customers/${ids.mine}/lifecycle/explode`, { session: s, body: {} });
    assert.equal(badAction.status, 404);
    const noReason = await req("POST", `/customers/${ids.mine}/lifecycle/suspend`, { session: s, body: {} });
    assert.equal(noReason.status, 422);
  });

  it("keeps a reseller to its own customers: another reseller's reads as missing everywhere", async () => {
    const s = await logIn("reseller", ids.resellerA);
    const list = await req("GET", "/customers", { session: s });
    assert.deepEqual(
      list.body.data.map((c: { id: number }) => c.id),
      [ids.mine],
    );
    for (const [method, path, body] of [
      ["GET", `/customers/${ids.theirs}`, undefined],
      ["PATCH", `/customers/${ids.theirs}`, { city: "X" }],
      ["DELETE", `/customers/${ids.theirs}`, undefined],
      ["POST", `/customers/${ids.theirs}/lifecycle/suspend`, { reason: "x" }],
      ["GET", `/customers/${ids.theirs}/lifecycle`, undefined],
      ["GET", `/customers/${ids.theirs}/audit`, undefined],
      ["GET", `/customers/${ids.theirs}/keys`, undefined],
      ["GET", `/customers/${ids.theirs}/credentials`, undefined],
    ] as const) {
      const r = await req(method, path, { session: s, body });
      const missing = await req(method, path.replace(String(ids.theirs), "999999"), { session: s, body });
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.deepEqual({ ...r.body, instance: "", request_id: "" }, { ...missing.body, instance: "", request_id: "", detail: r.body.detail }, "same answer as for a customer that does not exist");
    }
    const resellers = await req("GET", "/resellers", { session: s });
    assert.equal(resellers.status, 403);
    assert.equal((await server.app.services.customers.get(systemContext(), String(ids.theirs))).status, "active");
  });

  it("ends the session on logout, and when the credential behind it is revoked", async () => {
    const s = await logIn("operator", ids.operator);
    assert.equal((await req("GET", "/session", { session: s })).status, 200);
    assert.equal((await req("DELETE", "/session", { session: s })).status, 204);
    assert.equal((await req("GET", "/session", { session: s })).status, 401);

    const key = await server.app.services.keys.create(systemContext("test"), { name: "short-lived", principal: { kind: "reseller", id: ids.resellerB } });
    const t = await logIn("reseller", ids.resellerB, key.secret);
    assert.equal((await req("GET", "/customers", { session: t })).status, 200);
    await server.app.services.keys.revoke(systemContext("test"), key.id);
    assert.equal((await req("GET", "/customers", { session: t })).status, 401);
  });
});
