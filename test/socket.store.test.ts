import type { NextAuthSocket, SocketSnapshot } from "../src";
import {
  HSID,
  MOCK_DELAY_MS,
  OTHER_HSID,
  SERVER_ID,
  STRANGER_HSID,
  cleanUp,
  connect,
  open,
  startMock,
} from "./helpers/mock-nextauth";

function frame(type: string, hsid = HSID): string {
  return `${type} ${hsid} ${SERVER_ID}`;
}

/**
 * Subscribes the way useSyncExternalStore does, with the methods unbound,
 * and records what each call of the listener saw.
 */
function watch(socket: NextAuthSocket): {
  seen: SocketSnapshot[];
  unsubscribe: () => void;
} {
  const { subscribe, getSnapshot } = socket;
  const seen: SocketSnapshot[] = [];
  const unsubscribe = subscribe(() => seen.push(getSnapshot()));
  return { seen, unsubscribe };
}

/** What the snapshots say, for comparing a whole sequence. */
function summarize(snapshots: SocketSnapshot[]): string[] {
  return snapshots.map(({ state, sessions }) =>
    [
      state,
      ...sessions.map(
        (session) =>
          `${session.hsid.slice(0, 4)}:${session.loggedIn}:` +
          `${session.canProvoke}`,
      ),
    ].join(" "),
  );
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  cleanUp();
  jest.useRealTimers();
});

describe("getSnapshot", () => {
  it("returns the state and sessions, frozen", () => {
    const mock = startMock();
    const socket = connect(mock, {
      sessions: { serverId: SERVER_ID, hsid: HSID, loggedIn: false },
    });

    const snapshot = socket.getSnapshot();

    expect(snapshot).toEqual({
      state: "connecting",
      sessions: socket.sessions,
    });
    expect(snapshot.sessions).toBe(socket.sessions);
    expect(Object.isFrozen(snapshot)).toBe(true);
  });

  it("keeps its identity across frames that change nothing", () => {
    const mock = startMock();
    const socket = connect(mock, {
      sessions: { serverId: SERVER_ID, hsid: HSID, loggedIn: true },
    });
    open();
    mock.emit(frame("CANPROVOKE"));
    const snapshot = socket.getSnapshot();

    mock.emit(frame("LOGIN"));
    mock.emit(frame("CANPROVOKE"));
    mock.emit(frame("CONFIRMSCAN"));
    mock.emit(frame("LOGOUT", STRANGER_HSID));
    mock.emit(frame("FUTURE"));
    mock.emit("hello");
    socket.send("PING");
    jest.advanceTimersByTime(60_000);

    expect(socket.getSnapshot()).toBe(snapshot);
  });

  it("is a new object after a LOGIN that changes loggedIn", () => {
    const mock = startMock();
    const socket = connect(mock, {
      sessions: { serverId: SERVER_ID, hsid: HSID, loggedIn: false },
    });
    open();
    const before = socket.getSnapshot();

    mock.emit(frame("LOGIN"));
    const after = socket.getSnapshot();

    expect(after).not.toBe(before);
    expect(after.sessions[0].loggedIn).toBe(true);
    expect(before.sessions[0].loggedIn).toBe(false);
    expect(socket.getSnapshot()).toBe(after);
  });

  it("is a new object after a state change", () => {
    const mock = startMock();
    const socket = connect(mock);
    const connecting = socket.getSnapshot();

    open();
    const opened = socket.getSnapshot();

    expect(opened).not.toBe(connecting);
    expect([connecting.state, opened.state]).toEqual(["connecting", "open"]);
    expect(opened.sessions).toBe(connecting.sessions);
  });
});

describe("subscribe", () => {
  it("calls the listener after each change of state or sessions", () => {
    const mock = startMock();
    const socket = connect(mock, {
      sessions: { serverId: SERVER_ID, hsid: HSID, loggedIn: false },
      reconnect: { minDelayMs: 100, maxDelayMs: 100 },
    });
    const { seen } = watch(socket);

    open();
    mock.emit(frame("CANPROVOKE"));
    mock.emit(frame("CANPROVOKE"));
    mock.emit(frame("CONFIRMSCAN"));
    mock.emit(frame("LOGIN"));
    socket.register({ serverId: SERVER_ID, hsid: OTHER_HSID });
    socket.register({ serverId: SERVER_ID, hsid: OTHER_HSID });
    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS + 100);
    open();

    expect(summarize(seen)).toEqual([
      "open aHNp:false:false",
      "open aHNp:false:true",
      "open aHNp:true:true",
      "open aHNp:true:true aHNp:undefined:false",
      "reconnecting aHNp:true:true aHNp:undefined:false",
      "open aHNp:true:true aHNp:undefined:false",
    ]);
    // Each call saw a new object, and the socket's current one last.
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[seen.length - 1]).toBe(socket.getSnapshot());
  });

  it("notifies even when the snapshot was read before the listener ran", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    let readInEvent: SocketSnapshot | undefined;
    socket.addEventListener("statechange", () => {
      readInEvent = socket.getSnapshot();
    });
    const { seen } = watch(socket);

    socket.close();

    expect(readInEvent?.state).toBe("closed");
    expect(seen).toEqual([readInEvent]);
  });

  it("stops calling a listener once unsubscribed", () => {
    const mock = startMock();
    const socket = connect(mock);
    const kept = watch(socket);
    const dropped = watch(socket);

    dropped.unsubscribe();
    dropped.unsubscribe();
    open();

    expect(summarize(kept.seen)).toEqual(["open aHNp:undefined:false"]);
    expect(dropped.seen).toEqual([]);
  });

  it("counts a function subscribed twice as two subscriptions", () => {
    const mock = startMock();
    const socket = connect(mock);
    const calls: string[] = [];
    const listener = (): void => {
      calls.push(socket.state);
    };
    const first = socket.subscribe(listener);
    socket.subscribe(listener);

    first();
    open();

    expect(calls).toEqual(["open"]);
  });

  it("calls nothing after close() except for the close itself", () => {
    const mock = startMock();
    const socket = connect(mock, { keepAliveMs: 1000 });
    open();
    const { seen } = watch(socket);

    socket.close();
    jest.advanceTimersByTime(10 * 60_000);

    expect(summarize(seen)).toEqual(["closed aHNp:undefined:false"]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("keeps calling the others when one throws, and reports it", () => {
    const mock = startMock();
    const socket = connect(mock, {
      sessions: { serverId: SERVER_ID, hsid: HSID, loggedIn: false },
    });
    open();
    socket.subscribe(() => {
      throw new Error("listener failed");
    });
    const { seen } = watch(socket);
    const logins: boolean[] = [];
    socket.addEventListener("login", (event) => {
      logins.push(event.changed);
    });

    expect(() => mock.emit(frame("LOGIN"))).not.toThrow();

    expect(summarize(seen)).toEqual(["open aHNp:true:false"]);
    expect(logins).toEqual([true]);
    // Reported on a microtask of its own, which fake timers hold.
    expect(() => jest.runAllTicks()).toThrow("listener failed");
  });

  it("throws a TypeError naming listener for a non-function", () => {
    const mock = startMock();
    const socket = connect(mock);

    expect(() => socket.subscribe("render" as unknown as () => void)).toThrow(
      /^nextauth-ws: listener /,
    );
  });
});
