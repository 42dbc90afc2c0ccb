import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { systemContext } from "../../src/core/context.js";
import type { TestServer } from "../helpers/harness.js";

/** Screenshots land here (git-ignored), one file per page and width. */
export const SHOTS = join(import.meta.dirname, "..", "..", "test-results", "console");

/**
 * What an operator or reseller types into the console's login form. The console's login step
 * is switched in one place (src/protocols/console/login.ts); this is its counterpart in the
 * tests. For now an account logs in with one of its API keys.
 */
export async function consoleCredentials(server: TestServer, kind: "operator" | "reseller", accountId: number): Promise<{ identifier: string; password: string }> {
  const key = await server.app.services.keys.create(systemContext("test"), { name: "console login", principal: { kind, id: accountId } });
  return { identifier: "key", password: key.secret };
}

/** Debian's Chromium, headless, with nothing reaching out to the network. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CUSTOS_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
