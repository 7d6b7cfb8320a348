/**
 * Launches Debian's Chromium through playwright-core for browser tests.
 * Never downloads a browser: where /usr/bin/chromium is missing, the
 * launch fails with the command that installs it.
 */
import { existsSync } from "node:fs";

import { chromium } from "playwright-core";
import type { Browser, ConsoleMessage, Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Starts headless Chromium, or throws how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests need ` +
        "Debian's Chromium: run `apt-get install chromium` (as root), or " +
        "set CHROMIUM_PATH to another Chromium binary.",
    );
  }

  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The machine has no network but loopback: without these flags
    // Chromium keeps trying to reach Google's services in the background.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Records every console error and page error of `page`, so a test can
 * assert at the end that there were none.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error: Error) => {
    errors.push(`pageerror: ${error.message}`);
  });
  return errors;
}
