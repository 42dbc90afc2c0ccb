import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { ManualClock } from "../../src/core/clock.js";
import { percentile95 } from "../../src/modules/bandwidth/service.js";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { World } from "../security/world.js";

const MARCH = Date.UTC(2026, 2, 1) / 1000;

it("percentile95 drops the top 5 % of rates and bills the highest left (unit)", () => {
  assert.equal(percentile95([]), 0);
  assert.equal(percentile95([7]), 7);
  assert.equal(percentile95(Array.from({ length: 100 }, (_, i) => i + 1)), 95);
  assert.equal(percentile95(Array.from({ length: 20 }, (_, i) => 20 - i)), 19);
  assert.equal(percentile95([...Array.from({ length: 8640 }, () => 10), 500, 900]), 10, "short bursts are not billed");
});

forEachDialect("hosting: bandwidth samples and currentBillableBandwidth", (dialect) => {
  let s: TestServer;
  let w: World;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 }, new ManualClock(new Date("2026-03-20T12:00:00Z")));
    w = new World(s);
  });
  after(async () => s.close());

  it("bills the 95th percentile of this month's 5-minute rates by default, total GB when the setting says so", async () => {
    const r = await w.reseller();
    const c = await w.customer(r.id);
    // Interval k carries k * 375,000 bytes out: k * 0.01 Mbit/s. Interval 1 is split over two sites.
    const samples = Array.from({ length: 100 }, (_, i) => ({ customer_id: c.id, start: MARCH + 300 * (i + 1), bytes_in: 1000, bytes_out: (i + 1) * 375_000 }));
    samples[0] = { ...samples[0], bytes_out: 200_000, site_id: 1 } as (typeof samples)[number];
    samples.push({ customer_id: c.id, site_id: 2, start: MARCH + 300, bytes_in: 0, bytes_out: 175_000 } as (typeof samples)[number]);
    samples.push({ customer_id: c.id, start: MARCH - 300, bytes_in: 0, bytes_out: 10 ** 12 }, { customer_id: c.id, start: Date.UTC(2026, 3, 1) / 1000, bytes_in: 0, bytes_out: 10 ** 12 });
    const ing = await api(s.url, "POST", "/v1/bandwidth/samples", { body: { samples } });
    assert.equal(ing.status, 200, ing.text);
    assert.deepEqual([ing.body.received, ing.body.recorded, ing.body.duplicates], [103, 103, 0]);
    const again = await api(s.url, "POST", "/v1/bandwidth/samples", { body: { samples: samples.slice(0, 10) } });
    assert.deepEqual([again.body.recorded, again.body.duplicates], [0, 10], "a resent batch records nothing twice");
    const bill = await api(s.url, "GET", `/v1/customers/${c.id}/bandwidth/billable`, { key: c.key });
    assert.equal(bill.status, 200, bill.text);
    assert.equal(bill.body.method, "p95");
    assert.equal(bill.body.unit, "Mbit/s");
    assert.equal(bill.body.billable, 0.95);
    assert.equal(bill.body.intervals, 100, "two sites in one interval count once; other months not at all");
    assert.equal(bill.body.period_start, "2026-03-01T00:00:00.000Z");
    assert.equal(bill.body.period_end, "2026-04-01T00:00:00.000Z");
    assert.equal(bill.body.bytes_out, 375_000 * 5050);
    assert.equal(bill.body.total_gb, Math.round((375_000 * 5050 + 100_000) / 1e6) / 1000);
    const set = await api(s.url, "PUT", `/v1/customers/${c.id}/settings`, { key: r.key, body: { settings: [{ key: "bandwidth.billing_method", value: "total" }] } });
    assert.equal(set.status, 200, set.text);
    const total = await api(s.url, "GET", `/v1/customers/${c.id}/bandwidth/billable`, { key: r.key });
    assert.deepEqual([total.body.method, total.body.unit, total.body.billable], ["total", "GB", total.body.total_gb]);
    const idle = await w.customer(r.id);
    const none = await api(s.url, "GET", `/v1/customers/${idle.id}/bandwidth/billable`, { key: idle.key });
    assert.deepEqual([none.body.billable, none.body.intervals], [0, 0]);
  });

  it("refuses bad batches as a whole, naming the samples, and ingestion is for operators only", async () => {
    const r = await w.reseller();
    const c = await w.customer(r.id);
    const good = { customer_id: c.id, start: MARCH, bytes_in: 1, bytes_out: 1 };
    const bad: [unknown, string][] = [
      [{ samples: [good, { ...good, start: MARCH + 1 }] }, "samples.1.start"],
      [{ samples: [{ ...good, customer_id: 99999999 }] }, "samples.0.customer_id"],
      [{ samples: [{ ...good, bytes_in: -1 }] }, "samples.0.bytes_in"],
      [{ samples: [{ ...good, bytes_out: 1.5 }] }, "samples.0.bytes_out"],
      [{ samples: [] }, "samples"],
      [{ samples: Array.from({ length: 10_001 }, (_, i) => ({ ...good, start: MARCH + 300 * i })) }, "samples"],
    ];
    for (const [body, field] of bad) {
      const res = await api(s.url, "POST", "/v1/bandwidth/samples", { body });
      assert.equal(res.status, 422, res.text.slice(0, 300));
      assert.equal(res.body.errors[0].field, field);
    }
    const db = s.app.storage.db;
    const stored = await db.selectFrom("bandwidth_samples").select("start").where("customer_id", "=", c.id).execute();
    assert.equal(stored.length, 0, "nothing of a refused batch is kept");
    assert.equal((await api(s.url, "POST", "/v1/bandwidth/samples", { key: r.key, body: { samples: [good] } })).status, 403);
    const full = await api(s.url, "POST", "/v1/bandwidth/samples", { body: { samples: Array.from({ length: 10_000 }, (_, i) => ({ ...good, start: MARCH + 300 * i })) } });
    assert.equal(full.status, 200, full.text.slice(0, 300));
    assert.equal(full.body.recorded, 10_000);
  });

  it("another tenant's bandwidth answers like a missing customer", async () => {
    const a = await w.reseller();
    const b = await w.reseller();
    const b1 = await w.customer(b.id);
    const foreign = await api(s.url, "GET", `/v1/customers/${b1.id}/bandwidth/billable`, { key: a.key });
    const absent = await api(s.url, "GET", "/v1/customers/99999999/bandwidth/billable", { key: a.key });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail, absent.body.detail);
  });
});
