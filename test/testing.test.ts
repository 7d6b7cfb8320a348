/**
 * nextauth-ws/testing, used the way a site's own test suite would: both
 * packages imported by name (they resolve to the built dist/), a page's
 * socket against the fake server, the phone scripted step by step.
 */
import { NextAuthSocket } from "nextauth-ws";
import type { CommandEvent, NextAuthSocketEventMap } from "nextauth-ws";
import { createFakeNextAuth } from "nextauth-ws/testing";
import type { FakeNextAuth } from "nextauth-ws/testing";

const serverId = "c2VydmVy";
const hsid = "aHNpZA";
const otherHsid = "b3RoZXI";

let server: FakeNextAuth;
const sockets: NextAuthSocket[] = [];

function openPage(
  loggedIn: boolean | undefined,
  ids = { serverId, hsid },
): NextAuthSocket {
  const socket = new NextAuthSocket({
    url: server.url,
    WebSocket: server.WebSocket,
    sessions: { ...ids, loggedIn },
    reconnect: { minDelayMs: 1, maxDelayMs: 1 },
  });
  sockets.push(socket);
  return socket;
}

const COMMAND_EVENTS = [
  "login",
  "logout",
  "canprovoke",
  "confirmprovoke",
  "confirmscan",
  "cancel",
  "noaccounts",
] as const;

/** Records every command event as "type hsid changed?". */
function record(socket: NextAuthSocket): string[] {
  const seen: string[] = [];
  for (const type of COMMAND_EVENTS) {
    socket.addEventListener(type, (event: CommandEvent) => {
      seen.push(`${type} ${event.hsid}${event.changed ? " changed" : ""}`);
    });
  }
  return seen;
}

function next<K extends keyof NextAuthSocketEventMap>(
  socket: NextAuthSocket,
  type: K,
): Promise<NextAuthSocketEventMap[K]> {
  return new Promise((resolve) => {
    socket.addEventListener(type, resolve, { once: true });
  });
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await server.close();
});

describe("createFakeNextAuth", () => {
  it("answers REGISTER with LOGOUT then CANPROVOKE", async () => {
    server = createFakeNextAuth({
      sessions: { serverId, hsid, canProvoke: true },
    });
    const socket = openPage(false);
    const seen = record(socket);

    await next(socket, "canprovoke");

    expect(seen).toEqual([`logout ${hsid}`, `canprovoke ${hsid}`]);
    expect(server.received).toEqual([`REGISTER ${hsid} ${serverId}`]);
    expect(socket.sessions[0]).toMatchObject({
      loggedIn: false,
      canProvoke: true,
    });
  });

  it("answers LOGIN to a page rendered logged out as a change", async () => {
    server = createFakeNextAuth({
      sessions: { serverId, hsid, loggedIn: true },
    });
    const socket = openPage(false);
    const seen = record(socket);

    await next(socket, "login");

    expect(seen).toEqual([`login ${hsid} changed`]);
  });

  it("answers a session it was not told about with LOGOUT", async () => {
    server = createFakeNextAuth();
    const socket = openPage(undefined);
    const seen = record(socket);

    await next(socket, "logout");

    expect(seen).toEqual([`logout ${hsid}`]);
    expect(server.sent).toEqual([`LOGOUT ${hsid} ${serverId}`]);
  });

  it("refuses an id outside the safe set", () => {
    expect(() =>
      createFakeNextAuth({ sessions: { serverId, hsid: "a b" } }),
    ).toThrow(/hsid/);

    server = createFakeNextAuth();
  });
});

describe("confirmProvoke and approve", () => {
  it("play a push login from PROVOKE to LOGIN", async () => {
    server = createFakeNextAuth({
      sessions: { serverId, hsid, canProvoke: true },
    });
    const socket = openPage(false);
    const seen = record(socket);
    await next(socket, "canprovoke");

    const pushed = socket.provoke();
    await server.waitForFrame("PROVOKE", hsid);
    server.confirmProvoke(hsid);
    await pushed;
    server.approve(hsid);

    expect(seen).toEqual([
      `logout ${hsid}`,
      `canprovoke ${hsid}`,
      `confirmprovoke ${hsid}`,
      `login ${hsid} changed`,
    ]);
    expect(server.received).toEqual([
      `REGISTER ${hsid} ${serverId}`,
      `PROVOKE ${hsid} ${serverId}`,
    ]);
  });

  it("answers the next REGISTER with LOGIN after approve", async () => {
    server = createFakeNextAuth({ sessions: { serverId, hsid } });
    const first = openPage(false);
    await next(first, "logout");
    server.approve(hsid);

    const second = openPage(false);
    const seen = record(second);
    await next(second, "canprovoke");

    expect(seen).toEqual([`login ${hsid} changed`, `canprovoke ${hsid}`]);
  });

  it("sends only to pages registered for the session", async () => {
    server = createFakeNextAuth({
      sessions: [
        { serverId, hsid },
        { serverId, hsid: otherHsid },
      ],
    });
    const mine = openPage(false);
    const other = openPage(false, { serverId, hsid: otherHsid });
    const seenByOther = record(other);
    await Promise.all([next(mine, "logout"), next(other, "logout")]);

    server.approve(hsid);

    expect(mine.sessions[0]?.loggedIn).toBe(true);
    expect(seenByOther).toEqual([`logout ${otherHsid}`]);
  });
});

describe("deny, scan and noAccounts", () => {
  it("send CANCEL, CONFIRMSCAN and NOACCOUNTS", async () => {
    server = createFakeNextAuth({ sessions: { serverId, hsid } });
    const socket = openPage(false);
    const seen = record(socket);
    await next(socket, "logout");

    server.scan(hsid);
    server.deny(hsid);
    server.noAccounts(hsid);

    expect(seen).toEqual([
      `logout ${hsid}`,
      `confirmscan ${hsid}`,
      `cancel ${hsid}`,
      `noaccounts ${hsid}`,
    ]);
  });

  it("throws for an hsid it never saw", () => {
    server = createFakeNextAuth();

    expect(() => server.deny(hsid)).toThrow(/serverId/);
  });
});

describe("logout", () => {
  it("logs the session out on every page", async () => {
    server = createFakeNextAuth({
      sessions: { serverId, hsid, loggedIn: true },
    });
    const pages = [openPage(true), openPage(true)];
    const seen = pages.map(record);
    await Promise.all(pages.map((page) => next(page, "login")));

    server.logout(hsid);

    expect(seen).toEqual([
      [`login ${hsid}`, `logout ${hsid} changed`],
      [`login ${hsid}`, `logout ${hsid} changed`],
    ]);
  });

  it("passes a page's LOGOUT on to every page", async () => {
    server = createFakeNextAuth({
      sessions: { serverId, hsid, loggedIn: true },
    });
    const pages = [openPage(true), openPage(true)];
    const seen = pages.map(record);
    await Promise.all(pages.map((page) => next(page, "login")));

    pages[0].logout();
    await Promise.all(pages.map((page) => next(page, "logout")));

    expect(seen[1]).toEqual([`login ${hsid}`, `logout ${hsid} changed`]);
    expect(server.received).toContain(`LOGOUT ${hsid} ${serverId}`);
  });
});

describe("dropConnections", () => {
  it("lets the page reconnect and register again", async () => {
    server = createFakeNextAuth({ sessions: { serverId, hsid } });
    const socket = openPage(false);
    await next(socket, "open");

    const closed = next(socket, "close");
    server.dropConnections();
    const close = await closed;
    await server.waitForFrame("REGISTER", hsid, 2);

    expect(close.code).toBe(1006);
    expect(server.received).toEqual([
      `REGISTER ${hsid} ${serverId}`,
      `REGISTER ${hsid} ${serverId}`,
    ]);
    expect(server.connections).toBe(1);
  });
});

describe("close", () => {
  it("closes the pages' connections with 1001", async () => {
    server = createFakeNextAuth();
    const socket = openPage(false);
    await next(socket, "open");

    const closed = next(socket, "close");
    await server.close();

    expect((await closed).code).toBe(1001);
    expect(server.connections).toBe(0);
  });

  it("frees the URL for the next server", async () => {
    server = createFakeNextAuth();
    await server.close();

    server = createFakeNextAuth();

    expect(server.connections).toBe(0);
  });
});

describe("with jest's fake timers", () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it("answers REGISTER once the timers advance", async () => {
    server = createFakeNextAuth({
      sessions: { serverId, hsid, canProvoke: true },
    });
    const socket = openPage(false);
    const seen = record(socket);
    expect(seen).toEqual([]);

    await jest.advanceTimersByTimeAsync(20);

    expect(seen).toEqual([`logout ${hsid}`, `canprovoke ${hsid}`]);
  });

  it("lets provoke time out when the phone never confirms", async () => {
    server = createFakeNextAuth({
      sessions: { serverId, hsid, canProvoke: true },
    });
    const socket = openPage(false);
    await jest.advanceTimersByTimeAsync(20);

    const outcomes: string[] = [];
    socket.provoke(undefined, undefined, { timeoutMs: 5000 }).then(
      () => outcomes.push("confirmed"),
      (error: { code: string }) => outcomes.push(error.code),
    );
    await jest.advanceTimersByTimeAsync(4999);
    expect(outcomes).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    expect(outcomes).toEqual(["timeout"]);
    expect(server.received).toEqual([
      `REGISTER ${hsid} ${serverId}`,
      `PROVOKE ${hsid} ${serverId}`,
    ]);
  });
});
