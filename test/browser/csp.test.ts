/**
 * The script-tag bundle on a page served with a strict Content Security
 * Policy and Trusted Types, in Debian's Chromium.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";

import { collectPageErrors, launchChromium } from "../helpers/chromium";
import { startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";

interface CspWindow {
  cspViolations: string[];
  cspResults: { legacy: string[]; typed: string[]; done: boolean };
}

/** The policy of the issue: nothing inline, nothing evaluated. */
function strictPolicy(connectSrc: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `connect-src ${connectSrc}`,
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join("; ");
}

// Answers like the nextAuth server for a session rendered logged out
// where a push login is possible.
function reply(frame: string): string[] {
  const [type, hsid, serverId] = frame.split(" ");
  if (type === "REGISTER") {
    return [`LOGOUT ${hsid} ${serverId}`, `CANPROVOKE ${hsid} ${serverId}`];
  }
  if (type === "PROVOKE") return [`CONFIRMPROVOKE ${hsid} ${serverId}`];
  return [];
}

let browser: Browser;
let server: TestServer;
let context: BrowserContext;
let page: Page;
let errors: string[];
let connectSrc: (server: TestServer) => string;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer({
    reply,
    headers: (path, self): Record<string, string> =>
      path.endsWith(".html")
        ? { "content-security-policy": strictPolicy(connectSrc(self)) }
        : {},
  });
});

afterAll(async () => {
  await server?.close();
  await browser?.close();
});

beforeEach(async () => {
  connectSrc = (self) => self.wsUrl;
  context = await browser.newContext();
  // Installed before any script of the page runs, and outside its CSP.
  await context.addInitScript(() => {
    const page = window as unknown as CspWindow;
    page.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      page.cspViolations.push(
        `${event.effectiveDirective} ${event.blockedURI}`,
      );
    });
  });
  page = await context.newPage();
  errors = collectPageErrors(page);
});

afterEach(async () => {
  await context?.close();
});

/** Waits for `test` in the page; on a timeout, says what the page said. */
async function waitInPage(test: () => boolean): Promise<void> {
  try {
    await page.waitForFunction(test, undefined, { timeout: 5000 });
  } catch (error) {
    // Rethrown with what the page reported, the cause kept in the text.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`${String(error)}\npage errors: ${errors.join("\n")}`);
  }
}

async function violations(): Promise<string[]> {
  // A violation event is queued as a task: let one turn of the loop pass.
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        setTimeout(() => {
          resolve((window as unknown as CspWindow).cspViolations);
        }, 50);
      }),
  );
}

describe("script-tag bundle under a strict CSP", () => {
  it("logs in by push through both APIs with no violation", async () => {
    await page.goto(`${server.origin}/pages/csp.html`);
    await waitInPage(() => (window as unknown as CspWindow).cspResults.done);

    const results = await page.evaluate(
      () => (window as unknown as CspWindow).cspResults,
    );
    expect(results).toEqual({
      legacy: [
        "LOGOUT bGVnYWN5 c2VydmVy",
        "CANPROVOKE bGVnYWN5 c2VydmVy",
        "CONFIRMPROVOKE bGVnYWN5 c2VydmVy",
      ],
      typed: ["canprovoke", "CONFIRMPROVOKE dHlwZWQ c2VydmVy"],
      done: true,
    });
    const byHsid = (hsid: string): string[] =>
      server.received
        .filter(({ frame }) => frame.includes(` ${hsid} `))
        .map(({ frame }) => frame);
    expect(byHsid("bGVnYWN5")).toEqual([
      "REGISTER bGVnYWN5 c2VydmVy",
      "PROVOKE bGVnYWN5 c2VydmVy",
    ]);
    expect(byHsid("dHlwZWQ")).toEqual([
      "REGISTER dHlwZWQ c2VydmVy",
      "PROVOKE dHlwZWQ c2VydmVy",
    ]);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("reports a violation when the policy forbids the socket", async () => {
    // The control: the same page and listeners see a violation when there
    // is one, so an empty list above means something.
    connectSrc = () => "'none'";

    await page.goto(`${server.origin}/pages/csp.html`);
    await waitInPage(
      () => (window as unknown as CspWindow).cspViolations.length > 0,
    );

    expect(await violations()).toContain(`connect-src ${server.wsUrl}`);
    expect(errors.some((error) => /Content Security Policy/.test(error))).toBe(
      true,
    );
  });
});
