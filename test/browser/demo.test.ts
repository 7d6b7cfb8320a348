/**
 * The demo of `npm start` in Debian's Chromium: a demo page and the phone
 * page side by side, driven as a person would. Screenshots of each step
 * go to screenshots/ (git-ignored). Needs dist/ built (`npm test` builds
 * first).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";

import { collectPageErrors, launchChromium } from "../helpers/chromium";

const ROOT = path.resolve(__dirname, "../..");
const SHOTS = path.join(ROOT, "screenshots");

interface DemoWindow {
  cspViolations: string[];
}

let browser: Browser;
let server: ChildProcess;
let base: string;
let context: BrowserContext;
let demo: Page;
let phone: Page;
let errors: string[][];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0" },
  });
  base = await new Promise<string>((resolve, reject) => {
    let output = "";
    server.stdout?.on("data", (chunk: Buffer) => {
      output += String(chunk);
      const match = /Phone +(http:\S+)\/phone\//.exec(output);
      if (match) resolve(match[1]);
    });
    server.stderr?.on("data", (chunk: Buffer) => (output += String(chunk)));
    server.on("exit", () => reject(new Error(`npm start exited:\n${output}`)));
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.on("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 560, height: 640 } });
  await context.addInitScript(() => {
    const page = window as unknown as DemoWindow;
    page.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      page.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  demo = await context.newPage();
  phone = await context.newPage();
  errors = [collectPageErrors(demo), collectPageErrors(phone)];
});

afterEach(async () => {
  const violations = await Promise.all(
    [demo, phone].map((page) =>
      page.evaluate(() => (window as unknown as DemoWindow).cspViolations),
    ),
  );
  await context.close();

  expect(errors.flat()).toEqual([]);
  expect(violations.flat()).toEqual([]);
});

/** Opens a demo and the phone; resolves with the demo's hsid. */
async function openDemo(which: "script-tag" | "spa"): Promise<string> {
  await demo.goto(`${base}/${which}/`);
  await phone.goto(`${base}/phone/`);
  await demo.locator("#push:enabled").waitFor();

  const hsid = await demo.locator("body").getAttribute("data-hsid");
  if (!hsid) throw new Error("the demo page has no data-hsid");
  return hsid;
}

async function seeText(page: Page, selector: string, text: string) {
  await page.locator(selector, { hasText: text }).waitFor();
}

/** Saves the demo and the phone side by side in one picture. */
async function screenshot(name: string): Promise<void> {
  const [left, right] = await Promise.all(
    [demo, phone].map(async (page) =>
      (await page.screenshot()).toString("base64"),
    ),
  );
  const sheet = await context.newPage();
  await sheet.setViewportSize({ width: 1120, height: 640 });
  await sheet.setContent(
    `<body style="margin:0;display:flex">` +
      `<img src="data:image/png;base64,${left}">` +
      `<img src="data:image/png;base64,${right}"></body>`,
  );
  await sheet.screenshot({ path: path.join(SHOTS, `demo-${name}.png`) });
  await sheet.close();
}

describe("script-tag demo with the phone", () => {
  it("logs in after a push the phone approves, and logs out", async () => {
    const hsid = await openDemo("script-tag");
    await screenshot("1-ready");

    await demo.click("#push");
    await seeText(demo, "#message", "Check your phone");
    const push = phone.locator(`#pushes li[data-hsid="${hsid}"]`);
    await push.waitFor();
    await screenshot("2-push-waiting");
    await push.locator("button.approve").click();

    await demo.locator("#logged-in").waitFor();
    expect(await demo.locator("body").getAttribute("data-view")).toBe(
      "logged-in",
    );
    await screenshot("3-approved-logged-in");

    await demo.click("#logout");
    await seeText(demo, "#message", "You are logged out.");
    await demo.locator("#push:enabled").waitFor();
  });

  it("shows cancelled after a push the phone denies", async () => {
    const hsid = await openDemo("script-tag");

    await demo.click("#push");
    await seeText(demo, "#message", "Check your phone");
    await phone.locator(`#pushes li[data-hsid="${hsid}"] button.deny`).click();

    await seeText(demo, "#message", "Cancelled on the phone.");
    await demo.locator("#push:enabled").waitFor();
    expect(await demo.locator("#logged-out").isVisible()).toBe(true);
    await screenshot("4-denied-cancelled");
  });

  it("logs in after the phone scans and approves", async () => {
    const hsid = await openDemo("script-tag");
    const row = phone.locator(`#sessions li[data-hsid="${hsid}"]`);

    await row.locator("button.scan").click();
    await seeText(demo, "#message", "QR code scanned");
    await screenshot("5-scanned");
    await row.locator("button.approve").click();

    await demo.locator("#logged-in").waitFor();
    await screenshot("6-scan-approved-logged-in");
  });

  it("says so when the phone holds no account", async () => {
    const hsid = await openDemo("script-tag");

    await phone
      .locator(`#sessions li[data-hsid="${hsid}"] button.noaccounts`)
      .click();

    await seeText(demo, "#message", "no account for this site");
  });
});

describe("SPA demo with the phone", () => {
  it("logs in after a push the phone approves", async () => {
    const hsid = await openDemo("spa");

    await demo.click("#push");
    await seeText(demo, "#message", "Check your phone");
    await phone
      .locator(`#pushes li[data-hsid="${hsid}"] button.approve`)
      .click();

    await demo.locator("#logged-in").waitFor();
    await screenshot("7-spa-logged-in");
  });
});
