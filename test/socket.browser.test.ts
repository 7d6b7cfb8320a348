/**
 * @jest-environment jsdom
 */
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

const REGISTER = `REGISTER ${HSID} ${SERVER_ID}`;
const SLOW_RECONNECT = { minDelayMs: 60_000, maxDelayMs: 60_000 };

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, "visibilityState", {
    configurable: true,
    get: () => state,
  });
  document.dispatchEvent(new Event("visibilitychange"));
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  cleanUp();
  jest.restoreAllMocks();
  jest.useRealTimers();
  setVisibility("visible");
});

describe("online", () => {
  it("reconnects at once when the socket is down", () => {
    const mock = startMock();
    const socket = connect(mock, { reconnect: SLOW_RECONNECT });
    open();
    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS);
    const events = record(socket, CONNECTION_EVENTS);

    window.dispatchEvent(new Event("online"));
    open();

    expect(events).toEqual(["statechange reconnecting>open", "open"]);
    expect(mock.sent).toEqual([REGISTER, REGISTER]);
  });

  it("leaves an open socket alone", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    const events = record(socket, CONNECTION_EVENTS);

    window.dispatchEvent(new Event("online"));
    open();

    expect(events).toEqual([]);
    expect(mock.created).toHaveLength(1);
  });
});

describe("visibilitychange", () => {
  it("reconnects at once when the page becomes visible while down", () => {
    const mock = startMock();
    const socket = connect(mock, { reconnect: SLOW_RECONNECT });
    open();
    setVisibility("hidden");
    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS);
    const events = record(socket, CONNECTION_EVENTS);

    setVisibility("hidden");
    jest.advanceTimersByTime(MOCK_DELAY_MS);
    expect(events).toEqual([]);

    setVisibility("visible");
    open();
    expect(events).toEqual(["statechange reconnecting>open", "open"]);
    expect(mock.created).toHaveLength(2);
  });

  it("leaves an open socket alone", () => {
    const mock = startMock();
    connect(mock);
    open();

    setVisibility("hidden");
    setVisibility("visible");
    open();

    expect(mock.created).toHaveLength(1);
  });
});

describe("close", () => {
  function spyListeners(): {
    added: [EventTarget, string, unknown][];
    removed: [EventTarget, string, unknown][];
  } {
    const added: [EventTarget, string, unknown][] = [];
    const removed: [EventTarget, string, unknown][] = [];
    for (const target of [window, document] as EventTarget[]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      jest
        .spyOn(target, "addEventListener")
        .mockImplementation((type, listener, options) => {
          added.push([target, type, listener]);
          add(type, listener, options);
        });
      jest
        .spyOn(target, "removeEventListener")
        .mockImplementation((type, listener, options) => {
          removed.push([target, type, listener]);
          remove(type, listener, options);
        });
    }
    return { added, removed };
  }

  it("removes every listener it added on window and document", () => {
    const { added, removed } = spyListeners();
    const mock = startMock();
    const socket = connect(mock);
    open();

    socket.close();

    expect(added.map(([, type]) => type).sort()).toEqual([
      "online",
      "visibilitychange",
    ]);
    expect(removed).toHaveLength(added.length);
    for (const entry of added) expect(removed).toContainEqual(entry);
  });

  it("reconnects on neither event afterwards", () => {
    const mock = startMock();
    const socket = connect(mock);
    open();
    socket.close();
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    window.dispatchEvent(new Event("online"));
    setVisibility("hidden");
    setVisibility("visible");
    jest.advanceTimersByTime(60_000);

    expect(socket.state).toBe("closed");
    expect(mock.created).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("removes them after a drop with reconnect false too", () => {
    const { added, removed } = spyListeners();
    const mock = startMock();
    connect(mock, { reconnect: false });
    open();

    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS);

    expect(added).toHaveLength(2);
    expect(removed).toHaveLength(2);
    for (const entry of added) expect(removed).toContainEqual(entry);
  });

  it("adds them once again on reconnect() after close()", () => {
    const { added, removed } = spyListeners();
    const mock = startMock();
    const socket = connect(mock);
    open();
    socket.close();

    socket.reconnect();
    socket.reconnect();
    open();

    expect(added).toHaveLength(4);
    expect(removed).toHaveLength(2);
  });
});
