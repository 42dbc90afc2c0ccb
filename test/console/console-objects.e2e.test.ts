import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { systemContext } from "../../src/core/context.js";
import { WebhookCommands } from "../../src/modules/events/commands.js";
import { forEachDialect, startServer, type TestServer } from "../helpers/harness.js";
import { consoleCredentials, fitsWidth, launchChromium, screenshot } from "./helpers.js";

/** A public address that is never contacted: these servers run without the webhook dispatcher. */
const HOOK_URL = "https://93.184.216.34/custos-hook";

/**
 * The hosting plan, message package, notice and webhook pages in real Chromium against a real
 * server: an operator creates each object through its form (keyboard and labels), gets the
 * API's validation message next to the field, edits and removes them, applies a plan from the
 * customer page, sees a webhook secret once; a reseller reaches neither another reseller's plan,
 * webhook nor notice. Every page is photographed at 1280 and 390 px under test-results/console.
 */
forEachDialect("console object pages in Chromium", (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let ids: { operator: number; resellerA: number; resellerB: number; alice: number; bob: number; planB: number; hookB: number; noticeB: number };

  before(async () => {
    server = await startServer(dialect, { rateLimit: 0, events: { dispatch: false } });
    browser = await launchChromium();
    const ctx = systemContext("test");
    const s = server.app.services;
    const a = await s.accounts.createReseller(ctx, { name: "Alpha Hosting", email: "ops@alpha.example" });
    const b = await s.accounts.createReseller(ctx, { name: "Beta Hosting", email: "ops@beta.example" });
    const alice = await s.customers.create(ctx, { email: "alice@alpha.example", first_name: "Alice", last_name: "Adams", owner_id: a.id });
    const bob = await s.customers.create(ctx, { email: "bob@beta.example", first_name: "Bob", last_name: "Brown", owner_id: b.id });
    const planB = await s.plans.create(ctx, { name: "Beta Secret Plan", owner_id: b.id, resources: { diskspace_mb: 1 } });
    const hookB = await s.commands.execute(WebhookCommands.create, ctx, { url: "https://93.184.216.34/beta-only", owner_id: b.id }, undefined);
    const noticeB = await s.hosting.notices.create(ctx, { customer_id: bob.id, title: "Beta maintenance" });
    const op = await server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").orderBy("id").executeTakeFirstOrThrow();
    ids = { operator: Number(op.id), resellerA: a.id, resellerB: b.id, alice: alice.id, bob: bob.id, planB: planB.id, hookB: hookB.id, noticeB: noticeB.id };
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const shot = (page: Page, name: string) => screenshot(page, dialect, name);

  async function session(accountId: number, width = 1280): Promise<{ page: Page; close: () => Promise<void>; violations: string[] }> {
    const context = await browser.newContext(width === 1280 ? { viewport: { width, height: 900 } } : { viewport: { width, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const creds = await consoleCredentials(server, accountId);
    await page.goto(`${server.url}/console`);
    await page.getByLabel("Login name").fill(creds.identifier);
    await page.getByLabel("Password").fill(creds.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
    return { page, close: () => context.close(), violations };
  }

  const open = async (page: Page, link: string, heading: string) => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
  };

  it("lets an operator create a hosting plan (after the API's validation message), edit it and apply it to a customer", async () => {
    const { page, close, violations } = await session(ids.operator);
    await open(page, "Plans", "Hosting plans");
    const form = page.getByRole("form", { name: "New hosting plan" });
    // Keyboard only: the name field, then Tab to the next labelled field.
    await form.getByLabel("Name").focus();
    await page.keyboard.type("Gold");
    await form.getByLabel("Disk space (MB)").fill("-5");
    await form.getByLabel("PHP").selectOption("on");
    await form.getByRole("button", { name: "Create plan" }).click();
    const error = form.locator("#plan-new-resources-diskspace_mb-error");
    await error.waitFor();
    assert.equal(await error.textContent(), "must be -1 (unlimited) or more");
    assert.equal(await form.getByLabel("Disk space (MB)").getAttribute("aria-invalid"), "true");
    await shot(page, "plan-error-1280");
    assert.equal((await server.app.services.plans.list(systemContext(), { limit: 100, name: "Gold" })).data.length, 0, "nothing written");

    await form.getByLabel("Disk space (MB)").fill("10240");
    await form.getByLabel("Mailboxes").fill("25");
    await form.getByLabel("Mailboxes").press("Enter");
    await page.getByRole("heading", { name: "Gold", level: 1 }).waitFor();
    const plan = (await server.app.services.plans.list(systemContext(), { limit: 100, name: "Gold" })).data[0];
    assert.ok(plan);
    assert.deepEqual(plan.resources, { diskspace_mb: 10240, email_accounts: 25, php_enabled: true });
    await shot(page, "plan-1280");

    const edit = page.getByRole("form", { name: "Edit plan" });
    await edit.getByLabel("Description").fill("Ten gigabytes");
    await edit.getByRole("button", { name: "Save plan" }).click();
    await edit.getByRole("status").getByText("Saved.").waitFor();
    assert.equal((await server.app.services.plans.get(systemContext(), plan.id)).description, "Ten gigabytes");

    // Applied from the customer page: the API copies the plan's values into the customer.
    await page.goto(`${server.url}/console/customers/${ids.alice}`);
    const apply = page.getByRole("form", { name: "Hosting plan" });
    await apply.getByLabel("Plan").selectOption({ label: `Gold (#${plan.id})` });
    await apply.getByRole("button", { name: "Apply plan" }).click();
    await apply.getByRole("status").getByText("Plan applied.").waitFor();
    const alice = await server.app.services.customers.get(systemContext(), String(ids.alice));
    assert.equal(alice.resources.hosting_plan_id, plan.id);
    assert.equal(alice.resources.diskspace_mb, 10240);
    await shot(page, "customer-plan-1280");

    await page.goto(`${server.url}/console/plans/${plan.id}`);
    await page.getByRole("button", { name: "Delete plan" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Confirm delete plan" }).click();
    await page.getByRole("heading", { name: "Hosting plans", level: 1 }).waitFor();
    assert.equal((await server.app.services.plans.list(systemContext(), { limit: 100, name: "Gold" })).data.length, 0);
    assert.equal((await server.app.services.customers.get(systemContext(), String(ids.alice))).resources.diskspace_mb, 10240, "the customer keeps the values");
    assert.deepEqual(violations, []);
    await close();
  });

  it("lets an operator publish a global notice and one to a customer, edit and withdraw it", async () => {
    const { page, close, violations } = await session(ids.operator);
    await open(page, "Notices", "Notices");
    const form = page.getByRole("form", { name: "Publish a notice" });
    await form.getByRole("button", { name: "Publish notice" }).click();
    await form.locator("#notice-new-title-error").waitFor();
    assert.equal(await form.locator("#notice-new-title-error").textContent(), "must not be empty");
    await shot(page, "notice-error-1280");

    await form.getByLabel("Title").fill("Planned maintenance on Sunday");
    await form.getByLabel("Severity").selectOption("warning");
    await form.getByLabel("Text").fill("Mail may be slow between 02:00 and 04:00 UTC.");
    await form.getByRole("button", { name: "Publish notice" }).click();
    await page.getByRole("heading", { name: "Planned maintenance on Sunday", level: 1 }).waitFor();
    await page.getByText("to every customer").waitFor();
    await shot(page, "notice-1280");

    await open(page, "Notices", "Notices");
    await form.getByLabel("Customer id (empty: every customer)").fill(String(ids.alice));
    await form.getByLabel("Title").fill("Your invoice is ready");
    await form.getByRole("button", { name: "Publish notice" }).click();
    await page.getByRole("heading", { name: "Your invoice is ready", level: 1 }).waitFor();
    const edit = page.getByRole("form", { name: "Edit notice" });
    await edit.getByLabel("Title").fill("Your November invoice is ready");
    await edit.getByRole("button", { name: "Save notice" }).click();
    await page.getByRole("heading", { name: "Your November invoice is ready", level: 1 }).waitFor();

    // The customer's list holds its own notice and the global one.
    await page.goto(`${server.url}/console/notices?customer=${ids.alice}`);
    await page.getByRole("link", { name: "Your November invoice is ready" }).waitFor();
    assert.ok(await page.getByRole("link", { name: "Planned maintenance on Sunday" }).isVisible());
    await shot(page, "notices-1280");
    await page.getByRole("link", { name: "Your November invoice is ready" }).click();
    // Keyboard only: the confirmation takes the focus; Escape closes it, Enter confirms.
    const focused = (text: string) => page.waitForFunction(`document.activeElement?.textContent === ${JSON.stringify(text)}`, undefined, { timeout: 5000 });
    await page.getByRole("button", { name: "Withdraw notice" }).press("Enter");
    await focused("Confirm withdraw notice");
    await page.keyboard.press("Escape");
    await page.getByRole("alertdialog").waitFor({ state: "detached" });
    await focused("Withdraw notice");
    await page.keyboard.press("Enter");
    await focused("Confirm withdraw notice");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Notices", level: 1 }).waitFor();
    const left = await server.app.services.hosting.notices.listNotices(systemContext(), ids.alice, {});
    assert.deepEqual(
      left.data.map((n) => n.title),
      ["Planned maintenance on Sunday"],
    );
    assert.deepEqual(violations, []);
    await close();
  });

  it("lets an operator register a webhook (secret shown once), list deliveries, disable and rotate it", async () => {
    const { page, close, violations } = await session(ids.operator);
    await open(page, "Webhooks", "Webhook endpoints");
    const form = page.getByRole("form", { name: "Register an endpoint" });
    await form.getByLabel("URL").fill("http://example.com/hook");
    await form.getByRole("button", { name: "Register endpoint" }).click();
    await form.locator("#webhook-new-url-error").waitFor();
    assert.equal(await form.locator("#webhook-new-url-error").textContent(), "must use https");
    await form.getByLabel("URL").fill(HOOK_URL);
    await form.getByLabel("Event types").fill("customer.*, nonsense.event");
    await form.getByRole("button", { name: "Register endpoint" }).click();
    await form.locator("#webhook-new-event_types-error").waitFor();
    await shot(page, "webhook-error-1280");

    await form.getByLabel("Event types").fill("customer.*");
    await form.getByLabel("Description").fill("Billing system");
    await form.getByRole("button", { name: "Register endpoint" }).click();
    const secret = page.locator(".secret code");
    await secret.waitFor();
    const shown = (await secret.textContent()) ?? "";
    assert.ok(shown.length >= 20, "the signing secret is shown");
    await shot(page, "webhook-created-1280");

    await page.getByRole("link", { name: HOOK_URL }).first().click();
    await page.getByRole("heading", { name: HOOK_URL, level: 1 }).waitFor();
    assert.equal(await page.locator(".secret").count(), 0, "the secret is not shown again");
    assert.equal(await page.getByText(shown).count(), 0);

    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByRole("cell", { name: "webhook.ping" }).waitFor();
    await page.getByRole("button", { name: "Redeliver" }).click();
    await page.getByRole("button", { name: "Redeliver" }).nth(1).waitFor();
    await shot(page, "webhook-1280");

    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("button", { name: "Enable" }).waitFor();
    const hooks = await server.app.services.webhooks.list(systemContext(), {});
    const mine = hooks.data.find((h) => h.url === HOOK_URL);
    assert.equal(mine?.status, "disabled");

    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Confirm rotate secret" }).click();
    await page.locator(".secret code").waitFor();
    assert.notEqual(await page.locator(".secret code").textContent(), shown, "a new secret");
    assert.ok((await server.app.services.webhooks.get(systemContext(), mine?.id ?? 0)).previous_secret_expires_at, "the old one overlaps");

    await page.getByRole("button", { name: "Delete endpoint" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Confirm delete endpoint" }).click();
    await page.getByRole("heading", { name: "Webhook endpoints", level: 1 }).waitFor();
    assert.equal((await server.app.services.webhooks.list(systemContext(), {})).data.some((h) => h.url === HOOK_URL), false);
    assert.deepEqual(violations, []);
    await close();
  });

  it("lets an operator create a message package after a validation message, edit and archive it", async () => {
    const { page, close } = await session(ids.operator);
    await open(page, "Packages", "Message packages");
    const form = page.getByRole("form", { name: "New message package" });
    await form.getByLabel("Kind").selectOption("sms");
    await form.getByLabel("Name").fill("SMS 1000");
    await form.getByLabel("Volume per period").fill("1000");
    await form.getByLabel("Price").fill("12,50");
    await form.getByLabel("Currency").fill("eur");
    await form.getByRole("button", { name: "Create package" }).click();
    await form.locator("#package-new-price-error").waitFor();
    assert.equal(await form.locator("#package-new-price-error").textContent(), "must be a decimal amount such as 199.00");
    await form.getByLabel("Price").fill("12.50");
    await form.getByRole("button", { name: "Create package" }).click();
    await page.getByRole("heading", { name: "SMS 1000", level: 1 }).waitFor();
    await shot(page, "package-1280");
    await page.getByRole("form", { name: "Edit package" }).getByLabel("Volume per period").fill("1200");
    await page.getByRole("button", { name: "Save package" }).click();
    await page.getByText("1200", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Archive package" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Confirm archive package" }).click();
    await page.getByText("· archived ·", { exact: false }).waitFor();
    await close();
  });

  it("shows a customer's sites and FTP users with their provisioning status, and lets an operator report one", async () => {
    const sites = server.app.services.hosting.sites;
    const site = await sites.wizard(systemContext("test"), ids.alice, {
      site_name: "shop",
      site_hostname: "shop.alpha.example",
      container_name: "web",
      environment_names: ["production", "staging"],
      container_type: "static",
      container_os_id: "debian-12",
      container_disk_space: 10,
      container_size: 1,
    });
    const { page, close, violations } = await session(ids.operator);
    await page.goto(`${server.url}/console/customers/${ids.alice}`);
    await page.getByRole("link", { name: "This customer's sites and FTP users, with their provisioning status" }).click();
    await page.getByRole("heading", { name: "Provisioning", level: 1 }).waitFor();
    await page.getByRole("cell", { name: `site #${site.id} shop (shop.alpha.example)` }).waitFor();
    assert.ok(await page.getByRole("cell", { name: `environment #${site.environments[1]?.id} staging` }).isVisible());

    const form = page.getByRole("form", { name: "Report a status" });
    await form.getByLabel("Object kind").selectOption("site");
    await form.getByLabel("Object id").fill(String(site.id));
    await form.getByLabel("New status").selectOption("active");
    await form.getByLabel("Message").fill("Deployed on web-3");
    await form.getByRole("button", { name: "Report status" }).click();
    await form.getByRole("status").getByText("Status recorded.").waitFor();
    await page.getByRole("cell", { name: "Deployed on web-3" }).waitFor();
    assert.equal((await sites.get(systemContext(), site.id)).status, "active");
    await shot(page, "provisioning-1280");

    // A step the state machine does not allow gets the API's message next to the status.
    await form.getByLabel("Object id").fill(String(site.id));
    await form.getByLabel("New status").selectOption("requested");
    await form.getByRole("button", { name: "Report status" }).click();
    await form.locator("#status-report-status-error").waitFor();
    assert.equal(await form.locator("#status-report-status-error").textContent(), "active -> requested is not allowed");
    await form.getByLabel("Object id").fill("");
    await form.getByRole("button", { name: "Report status" }).click();
    await form.locator("#status-report-id-error").waitFor();
    await shot(page, "provisioning-error-1280");
    assert.equal((await sites.get(systemContext(), site.id)).status, "active");
    assert.deepEqual(violations, []);
    await close();

    // A reseller reads its customers' statuses but reports none, and reaches no other reseller's customer.
    const reseller = await session(ids.resellerA);
    await reseller.page.goto(`${server.url}/console/provisioning?customer=${ids.alice}`);
    await reseller.page.getByRole("cell", { name: `site #${site.id} shop (shop.alpha.example)` }).waitFor();
    assert.equal(await reseller.page.getByRole("form", { name: "Report a status" }).count(), 0);
    await reseller.page.goto(`${server.url}/console/provisioning?customer=${ids.bob}`);
    await reseller.page.getByRole("alert").getByText("Customer not found").first().waitFor();
    await reseller.close();
  });

  it("lets an operator make a plan and an endpoint for a reseller, which the reseller then reads and changes", async () => {
    const op = await session(ids.operator);
    await op.page.goto(`${server.url}/console/plans`);
    const form = op.page.getByRole("form", { name: "New hosting plan" });
    await form.getByLabel("Name").fill("Alpha Starter");
    await form.getByLabel("Owner account id").fill(String(ids.resellerA));
    await form.getByRole("button", { name: "Create plan" }).click();
    await op.page.getByRole("heading", { name: "Alpha Starter", level: 1 }).waitFor();
    await op.page.goto(`${server.url}/console/webhooks`);
    const hook = op.page.getByRole("form", { name: "Register an endpoint" });
    await hook.getByLabel("URL").fill("https://93.184.216.34/alpha-billing");
    await hook.getByLabel("Owner account id").fill(String(ids.resellerA));
    await hook.getByRole("button", { name: "Register endpoint" }).click();
    await op.page.locator(".secret code").waitFor();
    await op.close();

    const { page, close } = await session(ids.resellerA);
    await open(page, "Plans", "Hosting plans");
    assert.equal(await page.getByRole("form", { name: "New hosting plan" }).getByLabel("Owner account id").count(), 0, "resellers make plans for themselves only");
    await page.getByRole("link", { name: "Alpha Starter" }).click();
    const edit = page.getByRole("form", { name: "Edit plan" });
    await edit.getByLabel("Description").fill("Our smallest plan");
    await edit.getByRole("button", { name: "Save plan" }).click();
    await edit.getByRole("status").getByText("Saved.").waitFor();
    await open(page, "Webhooks", "Webhook endpoints");
    await page.getByRole("link", { name: "https://93.184.216.34/alpha-billing" }).click();
    await page.getByText(`reseller #${ids.resellerA}`).first().waitFor();
    await close();
  });

  it("pages through a long list with the cursor in the address", async () => {
    const packages = server.app.services.packages;
    for (let i = 1; i <= 55; i++) await packages.create(systemContext("test"), { kind: "email", name: `Bulk ${String(i).padStart(2, "0")}`, volume: i, period: "monthly", price: "1.00", currency: "EUR" });
    const { page, close } = await session(ids.operator);
    await open(page, "Packages", "Message packages");
    const rows = page.locator("tbody tr");
    await page.getByRole("link", { name: "Next page" }).click();
    await page.getByRole("link", { name: "First page" }).waitFor();
    assert.match(page.url(), /\/console\/packages\?after=\d+$/);
    const second = await rows.locator("td:first-child").allTextContents();
    assert.ok(second.includes("Bulk 55"), "the last package is on the second page");
    assert.ok(!second.includes("Bulk 01"));
    await page.goBack();
    await page.getByRole("link", { name: "Next page" }).waitFor();
    assert.ok((await rows.locator("td:first-child").allTextContents()).includes("Bulk 01"));
    await close();
  });

  it("fits every new page into 390 px", async () => {
    const { page, close } = await session(ids.operator, 390);
    const plan = await server.app.services.plans.create(systemContext("test"), { name: "Narrow", resources: { diskspace_mb: 5 } });
    const hook = await server.app.services.commands.execute(WebhookCommands.create, systemContext("test"), { url: HOOK_URL }, undefined);
    const notice = await server.app.services.hosting.notices.create(systemContext("test"), { customer_id: null, title: "Narrow screens" });
    for (const [path, heading, name] of [
      ["/console/plans", "Hosting plans", "plans"],
      [`/console/plans/${plan.id}`, "Narrow", "plan"],
      ["/console/packages", "Message packages", "packages"],
      ["/console/notices", "Notices", "notices"],
      [`/console/notices/${notice.id}`, "Narrow screens", "notice"],
      ["/console/webhooks", "Webhook endpoints", "webhooks"],
      [`/console/provisioning?customer=${ids.alice}`, "Provisioning", "provisioning"],
      [`/console/webhooks/${hook.id}`, HOOK_URL, "webhook"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await fitsWidth(page);
      await shot(page, `${name}-390`);
    }
    await close();
  });

  it("keeps a reseller away from another reseller's plan, webhook and notice, even by address", async () => {
    const { page, close } = await session(ids.resellerA);
    await open(page, "Plans", "Hosting plans");
    assert.equal(await page.getByText("Beta Secret Plan").count(), 0, "not in the list");
    await shot(page, "reseller-plans-1280");
    for (const [path, message] of [
      [`/console/plans/${ids.planB}`, "Hosting plan not found"],
      [`/console/webhooks/${ids.hookB}`, "Webhook endpoint not found"],
      [`/console/notices/${ids.noticeB}`, "Notice not found"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole("alert").getByText(message).first().waitFor();
      await shot(page, `reseller-other-${path.split("/")[2]}-1280`);
    }
    await open(page, "Webhooks", "Webhook endpoints");
    assert.equal(await page.getByText("beta-only").count(), 0);
    // The package catalogue is the operators': a reseller reads it and gets no form to change it.
    await open(page, "Packages", "Message packages");
    await page.getByText("The package catalogue is the operators'; resellers read it.").waitFor();
    assert.equal(await page.getByRole("form", { name: "New message package" }).count(), 0);
    // The API behind the pages refuses the writes the same way.
    const status = await page.evaluate(async ([planId, csrf]) => {
      const r = await fetch(`/console/api/plans/${planId}`, { method: "PATCH", headers: { "content-type": "application/json", "x-csrf-token": String(csrf) }, body: JSON.stringify({ description: "x" }) });
      return r.status;
    }, [ids.planB, (await (await page.context().request.get(`${server.url}/console/api/session`)).json()).csrf_token] as const);
    assert.equal(status, 404);
    // A notice to another reseller's customer is refused as if the customer did not exist.
    await page.goto(`${server.url}/console/notices`);
    const form = page.getByRole("form", { name: "Publish a notice" });
    await form.getByLabel("Customer id").fill(String(ids.bob));
    await form.getByLabel("Title").fill("Not yours");
    await form.getByRole("button", { name: "Publish notice" }).click();
    await form.getByRole("alert").getByText("Customer not found").waitFor();
    assert.equal((await server.app.services.hosting.notices.listNotices(systemContext(), ids.bob, {})).data.some((n) => n.title === "Not yours"), false);
    await close();
  });
});
