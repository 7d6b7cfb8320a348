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
  /** The command type, upper case, such as `"LOGIN"`. */
  command: string;
  /** The nextAuth server configuration id the frame names. */
  serverId: string;
  /** The session id (nonce, register id) the frame names. */
  hsid: string;
  /** The frame as received. */
  raw: string;
  /** The session as known after this command. */
  session: SessionSnapshot;
  /**
   * For `login` and `logout`: whether the known status was the opposite
   * one. Leave it out (false) for other commands.
   */
  changed?: boolean;
}

/**
 * A command from the server for a session this socket registered. Its
 * event type is the command in lower case (`login`, `canprovoke`, …), or
 * `command` for the event that precedes every one of them.
 */
export class CommandEvent extends Event {
  /** The command type, upper case, such as `"LOGIN"`. */
  readonly command: string;
  /** The nextAuth server configuration id of the session. */
  readonly serverId: string;
  /** The session id (nonce, register id) of the session. */
  readonly hsid: string;
  /** The frame as received. */
  readonly raw: string;
  /** The session as known after this command. */
  readonly session: SessionSnapshot;
  /**
   * For `login` and `logout`: true when the status known before was the
   * opposite one (not when it was unknown). False for other commands.
   */
  readonly changed: boolean;

  constructor(type: string, init: CommandEventInit) {
    super(type);
    // Field by field, on the path of every frame: faster than a copy.
    this.command = init.command;
    this.serverId = init.serverId;
    this.hsid = init.hsid;
    this.raw = init.raw;
    this.session = init.session;
    this.changed = init.changed ?? false;
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
  /** The WebSocket close code; 1006 when there was none. */
  code: number;
  /** The reason given with the close code; often empty. */
  reason: string;
  /** Whether the closing handshake completed. */
  wasClean: boolean;
  /** Whether the socket will try again on its own. */
  willReconnect: boolean;
}

/**
 * The connection closed or failed to open. `code` is the WebSocket close
 * code: 1006 when the connection failed without one (refused, dropped,
 * timed out while connecting).
 */
export class SocketCloseEvent extends Event {
  /**
   * The WebSocket close code, such as 1000; 1006 when the connection
   * failed without one.
   */
  declare readonly code: number;
  /** The reason given with the close code; often empty. */
  declare readonly reason: string;
  /** Whether the closing handshake completed. */
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
  /** The state before the change. */
  readonly previous: SocketState;
  /** The state now, the same as the socket's `state`. */
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
  /** `LOGIN`: the session is logged in. */
  login: CommandEvent;
  /** `LOGOUT`: the session is logged out. */
  logout: CommandEvent;
  /** `CANPROVOKE`: a push login is possible for the session. */
  canprovoke: CommandEvent;
  /** `CONFIRMPROVOKE`: the phone got the push; approval comes as login. */
  confirmprovoke: CommandEvent;
  /** `CONFIRMSCAN`: the app scanned the session's QR code. */
  confirmscan: CommandEvent;
  /** `CANCEL`: the person aborted the flow on the phone. */
  cancel: CommandEvent;
  /** `NOACCOUNTS`: the app holds no account for this server. */
  noaccounts: CommandEvent;
  /** Any command for a registered session, before its own event. */
  command: CommandEvent;
  /** A frame that is not a known command, or a binary frame. */
  unknown: UnknownFrameEvent;
  /** The connection opened and `REGISTER` went out for every session. */
  open: Event;
  /** The connection closed, or failed to open. */
  close: SocketCloseEvent;
  /** A reconnect attempt is scheduled. */
  reconnecting: ReconnectingEvent;
  /** The WebSocket reported an error, or could not be created. */
  error: SocketErrorEvent;
  /** The connection state changed. */
  statechange: StateChangeEvent;
}
