import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
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
