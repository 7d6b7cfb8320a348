import { SERVER_COMMANDS } from "../src";
import type { CommandEvent, SessionInit } from "../src";
import {
  ALL_EVENTS,
  HSID,
  MOCK_DELAY_MS,
  OTHER_HSID,
  SERVER_ID,
  STRANGER_HSID,
  cleanUp,
  connect,
  open,
  record,
  startMock,
} from "./helpers/mock-nextauth";

function frame(type: string, hsid = HSID, serverId = SERVER_ID): string {
  return `${type} ${hsid} ${serverId}`;
}

/** An open socket on a fresh mock, for one session. */
function openSocket(session: Partial<SessionInit> = {}) {
  const mock = startMock();
  const socket = connect(mock, {
    sessions: { serverId: SERVER_ID, hsid: HSID, ...session },
    reconnect: { minDelayMs: 100, maxDelayMs: 100 },
  });
  open();
  return { mock, socket };
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  cleanUp();
  jest.useRealTimers();
});

describe("command events", () => {
  it.each(SERVER_COMMANDS)("fires command, then %s", (type) => {
    const { mock, socket } = openSocket();
    const events = record(socket, ALL_EVENTS);

    mock.emit(frame(type));

    const name = type.toLowerCase();
    expect(events).toEqual([
      `command ${frame(type)} changed=false`,
      `${name} ${frame(type)} changed=false`,
    ]);
  });

  it("carries the command, ids, frame and session after it", () => {
    const { mock, socket } = openSocket({ loggedIn: false });
    const seen: CommandEvent[] = [];
    socket.addEventListener("login", (event) => {
      seen.push(event);
    });

    mock.emit(`${frame("LOGIN")} extra`);

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      type: "login",
      command: "LOGIN",
      serverId: SERVER_ID,
      hsid: HSID,
      raw: `${frame("LOGIN")} extra`,
      changed: true,
    });
    expect(seen[0].session).toBe(socket.sessions[0]);
    expect(seen[0].session.loggedIn).toBe(true);
  });

  it("drops known commands for a session it did not register", () => {
    const { mock, socket } = openSocket();
    const events = record(socket, ALL_EVENTS);

    mock.emit(frame("LOGIN", STRANGER_HSID));
    mock.emit(frame("CONFIRMPROVOKE", HSID, "b3RoZXJzZXJ2ZXI"));

    expect(events).toEqual([]);
    expect(socket.sessions[0].loggedIn).toBeUndefined();
  });

  it("fires unknown for an unknown type, for any session", () => {
    const { mock, socket } = openSocket();
    const events = record(socket, ALL_EVENTS);

    mock.emit(frame("FUTURE"));
    mock.emit(frame("FUTURE", STRANGER_HSID));

    expect(events).toEqual([
      `command ${frame("FUTURE")} changed=false`,
      `unknown "${frame("FUTURE")}"`,
      `unknown "${frame("FUTURE", STRANGER_HSID)}"`,
    ]);
  });

  it("fires unknown for a frame that is not a command", () => {
    const { mock, socket } = openSocket();
    const events = record(socket, ALL_EVENTS);

    mock.emit("hello");
    mock.emit("");
    mock.emit(`login ${HSID} ${SERVER_ID}`);
    mock.emit(`LOGIN ${HSID}`);

    expect(events).toEqual([
      'unknown "hello"',
      'unknown ""',
      `unknown "login ${HSID} ${SERVER_ID}"`,
      `unknown "LOGIN ${HSID}"`,
    ]);
  });

  it("fires unknown, marked binary, for a binary frame", () => {
    const { mock, socket } = openSocket();
    const binary: boolean[] = [];
    socket.addEventListener("unknown", (event) => {
      binary.push(event.binary);
    });

    mock.client.send(new ArrayBuffer(4));

    expect(binary).toEqual([true]);
  });
});

describe("changed", () => {
  it.each([
    [false, "LOGIN", true],
    [undefined, "LOGIN", false],
    [true, "LOGIN", false],
    [true, "LOGOUT", true],
    [undefined, "LOGOUT", false],
    [false, "LOGOUT", false],
  ] as const)("is %s>%s: %s", (loggedIn, type, changed) => {
    const { mock, socket } = openSocket({ loggedIn });
    const events = record(socket, [type === "LOGIN" ? "login" : "logout"]);

    mock.emit(frame(type));

    expect(events).toEqual([
      `${type.toLowerCase()} ${frame(type)} changed=${changed}`,
    ]);
  });

  it("follows the status the server reported last", () => {
    const { mock, socket } = openSocket();
    const events = record(socket, ["login", "logout"]);

    mock.emit(frame("LOGOUT"));
    mock.emit(frame("LOGIN"));
    mock.emit(frame("LOGIN"));
    mock.emit(frame("LOGOUT"));

    expect(events).toEqual([
      `logout ${frame("LOGOUT")} changed=false`,
      `login ${frame("LOGIN")} changed=true`,
      `login ${frame("LOGIN")} changed=false`,
      `logout ${frame("LOGOUT")} changed=true`,
    ]);
  });

  it("reports a login made while disconnected after the next REGISTER", () => {
    const { mock, socket } = openSocket({ loggedIn: false });
    mock.emit(frame("LOGOUT"));
    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS);
    expect(socket.state).toBe("reconnecting");
    const events = record(socket, ["open", "login", "logout"]);

    // The person logged in on the phone meanwhile: the server answers the
    // next REGISTER with LOGIN.
    mock.server.on("connection", (client) => client.send(frame("LOGIN")));
    jest.advanceTimersByTime(100);
    open();

    expect(mock.sent).toEqual([frame("REGISTER"), frame("REGISTER")]);
    expect(events).toEqual(["open", `login ${frame("LOGIN")} changed=true`]);
    expect(socket.sessions[0].loggedIn).toBe(true);
  });
});

describe("sessions", () => {
  it("tracks loggedIn and canProvoke", () => {
    const { mock, socket } = openSocket({ loggedIn: false });
    const states = [socket.sessions[0]];

    mock.emit(frame("CANPROVOKE"));
    states.push(socket.sessions[0]);
    mock.emit(frame("LOGIN"));
    states.push(socket.sessions[0]);
    mock.emit(frame("LOGOUT"));
    states.push(socket.sessions[0]);

    expect(
      states.map(({ loggedIn, canProvoke }) => ({ loggedIn, canProvoke })),
    ).toEqual([
      { loggedIn: false, canProvoke: false },
      { loggedIn: false, canProvoke: true },
      { loggedIn: true, canProvoke: true },
      { loggedIn: false, canProvoke: true },
    ]);
    for (const snapshot of states) expect(Object.isFrozen(snapshot)).toBe(true);
  });

  it("keeps the identity of the list and snapshots until a change", () => {
    const { mock, socket } = openSocket({ loggedIn: true });
    socket.register({ serverId: SERVER_ID, hsid: OTHER_HSID });
    mock.emit(frame("CANPROVOKE"));
    const list = socket.sessions;
    const [first, second] = list;

    for (const type of ["LOGIN", "CANPROVOKE", "CONFIRMSCAN", "CANCEL"]) {
      mock.emit(frame(type));
    }
    mock.emit(frame("LOGIN", STRANGER_HSID));
    mock.emit("hello");
    expect(socket.sessions).toBe(list);

    mock.emit(frame("LOGIN", OTHER_HSID));
    expect(socket.sessions).not.toBe(list);
    expect(socket.sessions[0]).toBe(first);
    expect(socket.sessions[1]).not.toBe(second);
    expect(second.loggedIn).toBeUndefined();
    expect(Object.isFrozen(socket.sessions)).toBe(true);
  });

  it("keeps what it knows across reconnects", () => {
    const { mock, socket } = openSocket();
    mock.emit(frame("CANPROVOKE"));
    mock.emit(frame("LOGIN"));
    const known = socket.sessions;

    mock.drop();
    jest.advanceTimersByTime(MOCK_DELAY_MS + 100);
    open();

    expect(socket.state).toBe("open");
    expect(socket.sessions).toBe(known);
  });
});
