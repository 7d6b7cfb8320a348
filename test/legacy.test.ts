/**
 * @jest-environment jsdom
 *
 * The `nextAuth` global of the script-tag build, in jsdom with mock-socket
 * and fake timers. The same API runs in Chromium in test/browser/.
 */
import * as api from "../src/index";
import { createLegacy } from "../src/legacy";
import type { LegacyNextAuth, LegacySession } from "../src/legacy";
import {
  HSID,
  MOCK_DELAY_MS,
  OTHER_HSID,
  SERVER_ID,
  STRANGER_HSID,
  cleanUp,
  startMock,
} from "./helpers/mock-nextauth";
import type { MockNextAuth } from "./helpers/mock-nextauth";

const realWebSocket = globalThis.WebSocket;
let mock: MockNextAuth;
let nextAuth: LegacyNextAuth;
/** What the page's nextAuth did, in order. */
let actions: string[];

beforeEach(() => {
  jest.useFakeTimers();
  mock = startMock();
  // wsinit takes the page's WebSocket, as the pasted script did.
  globalThis.WebSocket = mock.WebSocket as unknown as typeof WebSocket;
  nextAuth = createLegacy();
  actions = [];
  nextAuth.reload = () => actions.push("reload");
  nextAuth.navigate = (url) => actions.push(`navigate ${url}`);
});

afterEach(() => {
  nextAuth.socket?.close();
  cleanUp();
  globalThis.WebSocket = realWebSocket;
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** wsinit, then lets mock-socket open the connection. */
function init(sessiondata: readonly LegacySession[]): void {
  nextAuth.wsinit(sessiondata, mock.url);
  jest.advanceTimersByTime(MOCK_DELAY_MS);
}

/** Records what logmsg and wsreceive get, instead of acting on it. */
function recordFrames(): void {
  nextAuth.logmsg = (msg) => actions.push(`logmsg ${msg}`);
  nextAuth.wsreceive = (msg, sessiondata) => {
    actions.push(`wsreceive ${msg} (${sessiondata.length} sessions)`);
  };
}

describe("wsinit", () => {
  it("sends REGISTER for every session on open", () => {
    init([
      [SERVER_ID, HSID, false],
      [SERVER_ID, OTHER_HSID, true],
    ]);

    expect(mock.sent).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${OTHER_HSID} ${SERVER_ID}`,
    ]);
    expect(nextAuth.socket?.state).toBe("open");
  });

  it("returns the socket and keeps it as nextAuth.socket", () => {
    const socket = nextAuth.wsinit([[SERVER_ID, HSID, false]], mock.url);

    expect(socket).toBeInstanceOf(api.NextAuthSocket);
    expect(nextAuth.socket).toBe(socket);
  });

  it.each<[LegacySession[2], boolean | undefined]>([
    [true, true],
    [1, true],
    ["1", true],
    ["true", true],
    [false, false],
    [0, false],
    ["0", false],
    ["false", false],
    ["", false],
    [undefined, undefined],
    [null, undefined],
  ])("reads loggedin %j as %j", (loggedin, loggedIn) => {
    const socket = nextAuth.wsinit([[SERVER_ID, HSID, loggedin]], mock.url);

    expect(socket.sessions.map((session) => session.loggedIn)).toEqual([
      loggedIn,
    ]);
  });

  it("passes every text frame to logmsg, then wsreceive, once", () => {
    recordFrames();
    init([
      [SERVER_ID, HSID, false],
      [SERVER_ID, OTHER_HSID, true],
    ]);

    mock.emit(`CANPROVOKE ${HSID} ${SERVER_ID}`);
    mock.emit(`NEWTYPE ${OTHER_HSID} ${SERVER_ID}`);
    mock.emit("hello");
    mock.emit(`LOGIN ${STRANGER_HSID} ${SERVER_ID}`);
    mock.client.send(new ArrayBuffer(2));
    mock.emit(`LOGIN ${OTHER_HSID} ${SERVER_ID}`);

    // The socket drops a known command for a session it did not register,
    // and wsinit skips binary frames: neither is meant for this page.
    expect(actions).toEqual([
      `logmsg CANPROVOKE ${HSID} ${SERVER_ID}`,
      `wsreceive CANPROVOKE ${HSID} ${SERVER_ID} (2 sessions)`,
      `logmsg NEWTYPE ${OTHER_HSID} ${SERVER_ID}`,
      `wsreceive NEWTYPE ${OTHER_HSID} ${SERVER_ID} (2 sessions)`,
      "logmsg hello",
      "wsreceive hello (2 sessions)",
      `logmsg LOGIN ${OTHER_HSID} ${SERVER_ID}`,
      `wsreceive LOGIN ${OTHER_HSID} ${SERVER_ID} (2 sessions)`,
    ]);
  });

  it("passes the sessiondata it was given to wsreceive", () => {
    const sessiondata: LegacySession[] = [[SERVER_ID, HSID, "0"]];
    const received: unknown[] = [];
    nextAuth.wsreceive = (_msg, data) => received.push(data);
    init(sessiondata);

    mock.emit(`LOGOUT ${HSID} ${SERVER_ID}`);

    expect(received).toEqual([sessiondata]);
    expect(received[0]).toBe(sessiondata);
  });

  it("looks wsreceive and logmsg up when a frame arrives", () => {
    init([[SERVER_ID, HSID, false]]);

    recordFrames();
    mock.emit(`CONFIRMSCAN ${HSID} ${SERVER_ID}`);

    expect(actions).toEqual([
      `logmsg CONFIRMSCAN ${HSID} ${SERVER_ID}`,
      `wsreceive CONFIRMSCAN ${HSID} ${SERVER_ID} (1 sessions)`,
    ]);
  });

  it("closes the first socket on a second call, for good", () => {
    init([[SERVER_ID, HSID, false]]);
    const first = nextAuth.socket;

    init([[SERVER_ID, OTHER_HSID, false]]);
    jest.advanceTimersByTime(api.DEFAULTS.reconnect.maxDelayMs * 2);

    expect(first?.state).toBe("closed");
    expect(nextAuth.socket).not.toBe(first);
    expect(mock.created.map((ws) => ws.readyState)).toEqual([
      WebSocket.CLOSED,
      WebSocket.OPEN,
    ]);
    expect(mock.sent).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${OTHER_HSID} ${SERVER_ID}`,
    ]);
  });

  it("keeps the first socket when the second call throws", () => {
    init([[SERVER_ID, HSID, false]]);
    const first = nextAuth.socket;

    expect(() =>
      nextAuth.wsinit([[SERVER_ID, "not an id", false]], mock.url),
    ).toThrow(TypeError);

    expect(nextAuth.socket).toBe(first);
    expect(first?.state).toBe("open");
    expect(mock.created).toHaveLength(1);
  });
});

describe("provoke", () => {
  it("sends PROVOKE nonce serverid, resolving on CONFIRMPROVOKE", async () => {
    init([[SERVER_ID, HSID, false]]);

    const confirmed = nextAuth.provoke(SERVER_ID, HSID);
    mock.emit(`CONFIRMPROVOKE ${HSID} ${SERVER_ID}`);

    expect((await confirmed).raw).toBe(`CONFIRMPROVOKE ${HSID} ${SERVER_ID}`);
    expect(mock.sent).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `PROVOKE ${HSID} ${SERVER_ID}`,
    ]);
  });

  it("throws, naming wsinit, before wsinit", () => {
    expect(() => nextAuth.provoke(SERVER_ID, HSID)).toThrow(
      "call nextAuth.wsinit() first",
    );
  });
});

describe("wssend", () => {
  it("sends the frame as given", () => {
    init([[SERVER_ID, HSID, false]]);

    nextAuth.wssend("PING");

    expect(mock.sent).toEqual([`REGISTER ${HSID} ${SERVER_ID}`, "PING"]);
  });

  it("throws, naming wsinit, before wsinit", () => {
    expect(() => nextAuth.wssend("PING")).toThrow(
      "call nextAuth.wsinit() first",
    );
  });
});

describe("wsreceive (the default)", () => {
  const sessiondata: LegacySession[] = [
    [SERVER_ID, HSID, false],
    [SERVER_ID, OTHER_HSID, "1"],
    [SERVER_ID, STRANGER_HSID, null],
  ];

  it.each([
    [`LOGIN ${HSID} ${SERVER_ID}`, ["reload"]],
    [`LOGOUT ${HSID} ${SERVER_ID}`, []],
    [`LOGOUT ${OTHER_HSID} ${SERVER_ID}`, ["navigate /"]],
    [`LOGIN ${OTHER_HSID} ${SERVER_ID}`, []],
    [`LOGIN ${STRANGER_HSID} ${SERVER_ID}`, []],
    [`LOGOUT ${STRANGER_HSID} ${SERVER_ID}`, []],
    [`LOGIN ${HSID} b3RoZXItc2VydmVy`, []],
    [`LOGIN ${HSID} ${SERVER_ID}\r\n`, ["reload"]],
    [`CANPROVOKE ${HSID} ${SERVER_ID}`, []],
    [`CONFIRMPROVOKE ${OTHER_HSID} ${SERVER_ID}`, []],
    ["LOGIN", []],
    ["", []],
  ])("answers %j with %j", (msg, expected) => {
    nextAuth.wsreceive(msg, sessiondata);

    expect(actions).toEqual(expected);
  });

  it("acts on frames from the socket", () => {
    init(sessiondata);

    mock.emit(`LOGOUT ${OTHER_HSID} ${SERVER_ID}`);
    mock.emit(`LOGIN ${HSID} ${SERVER_ID}`);

    expect(actions).toEqual(["navigate /", "reload"]);
  });
});

describe("logmsg", () => {
  it("is silent unless nextAuth.debug is true", () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => {});
    init([[SERVER_ID, HSID, false]]);

    mock.emit(`CANPROVOKE ${HSID} ${SERVER_ID}`);
    nextAuth.debug = true;
    mock.emit(`CONFIRMSCAN ${HSID} ${SERVER_ID}`);

    expect(log.mock.calls).toEqual([
      [`CONFIRMSCAN ${HSID.slice(0, 4)}… ${SERVER_ID.slice(0, 4)}…`],
    ]);
  });
});

describe("the browser entry", () => {
  type Page = Window & { nextAuth?: unknown };
  const page = window as Page;

  afterEach(() => {
    delete page.nextAuth;
    document.body.replaceChildren();
  });

  function loadEntry(): typeof api {
    let exports: typeof api | undefined;
    jest.isolateModules(() => {
      exports = jest.requireActual<typeof api>("../src/browser");
    });
    return exports as typeof api;
  }

  it("exports everything index.ts exports", () => {
    expect(Object.keys(loadEntry()).sort()).toEqual(Object.keys(api).sort());
  });

  it("installs window.nextAuth when the page has none", () => {
    loadEntry();

    expect(Object.keys(page.nextAuth as object).sort()).toEqual(
      Object.keys(createLegacy()).sort(),
    );
  });

  it("leaves a nextAuth the page defined alone", () => {
    const pasted = { wsinit: () => undefined };
    page.nextAuth = pasted;

    loadEntry();

    expect(page.nextAuth).toBe(pasted);
  });

  it("shadows an element named nextAuth", () => {
    const element = document.createElement("div");
    element.id = "nextAuth";
    document.body.append(element);
    // jsdom has no named access on window: stand in for it.
    page.nextAuth = element;

    loadEntry();

    expect(typeof (page.nextAuth as LegacyNextAuth).wsinit).toBe("function");
  });
});
