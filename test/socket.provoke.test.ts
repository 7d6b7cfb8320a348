import { ProvokeError } from "../src";
import type { CommandEvent } from "../src";
import {
  HSID,
  MOCK_DELAY_MS,
  OTHER_HSID,
  SERVER_ID,
  STRANGER_HSID,
  advance,
  cleanUp,
  connect,
  open,
  startMock,
} from "./helpers/mock-nextauth";

const REGISTER = `REGISTER ${HSID} ${SERVER_ID}`;
const PROVOKE = `PROVOKE ${HSID} ${SERVER_ID}`;
const CONFIRM = `CONFIRMPROVOKE ${HSID} ${SERVER_ID}`;
const FAST_RECONNECT = { minDelayMs: 100, maxDelayMs: 100 };

type Outcome = "pending" | "confirmed" | `rejected ${string}`;

/** Follows a promise's outcome without ever leaving it unhandled. */
function track(promise: Promise<CommandEvent>): { outcome: Outcome } {
  const tracked: { outcome: Outcome } = { outcome: "pending" };
  promise.then(
    () => {
      tracked.outcome = "confirmed";
    },
    (error: unknown) => {
      tracked.outcome =
        error instanceof ProvokeError
          ? `rejected ${error.code}`
          : `rejected ${String(error)}`;
    },
  );
  return tracked;
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  cleanUp();
  jest.useRealTimers();
});

describe("provoke", () => {
  it("sends PROVOKE nonce serverId, resolves on CONFIRMPROVOKE", async () => {
    const mock = startMock();
    const socket = connect(mock, {
      sessions: [
        { serverId: SERVER_ID, hsid: HSID },
        { serverId: SERVER_ID, hsid: OTHER_HSID },
      ],
    });
    open();

    const promise = socket.provoke(SERVER_ID, OTHER_HSID);
    const tracked = track(promise);
    expect(mock.sent.slice(2)).toEqual([`PROVOKE ${OTHER_HSID} ${SERVER_ID}`]);

    mock.emit(`CONFIRMPROVOKE ${HSID} ${SERVER_ID}`);
    await advance(0);
    expect(tracked.outcome).toBe("pending");

    mock.emit(`CONFIRMPROVOKE ${OTHER_HSID} ${SERVER_ID}`);
    const event = await promise;
    expect(event.type).toBe("confirmprovoke");
    expect(event.hsid).toBe(OTHER_HSID);
  });

  it("targets the only session when given no ids", async () => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    const promise = socket.provoke();
    mock.emit(CONFIRM);

    expect(mock.sent).toEqual([REGISTER, PROVOKE]);
    await expect(promise).resolves.toMatchObject({ hsid: HSID });
  });

  it("rejects with timeout at the boundary, not before", async () => {
    const mock = startMock();
    const socket = connect(mock, { provokeTimeoutMs: 5000 });
    open();
    const tracked = track(socket.provoke());

    await advance(4999);
    expect(tracked.outcome).toBe("pending");

    await advance(1);
    expect(tracked.outcome).toBe("rejected timeout");
  });

  it("uses the timeoutMs of the call over the socket's", async () => {
    const mock = startMock();
    const socket = connect(mock, { provokeTimeoutMs: 60_000 });
    open();
    const tracked = track(
      socket.provoke(undefined, undefined, {
        timeoutMs: 200,
      }),
    );

    await advance(199);
    expect(tracked.outcome).toBe("pending");

    await advance(1);
    expect(tracked.outcome).toBe("rejected timeout");
  });

  it("ignores a CONFIRMPROVOKE after the timeout", async () => {
    const mock = startMock();
    const socket = connect(mock, { provokeTimeoutMs: 1000 });
    open();
    const tracked = track(socket.provoke());

    await advance(1000);
    mock.emit(CONFIRM);
    await advance(0);

    expect(tracked.outcome).toBe("rejected timeout");
  });

  it("rejects with closed when the connection drops once sent", async () => {
    const mock = startMock();
    const socket = connect(mock, { reconnect: FAST_RECONNECT });
    open();
    const tracked = track(socket.provoke());

    mock.drop();
    await advance(MOCK_DELAY_MS);
    expect(tracked.outcome).toBe("rejected closed");

    await advance(100);
    open();
    expect(mock.connections).toHaveLength(2);
    expect(mock.sent).toEqual([REGISTER, PROVOKE, REGISTER]);
  });

  it("rejects with aborted, and sends nothing after an abort", async () => {
    const mock = startMock();
    const socket = connect(mock);
    const controller = new AbortController();
    const tracked = track(
      socket.provoke(undefined, undefined, {
        signal: controller.signal,
      }),
    );

    controller.abort();
    await advance(0);
    expect(tracked.outcome).toBe("rejected aborted");

    open();
    expect(mock.sent).toEqual([REGISTER]);
  });

  it("rejects with aborted for a signal aborted already", async () => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    const promise = socket.provoke(undefined, undefined, {
      signal: AbortSignal.abort(),
    });

    await expect(promise).rejects.toMatchObject({
      name: "ProvokeError",
      code: "aborted",
    });
    expect(mock.sent).toEqual([REGISTER]);
  });

  it("rejects with closed on close(), and after it", async () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const before = track(socket.provoke());

    socket.close();
    const after = track(socket.provoke());
    await advance(0);

    expect([before.outcome, after.outcome]).toEqual([
      "rejected closed",
      "rejected closed",
    ]);
    expect(mock.sent).toEqual([REGISTER, PROVOKE]);
  });

  it("goes out right after the next REGISTERs when disconnected", async () => {
    const mock = startMock();
    const socket = connect(mock, { reconnect: FAST_RECONNECT });
    open();
    mock.drop();
    await advance(MOCK_DELAY_MS);
    expect(socket.state).toBe("reconnecting");

    const promise = socket.provoke();
    socket.send("HELLO");
    expect(mock.sent).toEqual([REGISTER]);

    await advance(100);
    open();
    expect(mock.sent).toEqual([REGISTER, REGISTER, PROVOKE, "HELLO"]);

    mock.emit(CONFIRM);
    await expect(promise).resolves.toMatchObject({ command: "CONFIRMPROVOKE" });
  });

  it("goes out after the REGISTERs when made while connecting", () => {
    const mock = startMock();
    const socket = connect(mock);

    void socket.provoke();
    open();

    expect(mock.sent).toEqual([REGISTER, PROVOKE]);
  });

  it("never causes an unhandled rejection when ignored", async () => {
    // Jest fails a test on an unhandled rejection by itself; the listener
    // names the culprit where a runner does not.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on("unhandledRejection", onUnhandled);
    try {
      const mock = startMock();
      const socket = connect(mock, {
        provokeTimeoutMs: 1000,
        reconnect: FAST_RECONNECT,
      });
      open();

      void socket.provoke(); // times out
      await advance(1000);
      void socket.provoke(); // closed by the drop
      mock.drop();
      await advance(MOCK_DELAY_MS);
      const controller = new AbortController();
      void socket.provoke(undefined, undefined, {
        signal: controller.signal,
      });
      controller.abort();
      void socket.provoke(); // closed by close()
      socket.close();

      jest.useRealTimers();
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }

    expect(unhandled).toEqual([]);
  });

  it.each([
    ["a serverId with a space", ["bad id", HSID], "serverId"],
    ["an empty nonce", [SERVER_ID, ""], "hsid"],
    ["a nonce over 512 characters", [SERVER_ID, "a".repeat(513)], "hsid"],
    ["a serverId without its nonce", [SERVER_ID, undefined], "hsid"],
    ["a nonce without its serverId", [undefined, HSID], "serverId"],
  ] as const)(
    "throws a TypeError naming the field for %s, sending nothing",
    (_, [serverId, nonce], field) => {
      const mock = startMock();
      const socket = connect(mock);
      open();

      expect(() => socket.provoke(serverId, nonce)).toThrow(
        new RegExp(`^nextauth-ws: ${field} `),
      );
      expect(() => socket.provoke(serverId, nonce)).toThrow(TypeError);
      expect(mock.sent).toEqual([REGISTER]);
    },
  );

  it("throws a TypeError for a session that is not registered", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    expect(() => socket.provoke(SERVER_ID, STRANGER_HSID)).toThrow(
      /not registered/,
    );
    expect(mock.sent).toEqual([REGISTER]);
  });

  it("throws a TypeError without ids when not exactly one session", () => {
    const mock = startMock();
    const socket = connect(mock, {
      sessions: [
        { serverId: SERVER_ID, hsid: HSID },
        { serverId: SERVER_ID, hsid: OTHER_HSID },
      ],
    });
    const empty = connect(mock, { sessions: [] });
    open();

    expect(() => socket.provoke()).toThrow(TypeError);
    expect(() => empty.provoke()).toThrow(TypeError);
    expect(mock.sent).toEqual([
      REGISTER,
      `REGISTER ${OTHER_HSID} ${SERVER_ID}`,
    ]);
  });

  it.each([
    ["timeoutMs 0", { timeoutMs: 0 }, "timeoutMs"],
    ["timeoutMs NaN", { timeoutMs: Number.NaN }, "timeoutMs"],
    ["a signal that is not one", { signal: {} as AbortSignal }, "signal"],
  ])("throws a TypeError for %s, sending nothing", (_, options, field) => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const timers = jest.getTimerCount();

    expect(() => socket.provoke(undefined, undefined, options)).toThrow(
      new RegExp(`^nextauth-ws: ${field} `),
    );
    expect(mock.sent).toEqual([REGISTER]);
    expect(jest.getTimerCount()).toBe(timers);
  });
});
