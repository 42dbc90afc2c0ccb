import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { generate } from "otplib";
import { ManualClock } from "../../src/core/clock.js";
import { systemContext } from "../../src/core/context.js";
import { DEFAULT_CREDENTIAL_OPTIONS } from "../../src/modules/credentials/service.js";
import { api, forEachDialect, startServer, type TestServer } from "../helpers/harness.js";
import { ACCOUNT_PASSWORD } from "../security/account-logins.js";
import { consoleCredentials } from "./helpers.js";

interface Session {
  cookie: string;
  csrf: string;
}

/** The console's JSON API at the HTTP level: account logins, cookies, CSRF, tenancy, bad input. */
forEachDialect("console API security", (dialect) => {
  let server: TestServer;
  const clock = new ManualClock(new Date());
  let n = 0;
  let ids: { mine: number; theirs: number; resellerA: number; resellerB: number; operator: number };

  before(async () => {
    server = await startServer(dialect, { rateLimit: 0, events: { dispatch: false } }, clock);
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

  const logIn = async (id: number): Promise<Session> => {
    const r = await req("POST", "/session", { body: await consoleCredentials(server, id) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const setCookie = r.headers.get("set-cookie") ?? "";
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\/console/);
    return { cookie: setCookie.split(";")[0] ?? "", csrf: r.body.csrf_token };
  };

  /** A fresh reseller with a console login; returns its id and login name. */
  const reseller = async (): Promise<{ id: number; login: string }> => {
    const r = await server.app.services.accounts.createReseller(systemContext("test"), { name: `Console ${++n}`, email: `console${n}@resellers.example` });
    return { id: r.id, login: (await consoleCredentials(server, r.id)).identifier };
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

  it("answers every failed login alike; customers cannot open the console", async () => {
    const r = await reseller();
    const noPassword = await server.app.services.accounts.createReseller(systemContext("test"), { name: "No password", email: "nopw@resellers.example" });
    await server.app.services.accountLogins.setLogin(systemContext("test"), noPassword.id, { login: `nopw-${dialect}` });
    const customer = await server.app.services.customers.get(systemContext("test"), String(ids.mine));
    await server.app.services.credentials.setPassword(systemContext("test"), String(ids.mine), { password: ACCOUNT_PASSWORD });
    for (const [identifier, password] of [
      ["nobody", ACCOUNT_PASSWORD],
      [r.login, "Wrong-Password-1"],
      [`nopw-${dialect}`, ACCOUNT_PASSWORD],
      [customer.login, ACCOUNT_PASSWORD],
    ] as const) {
      const res = await req("POST", "/session", { body: { identifier, password } });
      assert.equal(res.status, 401, `${identifier}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.detail, "Invalid credentials");
      assert.equal(res.headers.get("set-cookie"), null);
    }
    const empty = await req("POST", "/session", { body: {} });
    assert.equal(empty.status, 422);
    assert.equal(empty.body.errors[0].field, "password");
  });

  it(`after ${DEFAULT_CREDENTIAL_OPTIONS.lockoutThreshold} wrong passwords refuses the right one too, sharing the API's budget`, async () => {
    const r = await reseller();
    const threshold = DEFAULT_CREDENTIAL_OPTIONS.lockoutThreshold;
    // Failures over the REST API and over the console spend the same budget.
    assert.equal((await api(server.url, "POST", "/v1/accounts/sessions", { key: null, body: { login: r.login, password: "Wrong-Password-1" } })).status, 401);
    for (let i = 1; i < threshold; i++) assert.equal((await req("POST", "/session", { body: { identifier: r.login, password: "Wrong-Password-1" } })).status, 401);
    const right = await req("POST", "/session", { body: { identifier: r.login, password: ACCOUNT_PASSWORD } });
    assert.equal(right.status, 401, "the right password is refused while the budget is spent");
    assert.equal(right.body.detail, "Invalid credentials", "and looks like any other failure");
    const overRest = await api(server.url, "POST", "/v1/accounts/sessions", { key: null, body: { login: r.login, password: ACCOUNT_PASSWORD } });
    assert.equal(overRest.status, 401, "the API refuses it too");
    clock.advance((DEFAULT_CREDENTIAL_OPTIONS.lockoutWindowSeconds + 1) * 1000);
    assert.equal((await req("POST", "/session", { body: { identifier: r.login, password: ACCOUNT_PASSWORD } })).status, 200, "the budget comes back after the window");
    for (let i = 0; i < threshold; i++) await req("POST", "/session", { body: { identifier: r.login, password: "Wrong-Password-1" } });
    await server.app.services.accountLogins.unlock(systemContext("test"), r.id);
    assert.equal((await req("POST", "/session", { body: { identifier: r.login, password: ACCOUNT_PASSWORD } })).status, 200, "or when an operator unlocks the account");
  });

  it("with TOTP on, a login needs a current or backup code", async () => {
    const r = await reseller();
    const logins = server.app.services.accountLogins;
    const enrol = await logins.enrolTotp(systemContext("test"), r.id);
    const code = () => generate({ secret: enrol.secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const { backup_codes } = await logins.confirmTotp(systemContext("test"), r.id, { code: await code() });
    clock.advance(30_000);
    const form = await req("GET", "/login-form");
    assert.equal(form.body.code, true, "the form offers the code field");
    const without = await req("POST", "/session", { body: { identifier: r.login, password: ACCOUNT_PASSWORD } });
    assert.equal(without.status, 401);
    assert.equal(without.body.code, "second_factor_required");
    assert.equal(without.headers.get("set-cookie"), null);
    const current = await code();
    const wrong = await req("POST", "/session", { body: { identifier: r.login, password: ACCOUNT_PASSWORD, code: String((Number(current) + 1) % 1_000_000).padStart(6, "0") } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.detail, "Invalid credentials");
    const ok = await req("POST", "/session", { body: { identifier: r.login, password: ACCOUNT_PASSWORD, code: current } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.principal.id, r.id);
    assert.equal((await req("POST", "/session", { body: { identifier: r.login, password: ACCOUNT_PASSWORD, code: current } })).status, 401, "a used code is not accepted twice");
    assert.equal((await req("POST", "/session", { body: { identifier: r.login, password: ACCOUNT_PASSWORD, code: backup_codes[0] } })).status, 200, "a backup code works once");
  });

  it("refuses writes without the session's CSRF token or from another origin", async () => {
    const s = await logIn(ids.operator);
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
    const s = await logIn(ids.operator);
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

  it("answers bad input on the plan, package, notice and webhook routes with problem documents, never a 5xx", async () => {
    const s = await logIn(ids.operator);
    for (const [method, path, body, status, field] of [
      ["POST", "/plans", {}, 422, "name"],
      ["POST", "/plans", { name: "Broken", resources: { diskspace_mb: -5 } }, 422, "resources.diskspace_mb"],
      ["GET", "/plans/abc", undefined, 422, "path.id"],
      ["PATCH", "/plans/999999", { description: "x" }, 404, undefined],
      ["POST", "/packages", [], 422, undefined],
      ["POST", "/packages", { kind: "fax", name: "x", volume: 1, period: "once", price: "1", currency: "EUR" }, 422, "kind"],
      ["POST", "/notices", { customer_id: "seven", title: "x" }, 422, "customer_id"],
      ["POST", "/notices", { customer_id: 999999, title: "x" }, 404, undefined],
      ["GET", `/customers/${ids.mine}/notices?since=yesterday`, undefined, 422, "query.since"],
      ["POST", "/webhooks", { url: "ftp://example.com/hook" }, 422, "url"],
      ["POST", "/webhooks", { url: "https://93.184.216.34/h", event_types: ["no.such.event"] }, 422, "event_types.0"],
      ["GET", "/webhooks?limit=lots", undefined, 422, "query.limit"],
      ["POST", "/webhooks/1/deliveries/abc/redeliver", {}, 422, "path.delivery"],
      ["DELETE", "/webhooks/999999", undefined, 404, undefined],
    ] as const) {
      const r = await req(method, path, { session: s, body });
      assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.headers.get("content-type")?.startsWith("application/problem+json"), true, `${method} ${path} answers a problem document`);
      if (field) assert.ok(r.body.errors.some((e: { field: string }) => e.field === field), `${method} ${path} names ${field}: ${JSON.stringify(r.body.errors)}`);
    }
    const malformed = await req("POST", "/webhooks", { session: s, raw: "{not json" });
    assert.equal(malformed.status, 400);
  });

  it("refuses a notice edit made over a newer version (If-Match), as the API does", async () => {
    const s = await logIn(ids.operator);
    const n = await req("POST", "/notices", { session: s, body: { customer_id: ids.mine, title: "Version one" } });
    assert.equal((await req("PATCH", `/notices/${n.body.id}`, { session: s, body: { title: "Version two" } })).status, 200);
    const res = await fetch(`${server.url}/console/api/notices/${n.body.id}`, {
      method: "PATCH",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": "application/json", "if-match": `"v${n.body.version}"` },
      body: JSON.stringify({ title: "Stale" }),
    });
    assert.equal(res.status, 412);
    assert.equal((await server.app.services.hosting.notices.get(systemContext(), n.body.id)).title, "Version two");
  });

  it("shows a webhook's signing secret only in the answers that make it", async () => {
    const s = await logIn(ids.operator);
    const created = await req("POST", "/webhooks", { session: s, body: { url: "https://93.184.216.34/secret-once" } });
    assert.equal(created.status, 200);
    assert.equal(typeof created.body.secret, "string");
    assert.equal(created.headers.get("cache-control"), "no-store");
    const read = await req("GET", `/webhooks/${created.body.id}`, { session: s });
    assert.equal(read.body.secret, undefined);
    const listed = await req("GET", "/webhooks", { session: s });
    assert.ok(!JSON.stringify(listed.body).includes(created.body.secret));
    const rotated = await req("POST", `/webhooks/${created.body.id}/rotate-secret`, { session: s, body: { overlap_seconds: 0 } });
    assert.notEqual(rotated.body.secret, created.body.secret);
    assert.ok(!JSON.stringify((await req("GET", `/webhooks/${created.body.id}`, { session: s })).body).includes(rotated.body.secret));
  });

  it("keeps a reseller to its own customers: another reseller's reads as missing everywhere", async () => {
    const s = await logIn(ids.resellerA);
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

  it("ends the session on logout, and when the account's password changes", async () => {
    const s = await logIn(ids.operator);
    assert.equal((await req("GET", "/session", { session: s })).status, 200);
    assert.equal((await req("DELETE", "/session", { session: s })).status, 204);
    assert.equal((await req("GET", "/session", { session: s })).status, 401);

    const r = await reseller();
    const t = await logIn(r.id);
    assert.equal((await req("GET", "/customers", { session: t })).status, 200);
    await server.app.services.accountLogins.setLogin(systemContext("test"), r.id, { password: "Another-Console-Pass-3" });
    assert.equal((await req("GET", "/customers", { session: t })).status, 401);
  });

  it("keeps the console session alive while used, and ends it after its absolute lifetime", async () => {
    const t = await logIn((await reseller()).id);
    for (let i = 1; i <= 15; i++) {
      clock.advance(50 * 60_000);
      const r = await req("GET", "/session", { session: t });
      if (i * 50 < 12 * 60) assert.equal(r.status, 200, `after ${i * 50} minutes`);
      else assert.equal(r.status, 401, `after ${i * 50} minutes: past the absolute lifetime`);
    }
  });
});
