/**
 * Faults of the connection, against a real `ws` server: drops, outages,
 * refusals, closes at awkward moments. Every scenario ends with the
 * checks of expectCleanEnd.
 */
import {
  FakeBrowser,
  TimerCounter,
  Watched,
  expectCleanEnd,
} from "../helpers/fault-harness";
import { TruthServer, sleep, waitFor } from "../helpers/truth-server";

const A = {
  serverId: "c2VydmVyLWZhdWx0cy1hbHBoYQ",
  hsid: "aHNpZC1hbHBoYS0wMTIzNDU2Nzg5",
};
const B = {
  serverId: "c2VydmVyLWZhdWx0cy1icmF2bw",
  hsid: "aHNpZC1icmF2by05ODc2NTQzMjEw",
};
const FAST = { minDelayMs: 20, maxDelayMs: 200 };

/** Figures for RELIABILITY.md, printed when FIGURES is set. */
function figure(name: string, value: number | string): void {
  if (process.env.FIGURES) process.stdout.write(`FIGURE ${name}: ${value}\n`);
}

/** The events with repeats in a row collapsed: retries vary in number. */
function collapsed(events: string[]): string[] {
  return events.filter((event, index) => event !== events[index - 1]);
}

let server: TruthServer;
let watched: Watched | undefined;
const timers = new TimerCounter();
const browser = new FakeBrowser();

beforeEach(async () => {
  timers.install();
  browser.install();
  server = await TruthServer.start();
  watched = undefined;
});

afterEach(async () => {
  watched?.socket.close();
  await server.stop();
  browser.uninstall();
  timers.uninstall();
});

function registered(count: number): () => boolean {
  return () => server.frames("REGISTER").length >= count;
}

describe("the checks themselves", () => {
  it("see the timers and listeners of an open socket", async () => {
    const sessions = [{ ...A }];
    watched = new Watched({ url: server.url, sessions, reconnect: FAST });
    await waitFor(() => watched?.count("logout") === 1, "open");

    // keep-alive; online and visibilitychange
    expect(timers.pending).toBe(1);
    expect(browser.listeners).toBe(2);
    watched.provoke();
    expect(timers.pending).toBe(2);
  });
});

describe("abrupt terminate", () => {
  it("recovers from twenty drops in a row and settles every push", async () => {
    server.set(A.serverId, A.hsid, { canProvoke: true });
    server.set(B.serverId, B.hsid, { loggedIn: true, canProvoke: true });
    const sessions = [
      { ...A, loggedIn: false },
      { ...B, loggedIn: true },
    ];
    watched = new Watched({ url: server.url, sessions, reconnect: FAST });

    let provokes = 0;
    for (let drop = 0; drop < 20; drop += 1) {
      await waitFor(registered(2 * (drop + 1)), `open number ${drop + 1}`);
      if (drop % 3 === 0) {
        watched.provoke(A.serverId, A.hsid);
        provokes += 1;
      }
      server.terminate();
      if (drop === 12) server.approve(A.serverId, A.hsid);
      if (drop % 4 === 1) {
        // Made while the page does not know yet, or already knows, that
        // the connection is gone.
        watched.provoke(B.serverId, B.hsid);
        provokes += 1;
      }
    }
    await waitFor(registered(42), "the last open");
    watched.provoke(A.serverId, A.hsid);
    await watched.settled();

    expect(watched.count("open")).toBe(21);
    expect(watched.instances).toHaveLength(21);
    expect(watched.count("login+")).toBe(1);
    expect(server.frames("PROVOKE").length).toBeLessThanOrEqual(provokes + 1);
    expect(watched.outcomes.at(-1)).toBe("confirmed");
    figure("terminate x20 outcomes", watched.outcomes.join(" "));
    await expectCleanEnd(watched, server, sessions, timers, browser);
  });
});

describe("server outage", () => {
  it("retries at a bounded pace for 10 s and resyncs", async () => {
    server.set(A.serverId, A.hsid, { canProvoke: true });
    const sessions = [{ ...A, loggedIn: false }];
    const reconnect = { minDelayMs: 50, maxDelayMs: 500 };
    watched = new Watched({ url: server.url, sessions, reconnect });
    await waitFor(registered(1), "the first open");
    await waitFor(() => watched?.count("canprovoke") === 1, "CANPROVOKE");

    await server.stop();
    const stoppedAt = performance.now();
    await waitFor(() => watched?.socket.state === "reconnecting", "the drop");
    server.approve(A.serverId, A.hsid);
    watched.provoke();
    await sleep(10_000);
    const attempts = watched.instances.length - 1;

    const backAt = performance.now();
    await server.restart();
    await waitFor(() => watched?.count("confirmprovoke") === 1, "resync");
    const recoveryMs = Math.round(performance.now() - backAt);

    // Never faster than the floor, and not given up.
    const outageMs = backAt - stoppedAt;
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(outageMs / reconnect.minDelayMs + 1);
    expect(server.frames("PROVOKE")).toHaveLength(1);
    expect(watched.outcomes).toEqual(["confirmed"]);
    expect(collapsed(watched.events)).toEqual([
      "open",
      "logout",
      "canprovoke",
      "close:1006",
      "open",
      "login+",
      "canprovoke",
      "confirmprovoke",
    ]);
    figure("outage ms", Math.round(outageMs));
    figure("outage attempts", attempts);
    figure("outage recovery ms", recoveryMs);
    await expectCleanEnd(watched, server, sessions, timers, browser);
  }, 30_000);
});

describe("refused connections", () => {
  it("connects once a server that was not listening starts", async () => {
    server.set(A.serverId, A.hsid, { loggedIn: true, canProvoke: true });
    await server.stop();
    const sessions = [{ ...A, loggedIn: false }];
    watched = new Watched({ url: server.url, sessions, reconnect: FAST });
    watched.provoke();
    await waitFor(() => (watched?.instances.length ?? 0) >= 3, "3 refusals");

    await server.restart();
    await waitFor(() => watched?.count("confirmprovoke") === 1, "open");

    expect(watched.outcomes).toEqual(["confirmed"]);
    expect(collapsed(watched.events)).toEqual([
      "close:1006",
      "open",
      "login+",
      "canprovoke",
      "confirmprovoke",
    ]);
    await expectCleanEnd(watched, server, sessions, timers, browser);
  });

  it("keeps trying through handshakes refused with HTTP 403", async () => {
    server.mode = "refuse";
    const sessions = [{ ...A }];
    watched = new Watched({ url: server.url, sessions, reconnect: FAST });
    await waitFor(() => server.attempts >= 3, "3 refused handshakes");

    server.mode = "accept";
    await waitFor(() => watched?.count("logout") === 1, "open");

    expect(collapsed(watched.events)).toEqual(["close:1006", "open", "logout"]);
    await expectCleanEnd(watched, server, sessions, timers, browser);
  });

  it("ends at the first refusal with reconnect off", async () => {
    await server.stop();
    const sessions = [{ ...A, loggedIn: false }];
    watched = new Watched({ url: server.url, sessions, reconnect: false });
    watched.provoke();
    await waitFor(() => watched?.socket.state === "closed", "the end");

    await watched.settled();
    expect(watched.outcomes).toEqual(["rejected:closed"]);
    expect(watched.events).toEqual(["close:1006"]);
    expect(timers.pending).toBe(0);
    expect(browser.listeners).toBe(0);
    await sleep(100);
    expect(watched.instances).toHaveLength(1);
  });
});

describe("close", () => {
  it("leaves nothing behind when called while connecting", async () => {
    server.mode = "hold";
    const sessions = [{ ...A, loggedIn: false }];
    watched = new Watched({ url: server.url, sessions, reconnect: FAST });
    await waitFor(() => server.attempts === 1, "the held handshake");
    expect(watched.socket.state).toBe("connecting");
    watched.provoke();

    watched.socket.close();

    await watched.settled();
    expect(watched.outcomes).toEqual(["rejected:closed"]);
    expect(watched.events).toEqual(["close:1000"]);
    await expectCleanEnd(watched, server, sessions, timers, browser);
    expect(server.attempts).toBe(1);
  });

  it("rejects a push on its way with closed", async () => {
    server.set(A.serverId, A.hsid, { canProvoke: true });
    server.confirmProvokes = false;
    const sessions = [{ ...A, loggedIn: false }];
    watched = new Watched({ url: server.url, sessions, reconnect: FAST });
    await waitFor(() => watched?.count("canprovoke") === 1, "CANPROVOKE");
    watched.provoke();
    await waitFor(() => server.frames("PROVOKE").length === 1, "PROVOKE");

    watched.socket.close();

    await watched.settled();
    expect(watched.outcomes).toEqual(["rejected:closed"]);
    await expectCleanEnd(watched, server, sessions, timers, browser);
  });
});

describe("connect timeout", () => {
  it("drops a handshake that never completes and tries again", async () => {
    server.mode = "hold";
    const sessions = [{ ...A, loggedIn: false }];
    watched = new Watched({
      url: server.url,
      sessions,
      reconnect: FAST,
      connectTimeoutMs: 300,
    });
    await waitFor(() => server.attempts === 1, "the held handshake");
    await waitFor(() => watched?.count("close:1006") === 1, "the timeout");

    server.mode = "accept";
    await waitFor(() => watched?.count("logout") === 1, "open");

    expect(watched.logs).toContain(
      "warn [nextauth-ws] connection did not open in time; retrying",
    );
    expect(watched.events).toEqual(["close:1006", "open", "logout"]);
    await expectCleanEnd(watched, server, sessions, timers, browser);
  });
});

describe("drop during a push", () => {
  it("rejects with closed and never sends the PROVOKE again", async () => {
    server.set(A.serverId, A.hsid, { canProvoke: true });
    server.confirmProvokes = false;
    const sessions = [{ ...A, loggedIn: false }];
    watched = new Watched({ url: server.url, sessions, reconnect: FAST });
    watched.provoke();
    await waitFor(() => server.frames("PROVOKE").length === 1, "PROVOKE");

    server.confirmProvokes = true;
    server.terminate();
    await waitFor(registered(2), "the reconnect");
    watched.socket.send("PING");
    await waitFor(() => server.frames("PING").length === 1, "the marker");

    await watched.settled();
    expect(watched.outcomes).toEqual(["rejected:closed"]);
    expect(server.frames("PROVOKE")).toHaveLength(1);
    await expectCleanEnd(watched, server, sessions, timers, browser);
  });
});

describe("approval while disconnected", () => {
  it("learns LOGIN, as changed, after it reconnects", async () => {
    server.set(A.serverId, A.hsid, { canProvoke: true });
    const sessions = [{ ...A, loggedIn: false }];
    watched = new Watched({ url: server.url, sessions, reconnect: FAST });
    await waitFor(() => watched?.count("canprovoke") === 1, "CANPROVOKE");

    await server.stop();
    await waitFor(() => watched?.socket.state === "reconnecting", "the drop");
    server.approve(A.serverId, A.hsid);
    await sleep(100);
    await server.restart();
    await waitFor(() => watched?.count("login+") === 1, "LOGIN");

    expect(collapsed(watched.events)).toEqual([
      "open",
      "logout",
      "canprovoke",
      "close:1006",
      "open",
      "login+",
      "canprovoke",
    ]);
    expect(watched.socket.sessions[0].loggedIn).toBe(true);
    await expectCleanEnd(watched, server, sessions, timers, browser);
  });
});
