import { NextAuthSocket } from "../src";
import type { NextAuthSocketOptions } from "../src";
import {
  HSID,
  SERVER_ID,
  cleanUp,
  connect,
  open,
  startMock,
} from "./helpers/mock-nextauth";
import type { MockNextAuth } from "./helpers/mock-nextauth";

const REGISTER = `REGISTER ${HSID} ${SERVER_ID}`;
/** The longest delay setTimeout honours; above it, timers fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  cleanUp();
  jest.restoreAllMocks();
  jest.useRealTimers();
});

/** The TypeError `act` throws, checking it names `field`. */
function expectTypeError(act: () => unknown, field: string): void {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect((thrown as Error).message).toMatch(
    new RegExp(`^nextauth-ws: ${field.replace(".", "\\.")} `),
  );
}

/** Constructs with `options` over working defaults, on `mock`. */
function construct(
  mock: MockNextAuth,
  options: Record<string, unknown>,
): NextAuthSocket {
  return new NextAuthSocket({
    url: mock.url,
    WebSocket: mock.WebSocket,
    sessions: { serverId: SERVER_ID, hsid: HSID },
    ...options,
  } as NextAuthSocketOptions);
}

describe("constructor", () => {
  it.each([
    ["a serverId with a space", { serverId: "a b", hsid: HSID }, "serverId"],
    ["an empty hsid", { serverId: SERVER_ID, hsid: "" }, "hsid"],
    [
      "an hsid with a line break",
      { serverId: SERVER_ID, hsid: "a\nb" },
      "hsid",
    ],
    [
      "an hsid over 512 characters",
      { serverId: SERVER_ID, hsid: "x".repeat(513) },
      "hsid",
    ],
    ["a missing hsid", { serverId: SERVER_ID }, "hsid"],
    ["a numeric serverId", { serverId: 42, hsid: HSID }, "serverId"],
    [
      "loggedIn as a string",
      { serverId: SERVER_ID, hsid: HSID, loggedIn: "yes" },
      "loggedIn",
    ],
    ["a session that is no object", "aHNpZA", "session"],
  ])("throws a TypeError for %s, connecting nowhere", (_, session, field) => {
    const mock = startMock();

    expectTypeError(() => construct(mock, { sessions: [session] }), field);
    expect(mock.created).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it.each([
    ["http:", "http://ws.nextauth.com/"],
    ["https:", "https://ws.nextauth.com/"],
    ["not a URL", "ws.nextauth.com"],
    ["a number", 42],
    ["ws: to another host", "ws://ws.nextauth.com/"],
    ["ws: to a host named like loopback", "ws://127.0.0.1.example.com/"],
  ])("throws a TypeError naming url for %s", (_, url) => {
    const mock = startMock();

    expectTypeError(() => construct(mock, { url }), "url");
    expect(mock.created).toEqual([]);
  });

  it.each([
    ["ws://localhost:8080/"],
    ["ws://127.0.0.1:8080/"],
    ["ws://127.1.2.3/"],
    ["ws://[::1]:8080/"],
    ["ws://app.localhost/"],
  ])("accepts ws: to loopback: %s", (url) => {
    const mock = startMock();

    construct(mock, { url, reconnect: false }).close();
  });

  it("drops a fragment, which some WebSocket implementations refuse", () => {
    const mock = startMock();
    const socket = connect(mock, { url: `${mock.url}#login` });
    open();

    expect(socket.state).toBe("open");
    expect(mock.sent).toEqual([REGISTER]);
  });

  it("accepts ws: to another host with allowInsecure", () => {
    const mock = startMock();

    construct(mock, {
      url: "ws://nextauth.test/",
      allowInsecure: true,
      reconnect: false,
    }).close();
  });

  it("throws a TypeError naming WebSocket when none is available", () => {
    const mock = startMock();
    expect((globalThis as { WebSocket?: unknown }).WebSocket).toBeUndefined();

    expectTypeError(
      () => construct(mock, { WebSocket: undefined }),
      "WebSocket",
    );
    expect(() => construct(mock, { WebSocket: undefined })).toThrow(
      /in Node 20 pass the ws package/,
    );
  });

  const MAX_MS_FIELDS = [
    "keepAliveMs",
    "connectTimeoutMs",
    "provokeTimeoutMs",
  ] as const;

  it.each([
    ...MAX_MS_FIELDS.flatMap((field) =>
      [-1, Number.NaN, Number.POSITIVE_INFINITY, "50", MAX_TIMER_MS + 1].map(
        (value) => [field, value, { [field]: value }] as const,
      ),
    ),
    ["connectTimeoutMs", 0, { connectTimeoutMs: 0 }],
    ["provokeTimeoutMs", 0, { provokeTimeoutMs: 0 }],
    ["reconnect", true, { reconnect: true }],
    ["reconnect", null, { reconnect: null }],
    ["reconnect.minDelayMs", -1, { reconnect: { minDelayMs: -1 } }],
    [
      "reconnect.maxDelayMs",
      999,
      { reconnect: { minDelayMs: 1000, maxDelayMs: 999 } },
    ],
    [
      "reconnect.maxDelayMs",
      MAX_TIMER_MS + 1,
      { reconnect: { maxDelayMs: MAX_TIMER_MS + 1 } },
    ],
    ["reconnect.factor", 0.5, { reconnect: { factor: 0.5 } }],
    ["reconnect.factor", Number.NaN, { reconnect: { factor: Number.NaN } }],
    ["logger", "console", { logger: "console" }],
    ["logger", {}, { logger: { debug() {} } }],
  ] as const)("throws a TypeError for %s %p", (field, _, options) => {
    const mock = startMock();

    expectTypeError(() => construct(mock, options), field);
    expect(mock.created).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("accepts the longest delay setTimeout honours", () => {
    const mock = startMock();

    construct(mock, {
      keepAliveMs: MAX_TIMER_MS,
      connectTimeoutMs: MAX_TIMER_MS,
      provokeTimeoutMs: MAX_TIMER_MS,
      reconnect: { maxDelayMs: MAX_TIMER_MS },
    }).close();
  });

  it("takes an undefined reconnect field as its default", () => {
    const mock = startMock();
    const socket = connect(mock, {
      reconnect: { minDelayMs: undefined, maxDelayMs: undefined, factor: 3 },
    });
    // The top of attempt 0's range: min(10000, 1000 * 3).
    jest.spyOn(Math, "random").mockReturnValue(1);
    open();
    const delays: number[] = [];
    socket.addEventListener("reconnecting", (event) => {
      delays.push(event.delayMs);
    });

    mock.drop();
    jest.advanceTimersByTime(4);

    expect(delays).toEqual([3000]);
  });

  it("throws a TypeError naming options without an object", () => {
    expectTypeError(
      () => new NextAuthSocket(undefined as unknown as NextAuthSocketOptions),
      "options",
    );
  });
});

describe("send", () => {
  it.each([
    ["a line feed", "PING\n"],
    ["a carriage return", `LOGOUT ${HSID} ${SERVER_ID}\rREGISTER`],
    ["a NUL", "PING\u0000"],
    ["a tab", "PING\tPING"],
    ["a DEL", "PING\u007f"],
    ["a next-line character", "PING\u0085"],
    ["a line separator", "PING\u2028REGISTER"],
    ["a paragraph separator", "PING\u2029"],
    ["a non-string", 42],
  ])("throws a TypeError naming line for %s, sending nothing", (_, line) => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    expectTypeError(() => socket.send(line as string), "line");
    expect(mock.sent).toEqual([REGISTER]);
  });

  it("sends a raw line as it is when open", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    socket.send("FUTURE a b c");

    expect(mock.sent).toEqual([REGISTER, "FUTURE a b c"]);
  });
});

describe("register", () => {
  it.each([
    [{ serverId: SERVER_ID, hsid: "a b" }, "hsid"],
    [{ serverId: "", hsid: HSID }, "serverId"],
    [null, "session"],
  ])("throws a TypeError for %p, sending nothing", (session, field) => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    expectTypeError(
      () =>
        socket.register(
          session as unknown as { serverId: string; hsid: string },
        ),
      field,
    );
    expect(mock.sent).toEqual([REGISTER]);
    expect(socket.sessions).toHaveLength(1);
  });
});

describe("logout", () => {
  it("sends LOGOUT hsid serverId, for the only session by default", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    socket.logout();
    socket.logout(SERVER_ID, "b3RoZXI");

    expect(mock.sent).toEqual([
      REGISTER,
      `LOGOUT ${HSID} ${SERVER_ID}`,
      `LOGOUT b3RoZXI ${SERVER_ID}`,
    ]);
  });

  it.each([
    [[SERVER_ID, undefined], "hsid"],
    [[undefined, HSID], "serverId"],
    [[SERVER_ID, "a\nb"], "hsid"],
  ] as const)("throws a TypeError for %p, sending nothing", (ids, field) => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    expectTypeError(() => socket.logout(...ids), field);
    expect(mock.sent).toEqual([REGISTER]);
  });
});
