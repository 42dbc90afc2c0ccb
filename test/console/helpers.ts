import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import type { Dialect } from "../../src/storage/schema.js";
import type { TestServer } from "../helpers/harness.js";
import { type AccountLogin, accountLoginOf } from "../security/account-logins.js";

/** Screenshots land here (git-ignored), one file per page and width. */
export const SHOTS = join(import.meta.dirname, "..", "..", "test-results", "console");

/**
 * What an operator or reseller types into the console's login form: the account's login name
 * and password, set on first use (test/security/account-logins.ts).
 */
export async function consoleCredentials(server: TestServer, accountId: number): Promise<AccountLogin> {
  return accountLoginOf(server, accountId);
}

/** Debian's Chromium, headless, with nothing reaching out to the network. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CUSTOS_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A full-page screenshot, test-results/console/<dialect>-<name>.png. */
export async function screenshot(page: Page, dialect: Dialect, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${dialect}-${name}.png`), fullPage: true });
}

/** Nothing may stick out sideways at the page's width (usable at 390 px without sideways scrolling). */
export async function fitsWidth(page: Page): Promise<void> {
  // Runs in the page; the tests' own TypeScript has no DOM types, hence the string.
  const { scroll, width } = (await page.evaluate("({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })")) as { scroll: number; width: number };
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px viewport`);
}
