import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { forEachDialect, OPERATOR_KEY, type TestServer, startServer } from "../helpers/harness.js";

/**
 * Issue 16: the statements a create and a PATCH send (counted, not timed). The audit entry is an
 * INSERT that touches no shared row; the sealer's work happens after commit, outside the request.
 */
forEachDialect("Statements per write", (dialect) => {
  let s: TestServer;
  before(async () => {
    s = await startServer(dialect, { audit: { seal: false }, events: { dispatch: false }, rateLimit: 0 });
  });
  after(async () => s.close());

  const headers = { authorization: `Bearer ${OPERATOR_KEY}`, "content-type": "application/json" };
  /** Round trips of the last traced call. */
  let lastTrips = 0;
  const traced = async (fn: () => Promise<void>): Promise<string[]> => {
    const texts: string[] = [];
    s.app.storage.traceStatements((t) => texts.push(t));
    const trips = s.app.storage.stats().roundTrips;
    try {
      await fn();
    } finally {
      s.app.storage.traceStatements(null);
      lastTrips = s.app.storage.stats().roundTrips - trips;
    }
    return texts;
  };

  it("a create is one transaction of 7 statements and a PATCH of 7 (5 and 6 on PostgreSQL, in 3 and 4 round trips), none of them on the audit chain head", async () => {
    const create = (n: number) => s.app.http.inject({ method: "POST", url: "/v1/customers", headers, payload: { email: `stmts${n}@write.example`, first_name: "Ann", last_name: "Lee", country: "NL" } });
    const warm = await create(0);
    assert.equal(warm.statusCode, 201, warm.body);
    let created = { id: 0, version: 0 };
    const onCreate = await traced(async () => {
      const r = await create(1);
      assert.equal(r.statusCode, 201, r.body);
      created = JSON.parse(r.body);
    });
    const createTrips = lastTrips;
    const onPatch = await traced(async () => {
      const r = await s.app.http.inject({ method: "PATCH", url: `/v1/customers/${created.id}`, headers: { ...headers, "if-match": `"v${created.version}"` }, payload: { city: "Delft" } });
      assert.equal(r.statusCode, 200, r.body);
    });
    const patchTrips = lastTrips;
    if (dialect === "postgres") {
      // BEGIN travels with the first statement, the audit entry with the COMMIT; an operator's
      // own customer has no budget to read.
      assert.ok(createTrips <= 3, `create: ${createTrips} round trips\n${onCreate.join("\n")}`);
      assert.ok(patchTrips <= 4, `patch: ${patchTrips} round trips\n${onPatch.join("\n")}`);
    }
    for (const texts of [onCreate, onPatch]) {
      assert.ok(!texts.some((t) => /audit_chain/.test(t)), texts.join("\n"));
      assert.equal(texts.filter((t) => /^(begin|commit)/i.test(t)).length, 2, texts.join("\n"));
    }
    // PostgreSQL sends the audit entry, its event and a new customer's audit key as one statement.
    const [maxCreate, maxPatch] = dialect === "postgres" ? [5, 6] : [7, 7];
    assert.ok(onCreate.length <= maxCreate, `create: ${onCreate.length}\n${onCreate.join("\n")}`);
    assert.ok(onPatch.length <= maxPatch, `patch: ${onPatch.length}\n${onPatch.join("\n")}`);
    // The new row is written once: no UPDATE to set its generated login and number.
    assert.ok(!onCreate.some((t) => /^update/i.test(t)), onCreate.join("\n"));
    // A PATCH names only the columns that changed (here the city), plus updated_at and version.
    const update = onPatch.find((t) => /^update "customers"/i.test(t)) ?? "";
    assert.match(update, /^update "customers" set "city" = \S+, "updated_at" = \S+, "version" = \S+ where/i);
  });

  it("a created or patched customer reads back exactly as answered (neither write reads its row back)", async () => {
    const payload = {
      email: "readback@write.example",
      first_name: "Rea",
      last_name: "Back",
      company: "Readback BV",
      country: "NL",
      phone: "+31201234567",
      external_id: "ext-readback-1",
      notes_visible: true,
      api_allowed: false,
      tags: [{ key: "tier", value: "gold" }],
      metadata: { plan: "gold", seats: "3" },
      resources: { email_accounts: 2, php_enabled: true },
    };
    const created = await s.app.http.inject({ method: "POST", url: "/v1/customers", headers, payload });
    assert.equal(created.statusCode, 201, created.body);
    const body = JSON.parse(created.body) as { id: number };
    const read = await s.app.http.inject({ method: "GET", url: `/v1/customers/${body.id}`, headers });
    assert.equal(read.statusCode, 200, read.body);
    assert.deepEqual(JSON.parse(read.body), body);
    // A PATCH's answer is built from the row it read and its changes: it too reads back as answered.
    const patched = await s.app.http.inject({
      method: "PATCH",
      url: `/v1/customers/${body.id}`,
      headers: { ...headers, "if-match": read.headers.etag as string },
      payload: { city: "Utrecht", notes_visible: false, metadata: { seats: "4", plan: "" }, tags: [] },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const again = await s.app.http.inject({ method: "GET", url: `/v1/customers/${body.id}`, headers });
    assert.deepEqual(JSON.parse(again.body), JSON.parse(patched.body));
    assert.equal(again.headers.etag, patched.headers.etag);
  });

  it("a generated login someone already chose explicitly falls back to the next free one", async () => {
    const post = async (body: Record<string, unknown>) => {
      const r = await s.app.http.inject({ method: "POST", url: "/v1/customers", headers, payload: body });
      assert.equal(r.statusCode, 201, r.body);
      return JSON.parse(r.body) as { id: number; login: string; customer_number: string };
    };
    const x = await post({ email: "gen-x@write.example", first_name: "Gen", last_name: "X", country: "NL" });
    const y = await post({ email: "gen-y@write.example", first_name: "Gen", last_name: "Y", country: "NL", login: `cust${x.id + 2}` });
    assert.equal(y.id, x.id + 1);
    const z = await post({ email: "gen-z@write.example", first_name: "Gen", last_name: "Z", country: "NL" });
    assert.equal(z.id, x.id + 2);
    assert.equal(z.login, `cust${z.id}-1`);
    assert.equal(z.customer_number, String(10000 + z.id));
  });
});
