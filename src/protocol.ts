/**
 * The nextAuth WebSocket wire format: one command per text frame,
 * `TYPE HSID SERVERID`. Pure: no I/O, no timers, no DOM.
 *
 * @packageDocumentation
 */

/** Commands the nextAuth server sends to a page. */
export const SERVER_COMMANDS = [
  "LOGIN",
  "LOGOUT",
  "CANPROVOKE",
  "CONFIRMPROVOKE",
  "CONFIRMSCAN",
  "CANCEL",
  "NOACCOUNTS",
] as const;

/** The type of a command the nextAuth server sends to a page. */
export type ServerCommandType = (typeof SERVER_COMMANDS)[number];

/** Commands a page sends to the nextAuth server. */
export const CLIENT_COMMANDS = [
  "REGISTER",
  "PROVOKE",
  "LOGOUT",
  "PING",
] as const;

/** The type of a command a page sends to the nextAuth server. */
export type ClientCommandType = (typeof CLIENT_COMMANDS)[number];

/** The longest id accepted, in characters. */
export const MAX_ID_LENGTH = 512;

/** A command to put on the wire with {@link formatCommand}. */
export interface CommandInit {
  /** Upper-case command type, such as `"REGISTER"`. */
  type: string;
  /** The session id (nonce, register id). */
  hsid: string;
  /** The nextAuth server configuration id. */
  serverId: string;
}

/** One parsed frame: what {@link parseCommand} returns. */
export interface Command extends CommandInit {
  /** The frame as received, unchanged. */
  raw: string;
}

const ID_PATTERN = /^[A-Za-z0-9\-_+/=]+$/;
const TYPE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
// Anchored and bounded, so a hostile 1 MB frame costs no more than a
// short one: the type, two ids, then a separator or the end. What follows
// the third field (fields of a newer server, a CR or LF) is ignored.
const ID_FIELD = "([A-Za-z0-9\\-_+/=]{1,512})";
const FRAME_PATTERN = new RegExp(
  `^\\s*([A-Z][A-Z0-9_]{0,63})[ \\t]+${ID_FIELD}[ \\t]+${ID_FIELD}(?:\\s|$)`,
);
const SERVER_COMMAND_SET: ReadonlySet<string> = new Set(SERVER_COMMANDS);

/**
 * Whether `id` is a usable serverId or hsid: 1 to 512 characters from
 * `A-Z a-z 0-9 - _ + / =`. Never throws.
 *
 * @example
 * ```ts
 * isValidId("aHNpZA"); // true
 * isValidId("a b");    // false: a space would split the command
 * ```
 */
export function isValidId(id: unknown): id is string {
  return (
    typeof id === "string" &&
    id.length > 0 &&
    id.length <= MAX_ID_LENGTH &&
    ID_PATTERN.test(id)
  );
}

/**
 * Whether `type` is one of the commands the server is known to send.
 */
export function isServerCommandType(type: string): type is ServerCommandType {
  return SERVER_COMMAND_SET.has(type);
}

/**
 * Throws a `TypeError` naming `field` unless `value` is a valid id.
 * The message never repeats the value: ids are secrets of a kind.
 *
 * @internal
 */
export function assertValidId(value: unknown, field: string): string {
  if (isValidId(value)) return value;

  throw new TypeError(
    `nextauth-ws: ${field} must be 1 to ${MAX_ID_LENGTH} characters ` +
      "of A-Z a-z 0-9 - _ + / =",
  );
}

/**
 * Parses one frame. Lenient: a trailing CR or LF, runs of spaces and
 * extra fields are accepted, so a newer server can add fields. Returns
 * `undefined` for a frame that is not `TYPE HSID SERVERID`; never throws.
 *
 * The type is returned whether known or not: see
 * {@link isServerCommandType}.
 *
 * @example
 * ```ts
 * parseCommand("LOGIN aHNpZA c2VydmVy");
 * // { type: "LOGIN", hsid: "aHNpZA", serverId: "c2VydmVy", raw: "..." }
 * parseCommand("hello"); // undefined
 * ```
 */
export function parseCommand(frame: unknown): Command | undefined {
  if (typeof frame !== "string") return undefined;

  const match = FRAME_PATTERN.exec(frame);
  if (match === null) return undefined;

  const [, type, hsid, serverId] = match;
  return { type, hsid, serverId, raw: frame };
}

/**
 * Formats one command as a frame, `TYPE HSID SERVERID`. Strict: throws a
 * `TypeError` naming the field for a type that is not upper case or an id
 * outside the safe set, so nothing malformed reaches the wire.
 *
 * @example
 * ```ts
 * formatCommand({ type: "REGISTER", hsid: "aHNpZA", serverId: "c2VydmVy" });
 * // "REGISTER aHNpZA c2VydmVy"
 * ```
 */
export function formatCommand(command: CommandInit): string {
  const { type } = command;
  if (typeof type !== "string" || !TYPE_PATTERN.test(type)) {
    throw new TypeError("nextauth-ws: type must be upper case, as REGISTER");
  }

  const hsid = assertValidId(command.hsid, "hsid");
  const serverId = assertValidId(command.serverId, "serverId");

  return `${type} ${hsid} ${serverId}`;
}

/**
 * Shortens an id for a log line: the first four characters and an
 * ellipsis. Log lines never carry an id in full.
 *
 * @internal
 */
export function shortId(id: string): string {
  return id.length <= 4 ? "…" : `${id.slice(0, 4)}…`;
}
