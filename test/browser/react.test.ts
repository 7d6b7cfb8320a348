/**
 * examples/react in Debian's Chromium: the panel follows the socket
 * through useSyncExternalStore(socket.subscribe, socket.getSnapshot).
 * A ws server on 127.0.0.1 port 0 serves the page and plays nextAuth.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import type { Browser, Page } from "playwright-core";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";

import { collectPageErrors, launchChromium } from "../helpers/chromium";

const ROOT = join(__dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "react");
const APP = join(EXAMPLE, "dist", "app.js");
const serverId = "c2VydmVy";
const hsid = "aHNpZA";

/**
 * Builds the example when its bundle is missing, or was built from other
 * inputs: `npm run build` rewrites dist/index.mjs on every run, so the
 * inputs are compared by content, not by date.
 */
function buildExampleIfNeeded(): void {
  const library = join(ROOT, "dist", "index.mjs");
  if (!existsSync(library)) {
    throw new Error(`${library} is missing: run \`npm run build\` first`);
  }

  const inputs = ["useNextAuth.ts", "LoginPanel.tsx", "main.tsx"]
    .map((file) => join(EXAMPLE, "src", file))
    .concat(join(EXAMPLE, "rollup.config.mjs"), library);
  const hash = createHash("sha256");
  for (const file of inputs) hash.update(readFileSync(file));
  const digest = hash.digest("hex");
  const stamp = join(EXAMPLE, "dist", ".inputs-sha256");
  if (existsSync(APP) && existsSync(stamp)) {
    if (readFileSync(stamp, "utf8") === digest) return;
  }

  const rollup = join(ROOT, "node_modules", "rollup", "dist", "bin", "rollup");
  const build = spawnSync(process.execPath, [rollup, "-c"], {
    cwd: EXAMPLE,
    encoding: "utf8",
  });
  if (build.status !== 0) {
    throw new Error(`building examples/react failed:\n${build.stderr}`);
  }
  writeFileSync(stamp, digest);
}

interface FakeNextAuth {
  origin: string;
  received: string[];
  sockets: Set<WebSocket>;
  send(type: string): void;
  /** Resolves once `frame` has been received. */
  waitForFrame(frame: string): Promise<void>;
  close(): Promise<void>;
}

/** Serves the example and /demo-config; answers like nextAuth. */
async function startServer(): Promise<FakeNextAuth> {
  const received: string[] = [];
  const sockets = new Set<WebSocket>();
  const waiters = new Map<string, () => void>();
  let wsUrl = "";
  const http: Server = createServer((request, response) => {
    const path = request.url?.split("?")[0] ?? "/";
    const files: Record<string, [string, string]> = {
      "/": [join(EXAMPLE, "index.html"), "text/html"],
      "/dist/app.js": [APP, "text/javascript"],
      "/dist/app.js.map": [`${APP}.map`, "application/json"],
    };
    if (path === "/demo-config") {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ serverId, hsid, loggedIn: false, wsUrl }));
      return;
    }
    const file = files[path];
    if (!file) {
      response.statusCode = 404;
      response.end();
      return;
    }

    response.setHeader("content-type", `${file[1]}; charset=utf-8`);
    response.end(readFileSync(file[0]));
  });
  const wss = new WebSocketServer({ server: http, path: "/ws" });
  const send = (type: string): void => {
    for (const ws of sockets) ws.send(`${type} ${hsid} ${serverId}`);
  };
  wss.on("connection", (ws) => {
    sockets.add(ws);
    ws.on("close", () => sockets.delete(ws));
    ws.on("message", (data) => {
      const frame = String(data);
      received.push(frame);
      waiters.get(frame)?.();
      const [type] = frame.split(" ");
      if (type === "REGISTER") {
        ws.send(`LOGOUT ${hsid} ${serverId}`);
        ws.send(`CANPROVOKE ${hsid} ${serverId}`);
      } else if (type === "LOGOUT") send("LOGOUT");
    });
  });

  await new Promise<void>((resolve) => {
    http.listen(0, "127.0.0.1", resolve);
  });
  const { port } = http.address() as AddressInfo;
  wsUrl = `ws://127.0.0.1:${port}/ws`;

  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    sockets,
    send,
    waitForFrame(frame) {
      if (received.includes(frame)) return Promise.resolve();
      return new Promise((resolve) => waiters.set(frame, resolve));
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

let browser: Browser;
let server: FakeNextAuth;
let page: Page;
let errors: string[];

beforeAll(async () => {
  buildExampleIfNeeded();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  server = await startServer();
  page = await browser.newPage();
  errors = collectPageErrors(page);
});

afterEach(async () => {
  await page.close();
  await server.close();

  expect(errors).toEqual([]);
});

async function seeText(selector: string, text: string): Promise<void> {
  await page.locator(selector, { hasText: text }).waitFor();
}

describe("the React example", () => {
  it("renders the status REGISTER gets, then enables push", async () => {
    await page.goto(`${server.origin}/`);

    await seeText("#state", "Connected to nextAuth.");
    await seeText("#session", "You are logged out.");
    await page.locator("#push:enabled").waitFor();
    expect(server.received).toEqual([`REGISTER ${hsid} ${serverId}`]);
  });

  it("logs in after CONFIRMPROVOKE and LOGIN, and logs out", async () => {
    await page.goto(`${server.origin}/`);
    await page.locator("#push:enabled").waitFor();

    await page.click("#push");
    await server.waitForFrame(`PROVOKE ${hsid} ${serverId}`);
    server.send("CONFIRMPROVOKE");
    await seeText("#message", "Check your phone.");
    server.send("LOGIN");
    await seeText("#session", "You are logged in.");
    await page.click("#logout");
    await seeText("#session", "You are logged out.");

    expect(server.received).toEqual([
      `REGISTER ${hsid} ${serverId}`,
      `PROVOKE ${hsid} ${serverId}`,
      `LOGOUT ${hsid} ${serverId}`,
    ]);
    expect(await page.locator("#session").getAttribute("data-logged-in")).toBe(
      "false",
    );
  });

  it("shows the connection lost, then back", async () => {
    await page.goto(`${server.origin}/`);
    await seeText("#state", "Connected to nextAuth.");

    for (const ws of server.sockets) ws.terminate();
    await seeText("#state", "Connection lost; reconnecting…");
    await seeText("#state", "Connected to nextAuth.");

    expect(server.received).toEqual([
      `REGISTER ${hsid} ${serverId}`,
      `REGISTER ${hsid} ${serverId}`,
    ]);
  });
});
