/**
 * Hostile or broken frames from a real `ws` server: none may change a
 * session, drop the connection, or reach a handler as a command.
 */
import {
  FakeBrowser,
  TimerCounter,
  Watched,
  expectCleanEnd,
} from "../helpers/fault-harness";
import { TruthServer, waitFor } from "../helpers/truth-server";

const A = {
  serverId: "c2VydmVyLWZyYW1lcy1hbHBoYQ",
  hsid: "aHNpZC1mcmFtZXMtMDEyMzQ1Njc4OQ",
};
const FAST = { minDelayMs: 20, maxDelayMs: 200 };
const MEGABYTE = 1024 * 1024;

let server: TruthServer;
let watched: Watched | undefined;
const timers = new TimerCounter();
const browser = new FakeBrowser();

beforeEach(async () => {
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
});

async function openPage(): Promise<Watched> {
  const sessions = [{ ...A, loggedIn: false }];
  const page = new Watched({ url: server.url, sessions, reconnect: FAST });
  await waitFor(() => page.count("canprovoke") === 1, "open and answered");
  return page;
}

/** Sends a frame that ends the test's batch, and waits for it. */
async function sendMarker(page: Watched): Promise<void> {
  server.sendToAll(`CONFIRMSCAN ${A.hsid} ${A.serverId}`);
  await waitFor(() => page.count("confirmscan") === 1, "the marker");
}

describe("message handling", () => {
  it("fires unknown for garbage, empty, binary and 1 MB frames", async () => {
    watched = await openPage();

    server.sendToAll("garbage !! \u0000 \u{1F600}");
    server.sendToAll("");
    server.sendToAll(Buffer.from([0, 1, 2, 255]), true);
    server.sendToAll("x".repeat(MEGABYTE));
    server.sendToAll(`LOGIN ${"a".repeat(MEGABYTE)} ${A.serverId}`);
    server.sendToAll(`LOGIN${" ".repeat(MEGABYTE)}x`);
    server.sendToAll(`login ${A.hsid} ${A.serverId}`);
    await sendMarker(watched);

    expect(watched.events).toEqual([
      "open",
      "logout",
      "canprovoke",
      "unknown",
      "unknown",
      "unknown:binary",
      "unknown",
      "unknown",
      "unknown",
      "unknown",
      "confirmscan",
    ]);
    expect(watched.instances).toHaveLength(1);
    expect(watched.socket.state).toBe("open");
    await expectCleanEnd(watched, server, [A], timers, browser);
  });

  it("drops commands for sessions it did not register", async () => {
    watched = await openPage();
    const before = watched.socket.sessions;

    server.sendToAll(`LOGIN aG9zdGlsZQ ${A.serverId}`);
    server.sendToAll(`LOGIN ${A.hsid} b3RoZXJzZXJ2ZXI`);
    server.sendToAll(`LOGOUT ${A.serverId} ${A.hsid}`);
    server.sendToAll(`CONFIRMPROVOKE aG9zdGlsZQ b3RoZXJzZXJ2ZXI`);
    await sendMarker(watched);

    expect(watched.events).toEqual([
      "open",
      "logout",
      "canprovoke",
      "confirmscan",
    ]);
    expect(watched.socket.sessions).toBe(before);
    const dropped = watched.logs.filter((line) => line.includes("dropped"));
    expect(dropped).toHaveLength(4);
    await expectCleanEnd(watched, server, [A], timers, browser);
  });

  it("does not let a foreign CONFIRMPROVOKE settle a push", async () => {
    server.confirmProvokes = false;
    watched = await openPage();
    watched.provoke(undefined, undefined, 300);
    await waitFor(() => server.frames("PROVOKE").length === 1, "PROVOKE");

    server.sendToAll(`CONFIRMPROVOKE aG9zdGlsZQ ${A.serverId}`);
    await watched.settled();

    expect(watched.outcomes).toEqual(["rejected:timeout"]);
    await expectCleanEnd(watched, server, [A], timers, browser);
  });

  it("reconnects and resyncs after a text frame of invalid UTF-8", async () => {
    watched = await openPage();

    server.approve(A.serverId, A.hsid, false);
    server.sendToAll(Buffer.from([0x4c, 0xff, 0xfe]));
    await waitFor(() => watched?.count("login+") === 1, "resync");

    expect(watched.events).toEqual([
      "open",
      "logout",
      "canprovoke",
      "close:1006",
      "open",
      "login+",
      "canprovoke",
    ]);
    await expectCleanEnd(watched, server, [A], timers, browser);
  });
});
