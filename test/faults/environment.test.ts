/**
 * What the page's environment does to the socket, with fake timers and a
 * fake window and document, against a real `ws` server: `online`,
 * `offline`, hidden and visible, and a machine that sleeps (a timer that
 * fires far later than asked). The browser version of these is
 * test/browser/faults.test.ts.
 */
import { SLEEP_THRESHOLD_MS } from "../../src";
import {
  FakeBrowser,
  TimerCounter,
  Watched,
  expectCleanEnd,
} from "../helpers/fault-harness";
import { TruthServer, waitFor } from "../helpers/truth-server";

const A = {
  serverId: "c2VydmVyLWVudmlyb25tZW50",
  hsid: "aHNpZC1lbnZpcm9ubWVudC0wMTIzNDU",
};
const SESSIONS = [{ ...A, loggedIn: false }];
// One fixed delay, so that only the event under test can explain an
// early reconnect.
const SLOW = { minDelayMs: 60_000, maxDelayMs: 60_000 };
const KEEP_ALIVE_MS = 50_000;

let server: TruthServer;
let watched: Watched | undefined;
const timers = new TimerCounter();
const browser = new FakeBrowser();

beforeEach(async () => {
  jest.useFakeTimers({
    doNotFake: [
      "nextTick",
      "setImmediate",
      "clearImmediate",
      "queueMicrotask",
      "hrtime",
      "performance",
    ],
  });
  timers.install();
  browser.install();
  server = await TruthServer.start();
  server.set(A.serverId, A.hsid, { canProvoke: true });
  watched = undefined;
});

afterEach(async () => {
  watched?.socket.close();
  await server.stop();
  browser.uninstall();
  timers.uninstall();
  jest.useRealTimers();
});

async function openPage(keepAliveMs = 0): Promise<Watched> {
  const page = new Watched({
    url: server.url,
    sessions: SESSIONS,
    reconnect: SLOW,
    keepAliveMs,
  });
  await waitFor(() => page.count("canprovoke") === 1, "open and answered");
  return page;
}

/** Drops the page's connection and approves while it is down. */
async function dropAndApprove(page: Watched): Promise<void> {
  server.terminate();
  await waitFor(() => page.socket.state === "reconnecting", "the drop");
  server.approve(A.serverId, A.hsid);
}

const RESYNCED = [
  "open",
  "logout",
  "canprovoke",
  "close:1006",
  "open",
  "login+",
  "canprovoke",
];

describe("online event", () => {
  it("reconnects at once instead of waiting for the backoff", async () => {
    watched = await openPage();
    await dropAndApprove(watched);
    jest.advanceTimersByTime(SLOW.minDelayMs - 1);
    expect(watched.instances.length).toBe(1);

    browser.goOnline();

    expect(watched.instances.length).toBe(2);
    await waitFor(() => watched?.count("login+") === 1, "LOGIN");
    expect(watched.events).toEqual(RESYNCED);
    await expectCleanEnd(watched, server, SESSIONS, timers, browser);
  });

  it("does nothing while the socket is open, nor on offline", async () => {
    watched = await openPage();

    browser.goOnline();
    browser.window.dispatchEvent(new Event("offline"));

    expect(watched.instances.length).toBe(1);
    expect(watched.socket.state).toBe("open");
    await expectCleanEnd(watched, server, SESSIONS, timers, browser);
  });
});

describe("visibilitychange", () => {
  it("reconnects when the page becomes visible, not when hidden", async () => {
    watched = await openPage();
    await dropAndApprove(watched);

    browser.setVisibility("hidden");
    jest.advanceTimersByTime(SLOW.minDelayMs - 1);
    expect(watched.instances.length).toBe(1);
    browser.setVisibility("visible");

    expect(watched.instances.length).toBe(2);
    await waitFor(() => watched?.count("login+") === 1, "LOGIN");
    expect(watched.events).toEqual(RESYNCED);
    await expectCleanEnd(watched, server, SESSIONS, timers, browser);
  });

  it("leaves an open socket alone", async () => {
    watched = await openPage();

    browser.setVisibility("hidden");
    browser.setVisibility("visible");

    expect(watched.instances.length).toBe(1);
    await expectCleanEnd(watched, server, SESSIONS, timers, browser);
  });
});

describe("machine sleep", () => {
  it("reconnects when the keep-alive fires long after its time", async () => {
    watched = await openPage(KEEP_ALIVE_MS);
    // The connection died during the sleep without either side knowing:
    // the approval never reaches the page on it.
    server.approve(A.serverId, A.hsid, false);
    jest.setSystemTime(Date.now() + SLEEP_THRESHOLD_MS + 1);

    jest.advanceTimersByTime(KEEP_ALIVE_MS - 1);
    expect(watched.instances.length).toBe(1);
    jest.advanceTimersByTime(1);
    expect(watched.instances.length).toBe(2);

    await waitFor(() => watched?.count("login+") === 1, "LOGIN");
    expect(server.frames("PING")).toEqual([]);
    expect(watched.events).toEqual([
      "open",
      "logout",
      "canprovoke",
      "close:1000",
      "open",
      "login+",
      "canprovoke",
    ]);
    await expectCleanEnd(watched, server, SESSIONS, timers, browser);
  });

  it("pings for a keep-alive late by exactly the threshold", async () => {
    watched = await openPage(KEEP_ALIVE_MS);
    jest.setSystemTime(Date.now() + SLEEP_THRESHOLD_MS);

    const pings = () =>
      watched?.logs.filter((line) => line.endsWith("sent PING")).length;
    jest.advanceTimersByTime(KEEP_ALIVE_MS - 1);
    expect(pings()).toBe(0);
    jest.advanceTimersByTime(1);
    expect(pings()).toBe(1);

    await waitFor(() => server.frames("PING").length === 1, "PING");
    expect(watched.instances.length).toBe(1);
    await expectCleanEnd(watched, server, SESSIONS, timers, browser);
  });
});
