/**
 * The faults that need a real browser, in Debian's Chromium: the network
 * going offline and back (`context.setOffline`), a page hidden and shown,
 * and a machine that sleeps (Playwright's clock jumping forward, so that
 * the keep-alive timer fires long after its time). The page loads
 * dist/nextauth-ws.min.js by a plain script tag; the server is the
 * fault tests' TruthServer.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";

import { collectPageErrors, launchChromium } from "../helpers/chromium";
import { TruthServer, sleep, waitFor } from "../helpers/truth-server";

const A = {
  serverId: "c2VydmVyLWJyb3dzZXItZmF1bHRz",
  hsid: "aHNpZC1icm93c2VyLWZhdWx0cy0wMTIz",
};
const BUNDLE = join(__dirname, "../../dist/nextauth-ws.min.js");
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>faults</title>
<script src="/nextauth-ws.min.js"></script>
`;
const SLEEP_THRESHOLD_MS = 90_000;

/** What the page exposes to the test, set up by the init script. */
interface ProbeWindow {
  probe: {
    events: string[];
    timers(): number;
    listeners(): number;
  };
  socket: {
    state: string;
    close(): void;
    sessions: readonly { loggedIn?: boolean; canProvoke: boolean }[];
  };
}

/**
 * Runs before the bundle: counts the bundle's pending timers and the
 * listeners on `window` and `document`, so that the test can check what close()
 * leaves behind.
 */
function installProbe(): void {
  const scope = window as unknown as ProbeWindow & Window;
  const pending = new Set<number>();
  const realSet = window.setTimeout.bind(window);
  const realClear = window.clearTimeout.bind(window);
  // Only the bundle's timers: Playwright's clock keeps its own.
  const wrappedSet = (handler: () => void, delayMs?: number): number => {
    const fromBundle = (new Error().stack ?? "").includes("nextauth-ws");
    const id: number = realSet(() => {
      pending.delete(id);
      handler();
    }, delayMs);
    if (fromBundle) pending.add(id);
    return id;
  };
  window.setTimeout = wrappedSet as typeof window.setTimeout;
  window.clearTimeout = ((id?: number) => {
    if (id !== undefined) pending.delete(id);
    realClear(id);
  }) as typeof window.clearTimeout;

  const listeners = new Set<string>();
  let next = 0;
  const ids = new WeakMap<object, number>();
  for (const target of [window, document] as EventTarget[]) {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    const key = (type: string, listener: unknown) => {
      const fn = listener as object;
      if (!ids.has(fn)) ids.set(fn, (next += 1));
      const where = target === window ? "window" : "document";
      return `${where} ${type} ${ids.get(fn)}`;
    };
    target.addEventListener = (type: string, listener: never) => {
      listeners.add(key(type, listener));
      add(type, listener);
    };
    target.removeEventListener = (type: string, listener: never) => {
      listeners.delete(key(type, listener));
      remove(type, listener);
    };
  }

  scope.probe = {
    events: [],
    timers: () => pending.size,
    listeners: () => listeners.size,
  };
}

let browser: Browser;
let http: Server;
let origin: string;
let server: TruthServer;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  const bundle = readFileSync(BUNDLE);
  http = createServer((request, response) => {
    if (request.url === "/nextauth-ws.min.js") {
      response.writeHead(200, { "content-type": "text/javascript" });
      response.end(bundle);
    } else {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(PAGE);
    }
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await browser?.close();
});

beforeEach(async () => {
  server = await TruthServer.start();
  server.set(A.serverId, A.hsid, { canProvoke: true });
  context = await browser.newContext();
  page = await context.newPage();
  errors = collectPageErrors(page);
});

afterEach(async () => {
  await context.close();
  await server.stop();
});

/** Opens the page and its socket, and waits for the server's answers. */
async function openPage(options: Record<string, unknown>): Promise<void> {
  // Added here, after any clock: it must wrap the clock's timers.
  await page.addInitScript(installProbe);
  await page.goto(`${origin}/`);
  await page.evaluate(
    ({ url, session, options }) => {
      const scope = window as unknown as ProbeWindow & {
        NextAuthWS: {
          NextAuthSocket: new (
            options: unknown,
          ) => ProbeWindow["socket"] & EventTarget;
        };
      };
      const socket = new scope.NextAuthWS.NextAuthSocket({
        url,
        sessions: { ...session, loggedIn: false },
        ...options,
      });
      const { events } = scope.probe;
      for (const type of ["login", "logout", "canprovoke"]) {
        socket.addEventListener(type, (event) => {
          const changed = (event as Event & { changed: boolean }).changed;
          events.push(`${type}${changed ? "+" : ""}`);
        });
      }
      socket.addEventListener("open", () => events.push("open"));
      socket.addEventListener("close", (event) => {
        events.push(`close:${(event as Event & { code: number }).code}`);
      });
      scope.socket = socket;
    },
    { url: server.url, session: A, options },
  );
  await waitForEvents((events) => events.includes("canprovoke"));

  // The probe sees the socket's keep-alive timer and its two listeners,
  // so that the zeros after close() mean something.
  const probe = await page.evaluate(() => {
    const { timers, listeners } = (window as unknown as ProbeWindow).probe;
    return { timers: timers(), listeners: listeners() };
  });
  expect(probe).toEqual({ timers: 1, listeners: 2 });
}

async function events(): Promise<string[]> {
  return page.evaluate(() => (window as unknown as ProbeWindow).probe.events);
}

async function waitForEvents(
  predicate: (events: string[]) => boolean,
): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const seen = await events();
    if (predicate(seen)) return seen;
    if (Date.now() > deadline) throw new Error(`page events: ${seen}`);
    await sleep(20);
  }
}

async function state(): Promise<string> {
  return page.evaluate(() => (window as unknown as ProbeWindow).socket.state);
}

/** The page knows what the server knows; close() leaves nothing. */
async function expectCleanEnd(): Promise<void> {
  const sessions = await page.evaluate(() =>
    (window as unknown as ProbeWindow).socket.sessions.map((session) => ({
      loggedIn: session.loggedIn,
      canProvoke: session.canProvoke,
    })),
  );
  expect(sessions).toEqual([server.truth(A.serverId, A.hsid)]);

  const left = await page.evaluate(() => {
    const scope = window as unknown as ProbeWindow;
    scope.socket.close();
    return {
      state: scope.socket.state,
      timers: scope.probe.timers(),
      listeners: scope.probe.listeners(),
    };
  });
  expect(left).toEqual({ state: "closed", timers: 0, listeners: 0 });
  const attempts = server.attempts;
  await sleep(100);
  expect(server.attempts).toBe(attempts);
  expect(errors).toEqual([]);
}

// One fixed delay, so that only the event under test can explain a
// reconnect within the test's time.
const SLOW = { reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000 } };
const RESYNCED = [
  "open",
  "logout",
  "canprovoke",
  "close:1006",
  "open",
  "login+",
  "canprovoke",
];

describe("offline and online", () => {
  it("reconnects as soon as the browser is back online", async () => {
    await openPage(SLOW);

    await context.setOffline(true);
    // Whether Chromium ends the socket itself when going offline varies:
    // the server drops it too, as a real network loss would.
    server.terminate();
    await waitFor(() => server.clients === 0, "the drop");
    await waitForEvents((seen) => seen.includes("close:1006"));
    expect(await state()).toBe("reconnecting");
    server.approve(A.serverId, A.hsid);
    const attempts = server.attempts;
    await sleep(200);
    expect(server.attempts).toBe(attempts);

    await context.setOffline(false);

    // CANPROVOKE follows LOGIN: wait for the whole sequence, or the
    // comparison races the last frame.
    expect(
      await waitForEvents((seen) => seen.length >= RESYNCED.length),
    ).toEqual(RESYNCED);
    await expectCleanEnd();
  });
});

describe("hidden and visible", () => {
  it("reconnects when the page is shown again, not while hidden", async () => {
    await openPage(SLOW);
    const setVisibility = (visibility: string) =>
      page.evaluate((value) => {
        Object.defineProperty(document, "visibilityState", {
          configurable: true,
          get: () => value,
        });
        document.dispatchEvent(new Event("visibilitychange"));
      }, visibility);

    server.terminate();
    await waitForEvents((seen) => seen.includes("close:1006"));
    server.approve(A.serverId, A.hsid);
    await setVisibility("hidden");
    const attempts = server.attempts;
    await sleep(200);
    expect(server.attempts).toBe(attempts);

    await setVisibility("visible");

    // CANPROVOKE follows LOGIN: wait for the whole sequence, or the
    // comparison races the last frame.
    expect(
      await waitForEvents((seen) => seen.length >= RESYNCED.length),
    ).toEqual(RESYNCED);
    await expectCleanEnd();
  });
});

describe("machine sleep", () => {
  it("reconnects when the keep-alive fires long after its time", async () => {
    await page.clock.install();
    await openPage({ ...SLOW, keepAliveMs: 50_000 });
    // The connection died during the sleep without either side knowing.
    server.approve(A.serverId, A.hsid, false);

    await page.clock.fastForward(50_000 + SLEEP_THRESHOLD_MS + 1);

    expect(await waitForEvents((seen) => seen.length >= 7)).toEqual([
      "open",
      "logout",
      "canprovoke",
      "close:1000",
      "open",
      "login+",
      "canprovoke",
    ]);
    expect(server.frames("PING")).toEqual([]);
    await expectCleanEnd();
  });
});
