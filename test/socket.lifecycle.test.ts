import {
  CONNECTION_EVENTS,
  HSID,
  MOCK_DELAY_MS,
  OTHER_HSID,
  SERVER_ID,
  STRANGER_HSID,
  advance,
  cleanUp,
  connect,
  open,
  record,
  startMock,
} from "./helpers/mock-nextauth";
import { NextAuthSocket } from "../src";
import type { Logger } from "../src";

const TWO_SESSIONS = [
  { serverId: SERVER_ID, hsid: HSID },
  { serverId: SERVER_ID, hsid: OTHER_HSID },
];

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  cleanUp();
  jest.useRealTimers();
});

describe("constructor", () => {
  it("sends REGISTER for every session, in order, once open", () => {
    const mock = startMock();
    const socket = connect(mock, { sessions: TWO_SESSIONS });

    jest.advanceTimersByTime(MOCK_DELAY_MS - 1);
    expect(mock.sent).toEqual([]);
    expect(socket.state).toBe("connecting");

    jest.advanceTimersByTime(1);
    expect(mock.sent).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${OTHER_HSID} ${SERVER_ID}`,
    ]);
    expect(socket.state).toBe("open");
  });

  it("registers a session given twice once", () => {
    const mock = startMock();
    connect(mock, { sessions: [TWO_SESSIONS[0], TWO_SESSIONS[0]] });
    open();

    expect(mock.sent).toEqual([`REGISTER ${HSID} ${SERVER_ID}`]);
  });

  it("sends REGISTER for every session again on each open", async () => {
    const mock = startMock();
    connect(mock, {
      sessions: TWO_SESSIONS,
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    open();

    mock.drop();
    await advance(MOCK_DELAY_MS + 100);
    open();

    expect(mock.connections).toHaveLength(2);
    expect(mock.sent).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${OTHER_HSID} ${SERVER_ID}`,
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${OTHER_HSID} ${SERVER_ID}`,
    ]);
  });

  it("announces connecting>open, then open", () => {
    const mock = startMock();
    const socket = connect(mock);
    const events = record(socket, CONNECTION_EVENTS);
    open();

    expect(events).toEqual(["statechange connecting>open", "open"]);
  });
});

describe("register", () => {
  it("sends REGISTER at once when open", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();

    const snapshot = socket.register({ serverId: SERVER_ID, hsid: OTHER_HSID });

    expect(mock.sent).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${OTHER_HSID} ${SERVER_ID}`,
    ]);
    expect(snapshot).toEqual({
      serverId: SERVER_ID,
      hsid: OTHER_HSID,
      loggedIn: undefined,
      canProvoke: false,
    });
    expect(socket.sessions).toEqual([
      expect.objectContaining({ hsid: HSID }),
      snapshot,
    ]);
  });

  it("sends nothing twice for a session registered already", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const first = socket.sessions[0];

    const again = socket.register({
      serverId: SERVER_ID,
      hsid: HSID,
      loggedIn: true,
    });

    expect(again).toBe(first);
    expect(socket.sessions).toEqual([first]);
    expect(mock.sent).toEqual([`REGISTER ${HSID} ${SERVER_ID}`]);
  });

  it("waits for the open when called while connecting", () => {
    const mock = startMock();
    const socket = connect(mock);

    socket.register({ serverId: SERVER_ID, hsid: OTHER_HSID });
    expect(mock.sent).toEqual([]);
    open();

    expect(mock.sent).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${OTHER_HSID} ${SERVER_ID}`,
    ]);
  });
});

describe("close", () => {
  it("closes cleanly, leaves no timer and never reconnects", async () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const events = record(socket, CONNECTION_EVENTS);

    socket.close();
    // mock-socket delivers the close to the server after its delay.
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    expect(jest.getTimerCount()).toBe(0);
    expect(events).toEqual([
      "close 1000 wasClean=true willReconnect=false",
      "statechange open>closed",
    ]);
    expect(socket.state).toBe("closed");

    await advance(10 * 60_000);
    expect(mock.connections).toHaveLength(1);
    expect(mock.created).toHaveLength(1);
    expect(events).toHaveLength(2);
  });

  it("leaves no timer while connecting", () => {
    const mock = startMock();
    const socket = connect(mock);
    const events = record(socket, CONNECTION_EVENTS);

    socket.close();
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    expect(jest.getTimerCount()).toBe(0);
    expect(mock.connections).toHaveLength(0);
    expect(events).toEqual([
      "close 1000 wasClean=true willReconnect=false",
      "statechange connecting>closed",
    ]);
  });

  it("cancels a scheduled reconnect", async () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS);
    expect(socket.state).toBe("reconnecting");
    const events = record(socket, CONNECTION_EVENTS);

    socket.close();

    expect(jest.getTimerCount()).toBe(0);
    expect(events).toEqual(["statechange reconnecting>closed"]);
    await advance(60_000);
    expect(mock.created).toHaveLength(1);
  });

  it("leaves no keep-alive or provoke timer", () => {
    const mock = startMock();
    const socket = connect(mock, { keepAliveMs: 1000 });
    open();
    void socket.provoke();
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    socket.close();
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    expect(jest.getTimerCount()).toBe(0);
  });

  it("does nothing the second time", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    socket.close();
    const events = record(socket, CONNECTION_EVENTS);

    socket.close();

    expect(events).toEqual([]);
  });
});

describe("reconnect", () => {
  it("starts a closed socket again", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    socket.close();
    jest.advanceTimersByTime(MOCK_DELAY_MS);
    const events = record(socket, CONNECTION_EVENTS);

    socket.reconnect();
    open();

    expect(events).toEqual([
      "statechange closed>connecting",
      "statechange connecting>open",
      "open",
    ]);
    expect(mock.sent).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${HSID} ${SERVER_ID}`,
    ]);
  });

  it("drops an open connection and connects again at once", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const events = record(socket, CONNECTION_EVENTS);

    socket.reconnect();
    open();

    expect(events).toEqual([
      "close 1000 wasClean=true willReconnect=true",
      "statechange open>reconnecting",
      "statechange reconnecting>open",
      "open",
    ]);
    expect(mock.connections).toHaveLength(2);
  });
});

describe("logger", () => {
  function recordingLogger(): { logger: Logger; lines: string[] } {
    const lines: string[] = [];
    const logger: Logger = {
      debug: (line) => lines.push(line),
      warn: (line) => lines.push(line),
      error: (line) => lines.push(line),
    };
    return { logger, lines };
  }

  /** Drives a socket through most of what it logs. */
  async function busyLife(logger?: Logger): Promise<void> {
    const mock = startMock();
    const socket = connect(mock, {
      logger,
      keepAliveMs: 1000,
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    open();
    socket.register({ serverId: SERVER_ID, hsid: OTHER_HSID });
    mock.emit(`LOGIN ${HSID} ${SERVER_ID}`);
    mock.emit(`LOGIN ${STRANGER_HSID} ${SERVER_ID}`);
    mock.emit(`CANPROVOKE ${HSID} ${SERVER_ID}`);
    void socket.provoke(SERVER_ID, HSID);
    mock.emit(`CONFIRMPROVOKE ${HSID} ${SERVER_ID}`);
    socket.send(`FUTURE ${HSID} ${SERVER_ID}`);
    socket.logout(SERVER_ID, OTHER_HSID);
    await advance(1000);
    mock.drop();
    await advance(MOCK_DELAY_MS + 100);
    open();
    socket.close();
  }

  it("writes nothing without a logger", async () => {
    const spies = (["log", "debug", "info", "warn", "error"] as const).map(
      (method) => jest.spyOn(console, method).mockImplementation(() => {}),
    );

    await busyLife();

    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it("never writes an id in full", async () => {
    const { logger, lines } = recordingLogger();

    await busyLife(logger);

    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(line.startsWith("[nextauth-ws] ")).toBe(true);
      for (const id of [SERVER_ID, HSID, OTHER_HSID, STRANGER_HSID]) {
        expect(line).not.toContain(id);
      }
    }
  });
});

describe("logger and the URL", () => {
  it("leaves the query string out, where a site might put an id", () => {
    const lines: string[] = [];
    const write = (line: string): void => {
      lines.push(line);
    };
    class SilentWebSocket {
      readonly readyState = 0;
      addEventListener(): void {}
      send(): void {}
      close(): void {}
    }

    const socket = new NextAuthSocket({
      url: `wss://nextauth.test/ws?hsid=${HSID}`,
      WebSocket: SilentWebSocket,
      logger: { debug: write, warn: write, error: write },
    });
    socket.close();

    expect(lines).toContain(
      "[nextauth-ws] connecting to wss://nextauth.test/ws",
    );
    for (const line of lines) expect(line).not.toContain(HSID);
  });
});

describe("statechange", () => {
  it("follows close() called from a close listener", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const events = record(socket, CONNECTION_EVENTS);
    socket.addEventListener("close", (event) => {
      if (event.code === 1008) socket.close();
    });

    mock.drop(1008, "origin refused");
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    expect(events).toEqual([
      "close 1008 wasClean=false willReconnect=true",
      "statechange open>closed",
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("follows reconnect() called from a close listener", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const events = record(socket, CONNECTION_EVENTS);
    socket.addEventListener("close", (event) => {
      if (event.code === 4000) socket.reconnect();
    });

    mock.drop(4000);
    jest.advanceTimersByTime(MOCK_DELAY_MS);
    open();

    expect(events).toEqual([
      "close 4000 wasClean=false willReconnect=true",
      "statechange open>reconnecting",
      "statechange reconnecting>open",
      "open",
    ]);
  });

  it("chains: each previous is the state announced before", async () => {
    const mock = startMock();
    const socket = connect(mock, {
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    const states: [string, string][] = [];
    socket.addEventListener("statechange", (event) => {
      states.push([event.previous, event.state]);
    });
    let opens = 0;
    socket.addEventListener("open", () => {
      opens += 1;
      if (opens === 1) socket.reconnect();
    });
    socket.addEventListener("close", () => {
      if (opens === 2) socket.close();
    });

    open();
    open();
    mock.drop();
    await advance(MOCK_DELAY_MS);
    socket.reconnect();
    open();

    expect(states).toEqual([
      ["connecting", "open"],
      ["open", "reconnecting"],
      ["reconnecting", "open"],
      ["open", "closed"],
      ["closed", "connecting"],
      ["connecting", "open"],
    ]);
    for (let i = 1; i < states.length; i += 1) {
      expect(states[i][0]).toBe(states[i - 1][1]);
    }
  });
});
