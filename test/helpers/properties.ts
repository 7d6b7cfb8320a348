/**
 * The properties that test/property.test.ts checks 1 000 times in
 * `npm test` and bench/fuzz.ts checks a million times in `npm run fuzz`.
 * Each one judges the library by an oracle written here, from the
 * protocol's rules, not by the library's own validators. The codec's
 * properties use node:assert rather than expect: a million runs of
 * expect take minutes.
 */
import assert from "node:assert/strict";

import fc from "fast-check";
import { Server, WebSocket as MockWebSocket } from "mock-socket";

import { NextAuthSocket, formatCommand, parseCommand } from "../../src";
import type { Logger, SessionInit, WebSocketConstructor } from "../../src";

/** The id rule of PROTOCOL.md, written again independently. */
export function isSafeId(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9\-_+/=]{1,512}$/.test(value);
}

/** What a command frame may look like on the wire. */
export const WIRE_COMMAND = /^[A-Z]+( [A-Za-z0-9\-_+/=]{1,512}){2}$/;
const TYPE = /^[A-Z][A-Z0-9_]{0,63}$/;
const ANY_TYPE_COMMAND = /^[A-Z][A-Z0-9_]{0,63}( [A-Za-z0-9\-_+/=]{1,512}){2}$/;

const idChars =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" + "0123456789-_+/=";

/** A valid id: mostly short, sometimes the longest allowed. */
export const validId = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9\-_+/=]{1,24}$/) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 25, max: 512 }).chain((length) =>
      fc.string({
        unit: fc.constantFrom(...idChars),
        minLength: length,
        maxLength: length,
      }),
    ),
  },
);

const separators = fc.constantFrom(
  " ",
  "  ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "\u0000",
  "\u2028",
  "\u00a0",
  "",
);

/** Anything that might be passed as an id, valid or not. */
export const anyId: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: validId },
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: "binary" }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(validId, separators, validId)
      .map(([left, separator, right]) => left + separator + right),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", "x".repeat(512), "x".repeat(513)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(undefined, null, 42, {}, ["a"]),
  },
);

/** A string that looks more or less like a frame, or nothing like one. */
export const anyFrame: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc
    .array(
      fc.oneof(
        fc.stringMatching(/^[A-Z]{1,16}$/),
        validId,
        fc.string({ maxLength: 4 }),
        separators,
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(" ")),
  fc
    .tuple(
      fc.constantFrom("LOGIN", "LOGOUT", "CANPROVOKE", "CONFIRMPROVOKE"),
      separators,
      fc.oneof(validId, fc.string()),
      separators,
      fc.oneof(validId, fc.string()),
      fc.string({ maxLength: 8 }),
    )
    .map((parts) => parts.join("")),
);

/** A command this library may format: any upper-case type, valid ids. */
export const validCommand = fc.record({
  type: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,63}$/),
  hsid: validId,
  serverId: validId,
});

/** `parseCommand(formatCommand(c))` gives `c` back, with the frame. */
export function roundTrip() {
  return fc.property(validCommand, (command) => {
    const frame = formatCommand(command);
    assert.deepStrictEqual(parseCommand(frame), { ...command, raw: frame });
  });
}

/**
 * `parseCommand` never throws, and what it returns is either nothing or
 * a command with an upper-case type and two safe ids.
 */
export function parseIsTotal() {
  return fc.property(
    fc.oneof({ weight: 9, arbitrary: anyFrame }, fc.anything()),
    (frame: unknown) => {
      const command = parseCommand(frame);
      if (command === undefined) return;

      assert.strictEqual(command.raw, frame);
      assert.match(command.type, TYPE);
      assert.ok(isSafeId(command.hsid), "hsid");
      assert.ok(isSafeId(command.serverId), "serverId");
    },
  );
}

/**
 * `formatCommand` returns a well-formed frame for good input and throws
 * a `TypeError` for anything else.
 */
export function formatIsStrict() {
  const anyType = fc.oneof(
    fc.stringMatching(/^[A-Z][A-Z0-9_]{0,63}$/),
    fc.string(),
    fc.constantFrom<unknown>("", "login", "LOG IN", "A\n", undefined, 7),
  );
  return fc.property(anyType, anyId, anyId, (type, hsid, serverId) => {
    const good =
      typeof type === "string" &&
      TYPE.test(type) &&
      isSafeId(hsid) &&
      isSafeId(serverId);
    const command = { type, hsid, serverId } as {
      type: string;
      hsid: string;
      serverId: string;
    };

    if (!good) {
      assert.throws(() => formatCommand(command), TypeError);
      return;
    }
    const frame = formatCommand(command);
    assert.strictEqual(frame, `${type} ${hsid} ${serverId}`);
    assert.match(frame, ANY_TYPE_COMMAND);
  });
}

// --- the socket's public methods, over mock-socket -----------------------

const WIRE_URL = "ws://127.0.0.1:9/property";

/** One call to a public method, with ids that may be bad. */
type Action =
  | { method: "register"; serverId: unknown; hsid: unknown; loggedIn: unknown }
  | { method: "provoke" | "logout"; pick: number | null; ids: unknown[] }
  | { method: "send"; line: unknown; pick: number | null };

const sessionArb = fc.record({
  serverId: anyId,
  hsid: anyId,
  loggedIn: fc.constantFrom<unknown>(undefined, true, false, "yes"),
});

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  sessionArb.map((session) => ({ method: "register" as const, ...session })),
  fc.record({
    method: fc.constantFrom("provoke" as const, "logout" as const),
    pick: fc.option(fc.nat()),
    ids: fc.array(anyId, { maxLength: 2 }),
  }),
  fc.record({
    method: fc.constant("send" as const),
    line: fc.oneof(anyId, anyFrame),
    pick: fc.option(fc.nat()),
  }),
);

/** What running the actions put on the wire and in the log. */
interface Outcome {
  frames: string[];
  logs: string[];
  rawLines: Set<string>;
  ids: Set<string>;
}

function sameSession(left: SessionInit, right: SessionInit): boolean {
  return left.serverId === right.serverId && left.hsid === right.hsid;
}

/**
 * Runs one action and checks it threw a `TypeError` exactly when the
 * oracle says the input is bad. Returns how many frames it should add.
 */
function act(
  socket: NextAuthSocket,
  sessions: SessionInit[],
  action: Action,
  outcome: Outcome,
): number {
  const picked =
    "pick" in action && action.pick !== null && sessions.length > 0
      ? sessions[action.pick % sessions.length]
      : undefined;
  // A raw line is not an id; the ids of a session picked for it are.
  const given =
    action.method === "register"
      ? [action.serverId, action.hsid]
      : action.method === "send"
        ? []
        : action.ids;
  for (const value of given) {
    if (isSafeId(value)) outcome.ids.add(value);
  }

  if (action.method === "register") {
    const { serverId, hsid, loggedIn } = action;
    const good =
      isSafeId(serverId) &&
      isSafeId(hsid) &&
      (loggedIn === undefined || typeof loggedIn === "boolean");
    const session = { serverId, hsid, loggedIn } as SessionInit;
    if (!good) {
      expect(() => socket.register(session)).toThrow(TypeError);
      return 0;
    }
    const known = sessions.some((other) => sameSession(other, session));
    socket.register(session);
    if (known) return 0;
    sessions.push(session);
    return socket.state === "open" ? 1 : 0;
  }

  if (action.method === "send") {
    const line = picked
      ? `${picked.hsid} ${picked.serverId}`
      : (action.line as string);
    // The rule, written out here rather than taken from the library: no
    // C0 control, DEL, NEL, line or paragraph separator.
    const good =
      typeof line === "string" &&
      !/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(line);
    if (!good) {
      expect(() => socket.send(line)).toThrow(TypeError);
      return 0;
    }
    socket.send(line);
    outcome.rawLines.add(line);
    return 1;
  }

  const [serverId, hsid] = picked
    ? [picked.serverId, picked.hsid]
    : [action.ids[0], action.ids[1]];
  const onlyOne = sessions.length === 1;
  const neither = serverId === undefined && hsid === undefined;
  let good: boolean;
  if (neither) good = onlyOne;
  else if (action.method === "logout") {
    good = isSafeId(serverId) && isSafeId(hsid);
  } else {
    good = sessions.some(
      (session) => session.serverId === serverId && session.hsid === hsid,
    );
  }
  const call = () =>
    action.method === "logout"
      ? socket.logout(serverId as string, hsid as string)
      : socket.provoke(serverId as string, hsid as string);
  if (!good) {
    expect(call).toThrow(TypeError);
    return 0;
  }
  call();
  return 1;
}

/**
 * No public method puts an invalid id or a line break on the wire: every
 * frame the server receives is a well-formed command, `PING`, or a raw
 * line the page sent that has no control character; bad input throws `TypeError`
 * and sends nothing; no log line holds an id of eight characters or more
 * in full. Needs jest's fake timers.
 */
export function publicMethodsAreSafe() {
  return fc.asyncProperty(
    fc.array(sessionArb, { maxLength: 3 }) as fc.Arbitrary<SessionInit[]>,
    fc.array(actionArb, { maxLength: 6 }),
    fc.array(actionArb, { maxLength: 6 }),
    async (initial, beforeOpen, afterOpen) => {
      const server = new Server(WIRE_URL);
      const outcome: Outcome = {
        frames: [],
        logs: [],
        rawLines: new Set(),
        ids: new Set(),
      };
      server.on("connection", (ws) => {
        ws.on("message", (data) => outcome.frames.push(String(data)));
      });
      const log = (message: string) => outcome.logs.push(message);
      const logger = { debug: log, warn: log, error: log };

      try {
        await run(initial, beforeOpen, afterOpen, logger, outcome);
      } finally {
        server.stop();
      }
    },
  );
}

async function run(
  initial: SessionInit[],
  beforeOpen: Action[],
  afterOpen: Action[],
  logger: Logger,
  outcome: Outcome,
): Promise<void> {
  const good = initial.every(
    (session) =>
      isSafeId(session.serverId) &&
      isSafeId(session.hsid) &&
      (session.loggedIn === undefined || typeof session.loggedIn === "boolean"),
  );
  const options = {
    url: WIRE_URL,
    sessions: initial,
    WebSocket: MockWebSocket as unknown as WebSocketConstructor,
    logger,
  };
  if (!good) {
    expect(() => new NextAuthSocket(options)).toThrow(TypeError);
    return;
  }

  const socket = new NextAuthSocket(options);
  const sessions: SessionInit[] = [];
  for (const session of initial) {
    if (!sessions.some((other) => sameSession(other, session))) {
      sessions.push(session);
    }
    outcome.ids.add(session.serverId).add(session.hsid);
  }
  let expected = 0;
  for (const action of beforeOpen) {
    expected += act(socket, sessions, action, outcome);
  }
  expected += sessions.length;
  await jest.advanceTimersByTimeAsync(10);
  expect(socket.state).toBe("open");
  for (const action of afterOpen) {
    expected += act(socket, sessions, action, outcome);
  }
  await jest.advanceTimersByTimeAsync(10);
  socket.close();
  await jest.advanceTimersByTimeAsync(10);

  expect(outcome.frames).toHaveLength(expected);
  for (const frame of outcome.frames) {
    const wellFormed =
      WIRE_COMMAND.test(frame) ||
      frame === "PING" ||
      (outcome.rawLines.has(frame) &&
        !/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(frame));
    expect({ frame, wellFormed }).toEqual({ frame, wellFormed: true });
  }
  const longIds = [...outcome.ids].filter((id) => id.length >= 8);
  const leaks = outcome.logs.filter((line) =>
    longIds.some((id) => line.includes(id)),
  );
  expect(leaks).toEqual([]);
}
