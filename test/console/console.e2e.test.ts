import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { systemContext } from "../../src/core/context.js";
import { forEachDialect, startServer, type TestServer } from "../helpers/harness.js";
import { consoleCredentials, fitsWidth, launchChromium, screenshot } from "./helpers.js";

/**
 * The console in real Chromium against a real server: an operator logs in (keyboard only),
 * searches, opens a customer, gets the API's validation message for a bad edit, saves a good
 * one, suspends the customer with a reason and reads the audit trail; a reseller sees only its
 * own customers and cannot open another reseller's. Every page is photographed at 1280 and 390 px.
 */
forEachDialect("console in Chromium", (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let ids: { alice: number; bob: number; resellerA: number; resellerB: number; operator: number };

  before(async () => {
    server = await startServer(dialect, { rateLimit: 0 });
    browser = await launchChromium();
    const ctx = systemContext("test");
    const s = server.app.services;
    const a = await s.accounts.createReseller(ctx, { name: "Alpha Hosting", email: "ops@alpha.example" });
    const b = await s.accounts.createReseller(ctx, { name: "Beta Hosting", email: "ops@beta.example" });
    const alice = await s.customers.create(ctx, {
      email: "alice.adams@alpha.example",
      first_name: "Alice",
      last_name: "Adams",
      country: "NL",
      city: "Utrecht",
      owner_id: a.id,
      tags: [{ key: "plan", value: "gold" }],
      resources: { diskspace_mb: 2048, php_enabled: true },
    });
    const bob = await s.customers.create(ctx, { email: "bob.brown@beta.example", first_name: "Bob", last_name: "Brown", country: "DE", owner_id: b.id });
    for (let i = 1; i <= 3; i++) await s.customers.create(ctx, { email: `filler${i}@example.com`, company: `Filler ${i} BV`, country: "BE" });
    const op = await server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").orderBy("id").executeTakeFirstOrThrow();
    ids = { alice: alice.id, bob: bob.id, resellerA: a.id, resellerB: b.id, operator: Number(op.id) };
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const shot = (page: Page, name: string) => screenshot(page, dialect, name);

  async function logIn(page: Page, accountId: number): Promise<void> {
    const creds = await consoleCredentials(server, accountId);
    await page.goto(`${server.url}/console`);
    // Keyboard only: every field is reachable by Tab and named by its label.
    await page.getByLabel("Login name").focus();
    await page.keyboard.type(creds.identifier);
    await page.keyboard.press("Tab");
    await page.keyboard.type(creds.password);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
  }

  it("serves the console with a strict content security policy and no framing", async () => {
    const res = await fetch(`${server.url}/console`);
    assert.equal(res.status, 200);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.doesNotMatch(await res.text(), /<script>|style=/, "no inline script or style");
  });

  it("lets an operator log in, search, edit with a validation error, suspend and read the audit trail", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      // Refused answers (401 before login, 422 for the bad edit) are expected; a CSP refusal is not.
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${server.url}/console`);
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await shot(page, "login-1280");
    await logIn(page, ids.operator);
    await page.getByText("5 customers").waitFor();
    await shot(page, "customers-1280");

    // Search: e-mail starting with "alice".
    await page.getByLabel("Search in").selectOption("email");
    await page.getByLabel("Starts with").fill("alice");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("1 customer", { exact: true }).waitFor();
    const rows = page.locator("tbody tr");
    assert.equal(await rows.count(), 1);
    await shot(page, "search-1280");

    // The detail page shows every field group.
    await page.getByRole("link", { name: "Alice Adams" }).click();
    await page.getByRole("heading", { name: "Alice Adams", level: 1 }).waitFor();
    for (const heading of ["Contact", "Resources and usage", "Registrar", "Messaging", "Tags", "Life cycle", "Credentials", "API keys", "Audit trail"]) {
      // Sections load separately (each its own request): wait for each rather than race them.
      await page.getByRole("heading", { name: heading, exact: true }).waitFor({ timeout: 10_000 });
    }
    assert.ok(await page.getByText("diskspace_mb").isVisible());
    await shot(page, "customer-1280");

    // A bad country gets the API's own message next to the field, and nothing is saved.
    await page.getByLabel("Country (ISO code)").fill("XX");
    await page.getByRole("button", { name: "Save changes" }).click();
    const fieldError = page.locator("#e-country");
    await fieldError.waitFor();
    assert.equal(await fieldError.textContent(), "must be an ISO 3166-1 alpha-2 country code");
    assert.equal(await page.getByLabel("Country (ISO code)").getAttribute("aria-invalid"), "true");
    await shot(page, "edit-error-1280");
    assert.equal((await server.app.services.customers.get(systemContext(), String(ids.alice))).country, "NL");

    // A good edit saves.
    await page.getByLabel("Country (ISO code)").fill("BE");
    await page.getByLabel("City").fill("Gent");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    const saved = await server.app.services.customers.get(systemContext(), String(ids.alice));
    assert.equal(saved.country, "BE");
    assert.equal(saved.city, "Gent");

    // Suspend, with the reason the rules require, after a confirmation.
    // Keyboard only: the confirmation takes the focus on its reason field; Enter confirms.
    await page.getByRole("button", { name: "Suspend", exact: true }).press("Enter");
    await page.waitForFunction("document.activeElement?.id === 'reason'", undefined, { timeout: 5000 });
    await page.keyboard.type("unpaid invoice 2026-11");
    await shot(page, "suspend-confirm-1280");
    await page.keyboard.press("Enter");
    await page.locator(".status-suspended").first().waitFor();
    assert.equal((await server.app.services.customers.get(systemContext(), String(ids.alice))).status, "suspended");
    await page.getByText("reason: unpaid invoice 2026-11").waitFor();

    // The audit trail lists the edit and the suspension, newest first.
    const audit = page.locator("ol.audit > li");
    await page.locator("ol.audit").getByText("customer.suspend").waitFor();
    const ops = await audit.locator("strong").allTextContents();
    assert.deepEqual(ops.slice(0, 3), ["customer.suspend", "customer.update", "customer.create"]);
    assert.ok(await page.locator("ol.audit").getByText("country: NL → BE").isVisible());
    await shot(page, "audit-1280");
    assert.deepEqual(violations, [], "nothing the CSP refused");
    await context.close();
  });

  it("is usable at 390 px: list, customer page and forms fit the width", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await logIn(page, ids.operator);
    await fitsWidth(page);
    await shot(page, "customers-390");
    await page.goto(`${server.url}/console/customers/${ids.alice}`);
    await page.getByRole("heading", { name: "Alice Adams" }).waitFor();
    await fitsWidth(page);
    await shot(page, "customer-390");
    await context.close();
  });

  it("shows a reseller only its own customers and not another reseller's, even by address", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await logIn(page, ids.resellerA);
    await page.getByText("1 customer", { exact: true }).waitFor();
    assert.deepEqual(await page.locator("tbody tr td:first-child").allTextContents(), ["Alice Adams"]);
    assert.equal(await page.getByRole("link", { name: "Resellers" }).count(), 0);
    await shot(page, "reseller-customers-1280");
    await page.goto(`${server.url}/console/customers/${ids.bob}`);
    await page.getByRole("alert").getByText("Customer not found").waitFor();
    assert.equal(await page.getByText("Bob Brown").count(), 0);
    await shot(page, "reseller-other-customer-1280");
    // The API behind the page says the same: another reseller's customer does not exist.
    const status = await page.evaluate(async (id) => (await fetch(`/console/api/customers/${id}`)).status, ids.bob);
    assert.equal(status, 404);
    await context.close();
  });
});
