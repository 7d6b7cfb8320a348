import {
  CLIENT_COMMANDS,
  SERVER_COMMANDS,
  formatCommand,
  isServerCommandType,
  isValidId,
  parseCommand,
} from "../src/protocol";

const HSID = "aHNpZA";
const SERVER = "c2VydmVy";

describe("isValidId", () => {
  it.each([
    ["a"],
    ["aHNpZA"],
    ["0123456789abcdef"],
    ["A-Z_a-z+0/9="],
    ["x".repeat(512)],
  ])("accepts %j", (id) => {
    expect(isValidId(id)).toBe(true);
  });

  it.each([
    ["", "empty"],
    ["x".repeat(513), "over 512 characters"],
    ["a b", "a space"],
    ["a\tb", "a tab"],
    ["a\nb", "a line feed"],
    ["a\rb", "a carriage return"],
    ["a\u0000b", "a NUL"],
    ["é", "a non-ASCII letter"],
    ["a.b", "a dot"],
    ["a%20", "a percent"],
    ["<script>", "angle brackets"],
  ])("rejects %j (%s)", (id) => {
    expect(isValidId(id)).toBe(false);
  });

  it.each([[undefined], [null], [42], [{}], [["a"]]])(
    "rejects the non-string %j",
    (id) => {
      expect(isValidId(id)).toBe(false);
    },
  );
});

describe("parseCommand", () => {
  it.each(SERVER_COMMANDS.map((type) => [type]))("parses %s", (type) => {
    const raw = `${type} ${HSID} ${SERVER}`;
    expect(parseCommand(raw)).toEqual({
      type,
      hsid: HSID,
      serverId: SERVER,
      raw,
    });
  });

  it.each([
    ["LOGIN aHNpZA c2VydmVy\n", "a trailing LF"],
    ["LOGIN aHNpZA c2VydmVy\r\n", "a trailing CRLF"],
    ["LOGIN aHNpZA c2VydmVy\r", "a trailing CR"],
    ["LOGIN aHNpZA c2VydmVy extra fields 42", "extra fields"],
    ["LOGIN  aHNpZA   c2VydmVy", "runs of spaces"],
    ["LOGIN\taHNpZA\tc2VydmVy", "tabs"],
    ["  LOGIN aHNpZA c2VydmVy", "leading spaces"],
  ])("reads %j leniently (%s)", (raw) => {
    expect(parseCommand(raw)).toEqual({
      type: "LOGIN",
      hsid: HSID,
      serverId: SERVER,
      raw,
    });
  });

  it("returns a type it does not know, upper case", () => {
    expect(parseCommand("NEWTHING a b")).toEqual({
      type: "NEWTHING",
      hsid: "a",
      serverId: "b",
      raw: "NEWTHING a b",
    });
    expect(isServerCommandType("NEWTHING")).toBe(false);
  });

  it.each([
    ["", "empty"],
    ["LOGIN", "a bare type"],
    ["PING", "a bare PING"],
    ["LOGIN aHNpZA", "one id"],
    ["login aHNpZA c2VydmVy", "a lower-case type"],
    ["LOGIN aHN*ZA c2VydmVy", "a bad character in hsid"],
    ["LOGIN aHNpZA c2Vy%mVy", "a bad character in serverId"],
    [`LOGIN ${"x".repeat(513)} ${SERVER}`, "an hsid over 512 characters"],
    [`LOGIN ${HSID} ${"x".repeat(513)}`, "a serverId over 512 characters"],
    ["LOGIN aHNpZA c2VydmVy\u0000", "a NUL after the ids"],
    ['{"type":"LOGIN"}', "JSON"],
    ["1LOGIN a b", "a type starting with a digit"],
  ])("returns undefined for %j (%s)", (raw) => {
    expect(parseCommand(raw)).toBeUndefined();
  });

  it.each([[undefined], [null], [42], [{}], [new Uint8Array([76])]])(
    "returns undefined for the non-string %p",
    (frame) => {
      expect(parseCommand(frame)).toBeUndefined();
    },
  );

  it("handles a 1 MB frame without throwing", () => {
    const huge = `LOGIN ${HSID} ${SERVER} ${"x".repeat(1 << 20)}`;
    expect(parseCommand(huge)?.type).toBe("LOGIN");
    expect(parseCommand("x".repeat(1 << 20))).toBeUndefined();
    expect(parseCommand(" ".repeat(1 << 20))).toBeUndefined();
  });
});

describe("formatCommand", () => {
  it.each(CLIENT_COMMANDS.filter((type) => type !== "PING").map((t) => [t]))(
    "formats %s as TYPE HSID SERVERID",
    (type) => {
      expect(formatCommand({ type, hsid: HSID, serverId: SERVER })).toBe(
        `${type} ${HSID} ${SERVER}`,
      );
    },
  );

  it("round-trips through parseCommand", () => {
    const frame = formatCommand({
      type: "LOGIN",
      hsid: HSID,
      serverId: SERVER,
    });
    expect(parseCommand(frame)).toEqual({
      type: "LOGIN",
      hsid: HSID,
      serverId: SERVER,
      raw: frame,
    });
  });

  it.each([
    [{ hsid: "a b" }, /hsid/],
    [{ hsid: "" }, /hsid must be 1 to 512 characters/],
    [{ hsid: "x".repeat(513) }, /hsid must be 1 to 512 characters/],
    [{ serverId: "a\nb" }, /serverId/],
    [{ serverId: undefined }, /serverId must be/],
    [{ type: "register" }, /type/],
    [{ type: "REGISTER X" }, /type/],
    [{ type: "" }, /type/],
  ])("throws a TypeError for %j", (change, message) => {
    const command = { type: "REGISTER", hsid: HSID, serverId: SERVER };
    expect(() =>
      formatCommand({ ...command, ...change } as typeof command),
    ).toThrow(TypeError);
    expect(() =>
      formatCommand({ ...command, ...change } as typeof command),
    ).toThrow(message);
  });

  it("never repeats the rejected id in its message", () => {
    const secret = "s3cr3t-value with space";
    expect(() =>
      formatCommand({ type: "LOGIN", hsid: secret, serverId: SERVER }),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining("s3cr3t"),
      }),
    );
  });
});
