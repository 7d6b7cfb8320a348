/**
 * The events a {@link NextAuthSocket} dispatches, and their map.
 *
 * @packageDocumentation
 */

import type { ServerCommandType } from "./protocol";
import type { SessionSnapshot } from "./sessions";

/** The connection states of a socket. */
export type SocketState = "connecting" | "open" | "reconnecting" | "closed";

/** What a {@link CommandEvent} is built from. */
export interface CommandEventInit {
  command: string;
  serverId: string;
  hsid: string;
  raw: string;
  session: SessionSnapshot;
  changed?: boolean;
}

/**
 * A command from the server for a session this socket registered. Its
 * event type is the command in lower case (`login`, `canprovoke`, …), or
 * `command` for the event that precedes every one of them.
 */
export class CommandEvent extends Event {
  /** The command type, upper case, such as `"LOGIN"`. */
  declare readonly command: string;
  declare readonly serverId: string;
  declare readonly hsid: string;
  /** The frame as received. */
  declare readonly raw: string;
  /** The session as known after this command. */
  declare readonly session: SessionSnapshot;
  /**
   * For `login` and `logout`: true when the status known before was the
   * opposite one (not when it was unknown). False for other commands.
   */
  declare readonly changed: boolean;

  constructor(type: string, init: CommandEventInit) {
    super(type);
    Object.assign(this, { changed: false }, init);
  }
}

/**
 * A frame that is not a known command: not `TYPE HSID SERVERID` at all, a
 * type this library does not know, or a binary frame.
 */
export class UnknownFrameEvent extends Event {
  /** The frame's text; empty for a binary frame. */
  readonly raw: string;
  /** Whether the frame was binary. */
  readonly binary: boolean;

  constructor(raw: string, binary = false) {
    super("unknown");
    this.raw = raw;
    this.binary = binary;
  }
}

/** What a {@link SocketCloseEvent} is built from. */
export interface SocketCloseEventInit {
  code: number;
  reason: string;
  wasClean: boolean;
  willReconnect: boolean;
}

/**
 * The connection closed or failed to open. `code` is the WebSocket close
 * code: 1006 when the connection failed without one (refused, dropped,
 * timed out while connecting).
 */
export class SocketCloseEvent extends Event {
  declare readonly code: number;
  declare readonly reason: string;
  declare readonly wasClean: boolean;
  /** Whether the socket will try again on its own. */
  declare readonly willReconnect: boolean;

  constructor(init: SocketCloseEventInit) {
    super("close");
    Object.assign(this, init);
  }
}

/** A reconnect attempt is scheduled. */
export class ReconnectingEvent extends Event {
  /** 1 for the first attempt after a drop, then 2, 3, … */
  readonly attempt: number;
  /** How long until the attempt, in milliseconds. */
  readonly delayMs: number;

  constructor(attempt: number, delayMs: number) {
    super("reconnecting");
    this.attempt = attempt;
    this.delayMs = delayMs;
  }
}

/** The connection state changed. */
export class StateChangeEvent extends Event {
  readonly previous: SocketState;
  readonly state: SocketState;

  constructor(previous: SocketState, state: SocketState) {
    super("statechange");
    this.previous = previous;
    this.state = state;
  }
}

/**
 * The underlying WebSocket reported an error, or could not be created.
 * A `close` event follows when the connection is lost.
 */
export class SocketErrorEvent extends Event {
  /** What was thrown, when the WebSocket could not be created. */
  readonly error: unknown;

  constructor(error?: unknown) {
    super("error");
    this.error = error;
  }
}

/** Event type for each server command. */
export type CommandEventType = Lowercase<ServerCommandType>;

/** The events of a {@link NextAuthSocket}, by type. */
export interface NextAuthSocketEventMap {
  login: CommandEvent;
  logout: CommandEvent;
  canprovoke: CommandEvent;
  confirmprovoke: CommandEvent;
  confirmscan: CommandEvent;
  cancel: CommandEvent;
  noaccounts: CommandEvent;
  command: CommandEvent;
  unknown: UnknownFrameEvent;
  open: Event;
  close: SocketCloseEvent;
  reconnecting: ReconnectingEvent;
  error: SocketErrorEvent;
  statechange: StateChangeEvent;
}
