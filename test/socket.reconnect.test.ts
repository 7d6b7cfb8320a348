import { SLEEP_THRESHOLD_MS, STABLE_AFTER_MS } from "../src";
import type { WebSocketConstructor, WebSocketLike } from "../src";
import {
  CONNECTION_EVENTS,
  HSID,
  MOCK_DELAY_MS,
  SERVER_ID,
  cleanUp,
  connect,
  open,
  record,
  startMock,
} from "./helpers/mock-nextauth";
import type { MockNextAuth } from "./helpers/mock-nextauth";

const REGISTER = `REGISTER ${HSID} ${SERVER_ID}`;

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  cleanUp();
  jest.restoreAllMocks();
  jest.useRealTimers();
});

/** Frames the page sent that are PINGs. */
function pings(mock: MockNextAuth): number {
  return mock.sent.filter((frame) => frame === "PING").length;
}

/** A WebSocket that never opens, and records how it was closed. */
class HangingWebSocket implements WebSocketLike {
  readyState = 0;
  readonly closeCodes: (number | undefined)[] = [];

  send(): void {
    throw new Error("still connecting");
  }

  close(code?: number): void {
    this.closeCodes.push(code);
    this.readyState = 3;
  }

  addEventListener(): void {}
}

/** The mock's WebSocket, except that the first `count` attempts hang. */
function hangFirst(
  mock: MockNextAuth,
  count: number,
): { WebSocket: WebSocketConstructor; hung: HangingWebSocket[] } {
  const hung: HangingWebSocket[] = [];
  function FlakyWebSocket(url: string): WebSocketLike {
    if (hung.length < count) {
      const socket = new HangingWebSocket();
      hung.push(socket);
      return socket;
    }
    return new mock.WebSocket(url);
  }
  return {
    WebSocket: FlakyWebSocket as unknown as WebSocketConstructor,
    hung,
  };
}

describe("keep-alive", () => {
  it("sends PING every keepAliveMs while open", () => {
    const mock = startMock();
    connect(mock, { keepAliveMs: 1000 });
    open();

    jest.advanceTimersByTime(999);
    expect(pings(mock)).toBe(0);

    jest.advanceTimersByTime(1);
    expect(mock.sent).toEqual([REGISTER, "PING"]);

    jest.advanceTimersByTime(999);
    expect(pings(mock)).toBe(1);
    jest.advanceTimersByTime(1);
    expect(pings(mock)).toBe(2);
  });

  it("sends no PING while disconnected, and starts again on open", () => {
    const mock = startMock();
    connect(mock, {
      keepAliveMs: 1000,
      reconnect: { minDelayMs: 5000, maxDelayMs: 5000 },
    });
    open();
    jest.advanceTimersByTime(500);
    mock.drop();

    jest.advanceTimersByTime(MOCK_DELAY_MS + 4999);
    expect(mock.sent).toEqual([REGISTER]);

    jest.advanceTimersByTime(1);
    open();
    jest.advanceTimersByTime(999);
    expect(mock.sent).toEqual([REGISTER, REGISTER]);
    jest.advanceTimersByTime(1);
    expect(mock.sent).toEqual([REGISTER, REGISTER, "PING"]);
  });

  it("sends no PING while connecting", () => {
    const mock = startMock();
    const { WebSocket, hung } = hangFirst(mock, 1);
    connect(mock, { WebSocket, keepAliveMs: 100, connectTimeoutMs: 5000 });

    jest.advanceTimersByTime(4999);

    expect(hung).toHaveLength(1);
    expect(mock.sent).toEqual([]);
  });

  it("sends no PING with keepAliveMs 0", () => {
    const mock = startMock();
    connect(mock, { keepAliveMs: 0 });
    open();

    jest.advanceTimersByTime(10 * 60_000);

    expect(mock.sent).toEqual([REGISTER]);
  });
});

describe("sleep", () => {
  it("reconnects when the keep-alive timer fires far too late", () => {
    const mock = startMock();
    const socket = connect(mock, { keepAliveMs: 1000 });
    open();
    const events = record(socket, CONNECTION_EVENTS);

    // The machine sleeps: the clock jumps, the timer fires late.
    jest.setSystemTime(Date.now() + SLEEP_THRESHOLD_MS + 1);
    jest.advanceTimersByTime(1000);
    open();

    expect(events).toEqual([
      "close 1000 wasClean=true willReconnect=true",
      "statechange open>reconnecting",
      "statechange reconnecting>open",
      "open",
    ]);
    expect(mock.connections).toHaveLength(2);
    expect(mock.sent).toEqual([REGISTER, REGISTER]);
  });

  it("only sends PING for a timer late by the threshold", () => {
    const mock = startMock();
    const socket = connect(mock, { keepAliveMs: 1000 });
    open();
    const events = record(socket, CONNECTION_EVENTS);

    jest.setSystemTime(Date.now() + SLEEP_THRESHOLD_MS);
    jest.advanceTimersByTime(1000);

    expect(events).toEqual([]);
    expect(mock.sent).toEqual([REGISTER, "PING"]);
  });
});

describe("connect timeout", () => {
  it("drops a socket not open in connectTimeoutMs and retries", () => {
    const mock = startMock();
    const { WebSocket, hung } = hangFirst(mock, 1);
    const socket = connect(mock, {
      WebSocket,
      connectTimeoutMs: 1000,
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    const events = record(socket, CONNECTION_EVENTS);

    jest.advanceTimersByTime(999);
    expect(events).toEqual([]);
    expect(hung[0].closeCodes).toEqual([]);

    jest.advanceTimersByTime(1);
    expect(hung[0].closeCodes).toEqual([1000]);
    jest.advanceTimersByTime(100);
    open();

    expect(events).toEqual([
      "close 1006 wasClean=false willReconnect=true",
      "statechange connecting>reconnecting",
      "reconnecting 1 100",
      "statechange reconnecting>open",
      "open",
    ]);
    expect(mock.sent).toEqual([REGISTER]);
  });

  it("does not drop a socket that opened in time", () => {
    const mock = startMock();
    const socket = connect(mock, { connectTimeoutMs: MOCK_DELAY_MS + 1 });
    open();
    const events = record(socket, CONNECTION_EVENTS);

    jest.advanceTimersByTime(60_000);

    expect(events).toEqual([]);
    expect(socket.state).toBe("open");
  });
});

describe("backoff", () => {
  // With Math.random() at 0.5 and the defaults (1000 to 10000 ms, factor
  // 2) the delay of attempt n is halfway between 1000 and
  // min(10000, 1000 * 2^(n+1)).
  const HALFWAY_DELAYS = [1500, 2500, 4500, 5500, 5500];

  it("grows the delays for a server that accepts and at once closes", () => {
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const mock = startMock();
    mock.server.on("connection", (client) => {
      client.close({ code: 1006, reason: "", wasClean: false });
    });
    const socket = connect(mock);
    const delays: number[] = [];
    socket.addEventListener("reconnecting", (event) => {
      delays.push(event.delayMs);
    });
    open();

    for (const delayMs of HALFWAY_DELAYS) {
      jest.advanceTimersByTime(MOCK_DELAY_MS);
      const created = mock.created.length;
      jest.advanceTimersByTime(delayMs - 1);
      expect(mock.created).toHaveLength(created);
      jest.advanceTimersByTime(1);
      expect(mock.created).toHaveLength(created + 1);
      open();
    }

    expect(delays).toEqual(HALFWAY_DELAYS);
  });

  it("numbers the attempts and uses the reconnect option", () => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    const mock = startMock();
    mock.stop(); // every attempt fails
    const socket = connect(mock, {
      reconnect: { minDelayMs: 10, maxDelayMs: 35, factor: 3 },
    });
    const events = record(socket, ["reconnecting"]);

    jest.advanceTimersByTime(MOCK_DELAY_MS);
    jest.advanceTimersByTime(10 + MOCK_DELAY_MS);
    jest.advanceTimersByTime(10 + MOCK_DELAY_MS);

    expect(events).toEqual([
      "reconnecting 1 10",
      "reconnecting 2 10",
      "reconnecting 3 10",
    ]);
  });

  function stayOpenThenDrop(openMs: number): string[] {
    jest.spyOn(Math, "random").mockReturnValue(0.5);
    const mock = startMock();
    const socket = connect(mock);
    open();
    mock.drop(); // attempt 1, in 1500 ms
    jest.advanceTimersByTime(MOCK_DELAY_MS + 1500);
    open();
    const events = record(socket, ["reconnecting"]);

    // The close reaches the page MOCK_DELAY_MS after the drop.
    jest.advanceTimersByTime(openMs - MOCK_DELAY_MS);
    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    return events;
  }

  it("keeps counting after a connection shorter than STABLE_AFTER_MS", () => {
    expect(stayOpenThenDrop(STABLE_AFTER_MS - 1)).toEqual([
      "reconnecting 2 2500",
    ]);
  });

  it("counts from zero after a connection of STABLE_AFTER_MS", () => {
    expect(stayOpenThenDrop(STABLE_AFTER_MS)).toEqual(["reconnecting 1 1500"]);
  });
});

describe("reconnection", () => {
  it("reconnects after a close the page did not ask for", () => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    const mock = startMock();
    const socket = connect(mock);
    open();
    const events = record(socket, CONNECTION_EVENTS);

    mock.drop(1000, "bye");
    jest.advanceTimersByTime(MOCK_DELAY_MS + 1000);
    open();

    expect(events).toEqual([
      "close 1000 wasClean=true willReconnect=true",
      "statechange open>reconnecting",
      "reconnecting 1 1000",
      "statechange reconnecting>open",
      "open",
    ]);
    expect(mock.sent).toEqual([REGISTER, REGISTER]);
  });

  it("reports a close code retrying cannot fix, at the slowest pace", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const events = record(socket, ["close", "reconnecting"]);

    mock.drop(1008, "origin");

    jest.advanceTimersByTime(MOCK_DELAY_MS);
    expect(events).toEqual([
      "close 1008 wasClean=false willReconnect=true",
      "reconnecting 1 10000",
    ]);
  });

  it("closes for good after a drop with reconnect false", () => {
    const mock = startMock();
    const socket = connect(mock, { reconnect: false });
    open();
    const events = record(socket, CONNECTION_EVENTS);

    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    expect(events).toEqual([
      "close 1006 wasClean=false willReconnect=false",
      "statechange open>closed",
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("keeps trying while the server is down, then registers", () => {
    jest.spyOn(Math, "random").mockReturnValue(0);
    const mock = startMock();
    const socket = connect(mock, {
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    open();
    const events = record(socket, ["open", "close", "reconnecting"]);

    mock.server.close({ code: 1006, reason: "", wasClean: false });
    jest.advanceTimersByTime(100 + MOCK_DELAY_MS);
    jest.advanceTimersByTime(100 + MOCK_DELAY_MS);
    expect(socket.state).toBe("reconnecting");

    mock.restart();
    jest.advanceTimersByTime(100);
    open();

    expect(events).toEqual([
      "close 1006 wasClean=false willReconnect=true",
      "reconnecting 1 100",
      // mock-socket reports a refused connection as a clean 1000.
      "close 1000 wasClean=true willReconnect=true",
      "reconnecting 2 100",
      "close 1000 wasClean=true willReconnect=true",
      "reconnecting 3 100",
      "open",
    ]);
    expect(mock.sent).toEqual([REGISTER, REGISTER]);
  });
});
