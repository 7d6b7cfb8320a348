/**
 * NextAuthSocket: one WebSocket to the nextAuth server, the sessions it
 * watches, and everything that keeps it connected.
 *
 * @packageDocumentation
 */

import { TypedEventTarget } from "typescript-event-target";

import { backoffDelay } from "./backoff";
import {
  CommandEvent,
  ReconnectingEvent,
  SocketCloseEvent,
  SocketErrorEvent,
  StateChangeEvent,
  UnknownFrameEvent,
} from "./events";
import type {
  CommandEventType,
  NextAuthSocketEventMap,
  SocketState,
} from "./events";
import { checkMs, resolveOptions } from "./options";
import type {
  NextAuthSocketOptions,
  ResolvedOptions,
  WebSocketLike,
} from "./options";
import {
  CLIENT_COMMANDS,
  assertValidId,
  formatCommand,
  isServerCommandType,
  parseCommand,
  shortId,
} from "./protocol";
import type { Command, ServerCommandType } from "./protocol";
import { ProvokeTracker } from "./provokes";
import type { PendingProvoke, ProvokeOptions } from "./provokes";
import { SessionRegistry, createSnapshot, sessionKey } from "./sessions";
import type { SessionInit, SessionSnapshot } from "./sessions";

/**
 * A connection must stay open this long, in milliseconds, before the
 * backoff count starts again from zero: a server that accepts and at once
 * closes must not get a tight loop.
 */
export const STABLE_AFTER_MS = 5000;

/**
 * A keep-alive timer that fires this much later than asked, in
 * milliseconds, means the machine slept: reconnect to resync. Above a
 * minute, because browsers may hold a hidden page's timers that long.
 */
export const SLEEP_THRESHOLD_MS = 90_000;

const OPEN = 1;

interface QueuedLine {
  line: string;
  provoke?: PendingProvoke;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * The state and sessions of a socket in one frozen object, for stores
 * such as React's `useSyncExternalStore`: see
 * {@link NextAuthSocket.getSnapshot}.
 */
export interface SocketSnapshot {
  readonly state: SocketState;
  readonly sessions: readonly SessionSnapshot[];
}

interface Environment {
  addEventListener?: (type: string, listener: () => void) => void;
  removeEventListener?: (type: string, listener: () => void) => void;
  document?: {
    visibilityState?: string;
    addEventListener(type: string, listener: () => void): void;
    removeEventListener(type: string, listener: () => void): void;
  };
}

/**
 * A typed, reconnecting client for the nextAuth WebSocket.
 *
 * It connects at once, sends `REGISTER` for every session on each open,
 * and dispatches one event per server command. See the README for the
 * events, states and options.
 *
 * @example
 * ```ts
 * const socket = new NextAuthSocket({
 *   url: "wss://ws.nextauth.com/",
 *   sessions: { serverId, hsid, loggedIn: false },
 * });
 * socket.addEventListener("canprovoke", () => showPushButton());
 * socket.addEventListener("login", (event) => {
 *   if (event.changed) location.reload();
 * });
 * await socket.provoke(); // resolves on CONFIRMPROVOKE
 * ```
 */
export class NextAuthSocket extends TypedEventTarget<NextAuthSocketEventMap> {
  private _options: ResolvedOptions;
  private _sessions = new SessionRegistry();
  private _provokes = new ProvokeTracker();
  private _queue: QueuedLine[] = [];
  private _state: SocketState = "closed";
  // The state the last statechange event announced: its `previous` must
  // be a state listeners saw, even when a listener changed course between.
  private _announced: SocketState = "closed";
  private _ws: WebSocketLike | undefined;
  private _attempt = 0;
  private _openedAt = 0;
  private _connectTimer: Timer | undefined;
  private _keepAliveTimer: Timer | undefined;
  private _reconnectTimer: Timer | undefined;
  private _listening = false;
  private _subscribers = new Set<{ listener: () => void }>();
  private _snapshot: SocketSnapshot | undefined;
  private _notified: SocketSnapshot | undefined;

  constructor(options: NextAuthSocketOptions) {
    super();
    this._options = resolveOptions(options);
    for (const session of this._options.sessions) this._sessions.add(session);

    this._listen();
    this._connect("connecting");
  }

  /** The connection state. */
  get state(): SocketState {
    return this._state;
  }

  /** What is known of each session, in the order they were added. */
  get sessions(): readonly SessionSnapshot[] {
    return this._sessions.list;
  }

  /**
   * Calls `listener` after any change of {@link NextAuthSocket.state} or
   * {@link NextAuthSocket.sessions}, and returns the function that stops
   * it. With {@link NextAuthSocket.getSnapshot}, the pair React's
   * `useSyncExternalStore` takes; both may be passed unbound. A listener
   * that throws is reported and does not stop the others.
   *
   * After `close()` nothing changes, so listeners are not called again
   * unless `register()` or `reconnect()` is.
   *
   * @example
   * ```ts
   * function useNextAuth(socket: NextAuthSocket): SocketSnapshot {
   *   return useSyncExternalStore(socket.subscribe, socket.getSnapshot);
   * }
   * ```
   */
  readonly subscribe = (listener: () => void): (() => void) => {
    if (typeof listener !== "function") {
      throw new TypeError("nextauth-ws: listener must be a function");
    }

    // One entry per call, so subscribing a function twice takes two
    // unsubscribes, as with separate functions.
    const entry = { listener };
    this._subscribers.add(entry);
    return () => {
      this._subscribers.delete(entry);
    };
  };

  /**
   * The state and sessions as one frozen object, which keeps its identity
   * until one of them changes: a store can compare it by reference. See
   * {@link NextAuthSocket.subscribe}.
   */
  readonly getSnapshot = (): SocketSnapshot => {
    const sessions = this._sessions.list;
    const current = this._snapshot;
    if (current?.state === this._state && current.sessions === sessions) {
      return current;
    }

    this._snapshot = Object.freeze({ state: this._state, sessions });
    return this._snapshot;
  };

  /**
   * Adds a session and sends `REGISTER` for it at once when open (else on
   * the next open). Returns its snapshot; a session already registered is
   * left as it is.
   */
  register(session: SessionInit): SessionSnapshot {
    const snapshot = createSnapshot(session);
    const existing = this._sessions.get(snapshot.serverId, snapshot.hsid);
    if (existing) return existing;

    this._sessions.add(snapshot);
    if (this._isOpen()) this._write(registerLine(snapshot));
    this._storeChanged();
    return snapshot;
  }

  /**
   * Asks the server to push a login request to the phone that last logged
   * in to the session: sends `PROVOKE nonce serverId`. With no ids, the
   * only registered session.
   *
   * Resolves with the `confirmprovoke` event once the phone received the
   * push (approval arrives later as `login`). Rejects with a
   * {@link ProvokeError}: `timeout`, `closed` (the connection ended after
   * the push went out: it is never sent twice) or `aborted`. Made while
   * disconnected, the push goes out right after the next `REGISTER`s.
   *
   * @throws TypeError for an id outside the safe set, one id without the
   * other, or a session that is not registered. Nothing is sent then.
   */
  provoke(
    serverId?: string,
    nonce?: string,
    options: ProvokeOptions = {},
  ): Promise<CommandEvent> {
    const session = this._findSession("provoke", serverId, nonce);
    const timeoutMs =
      options.timeoutMs === undefined
        ? this._options.provokeTimeoutMs
        : checkMs(options.timeoutMs, "timeoutMs", 1);
    const { signal } = options;
    if (signal !== undefined && !isAbortSignal(signal)) {
      throw new TypeError("nextauth-ws: signal must be an AbortSignal");
    }

    const key = sessionKey(session.serverId, session.hsid);
    const { entry, promise } = this._provokes.start(key, timeoutMs, signal);
    if (signal?.aborted) this._provokes.fail(entry, "aborted");
    else if (this._state === "closed") this._provokes.fail(entry, "closed");
    if (!this._provokes.isPending(entry)) return promise;

    const line = formatCommand({ ...session, type: "PROVOKE" });
    if (this._isOpen()) {
      this._write(line);
      entry.sent = true;
    } else {
      this._queue.push({ line, provoke: entry });
    }
    return promise;
  }

  /**
   * Logs the session out: sends `LOGOUT hsid serverId`. With no ids, the
   * only registered session. While disconnected, it goes out after the
   * next `REGISTER`s.
   */
  logout(serverId?: string, hsid?: string): void {
    const session =
      serverId === undefined && hsid === undefined
        ? this._findSession("logout", undefined, undefined)
        : {
            serverId: assertValidId(serverId, "serverId"),
            hsid: assertValidId(hsid, "hsid"),
          };

    this._sendOrQueue(formatCommand({ ...session, type: "LOGOUT" }));
  }

  /**
   * Sends one raw frame, for commands this library does not know yet.
   * While disconnected, it goes out after the next `REGISTER`s.
   *
   * @throws TypeError when `line` is not a string or holds a line break.
   */
  send(line: string): void {
    if (typeof line !== "string" || /[\r\n]/.test(line)) {
      throw new TypeError(
        "nextauth-ws: line must be a string without line breaks",
      );
    }

    this._sendOrQueue(line);
  }

  /**
   * Drops the current connection, if any, and connects again now. After
   * `close()`, starts the socket again.
   */
  reconnect(): void {
    this._clearTimer("reconnect");
    if (this._state === "closed") {
      this._listen();
      this._connect("connecting");
      return;
    }

    if (this._ws) {
      this._dropSocket();
      this._handleClose(1000, "reconnect", true, true);
      return;
    }
    this._connect("reconnecting");
  }

  /**
   * Closes the connection for good: no timer and no listener on `window`
   * or `document` remains, nothing reconnects, and pending push logins
   * reject with `closed`.
   */
  close(): void {
    if (this._state === "closed") return;

    const hadSocket = this._ws !== undefined;
    this._dropSocket();
    this._clearTimer("reconnect");
    this._unlisten();
    this._provokes.failClosed(true);
    this._queue = this._queue.filter((item) => item.provoke === undefined);

    this._state = "closed";
    if (hadSocket) {
      this.dispatchTypedEvent(
        "close",
        new SocketCloseEvent({
          code: 1000,
          reason: "closed by the page",
          wasClean: true,
          willReconnect: false,
        }),
      );
    }
    if (this._state !== "closed") return;

    this._announceState("closed");
  }

  private _connect(state: "connecting" | "reconnecting"): void {
    this._state = state;
    this._debug(`connecting to ${this._options.url}`);

    let ws: WebSocketLike;
    try {
      ws = new this._options.WebSocket(this._options.url);
    } catch (error) {
      this._announceState(state);
      if (this._state !== state || this._ws) return;
      this.dispatchTypedEvent("error", new SocketErrorEvent(error));
      if (this._state !== state || this._ws) return;
      this._handleClose(1006, "could not create the WebSocket", false);
      return;
    }

    this._ws = ws;
    const isCurrent = (): boolean => this._ws === ws;
    ws.addEventListener("open", () => {
      if (isCurrent()) this._handleOpen();
    });
    ws.addEventListener("message", (event) => {
      if (isCurrent()) this._handleMessage((event as MessageLike).data);
    });
    // Kept even after the socket is dropped: the ws package throws an
    // error event that has no listener.
    ws.addEventListener("error", () => {
      if (isCurrent()) {
        this.dispatchTypedEvent("error", new SocketErrorEvent());
      }
    });
    ws.addEventListener("close", (event) => {
      if (!isCurrent()) return;

      const { code, reason, wasClean } = event as CloseLike;
      this._ws = undefined;
      this._handleClose(code, reason, wasClean);
    });
    this._connectTimer = setTimeout(() => {
      this._connectTimer = undefined;
      this._warn("connection did not open in time; retrying");
      this._dropSocket();
      this._handleClose(1006, "connect timeout", false);
    }, this._options.connectTimeoutMs);

    this._announceState(state);
  }

  private _handleOpen(): void {
    this._clearTimer("connect");
    this._openedAt = Date.now();

    for (const session of this._sessions.list) {
      this._write(registerLine(session));
    }
    this._flushQueue();
    this._scheduleKeepAlive();

    this._state = "open";
    this._debug(`open; registered ${this._sessions.size} session(s)`);
    this._announceState("open");
    if (this._state === "open") {
      this.dispatchTypedEvent("open", new Event("open"));
    }
  }

  private _handleMessage(data: unknown): void {
    if (typeof data !== "string") {
      this._debug("ignored a binary frame");
      this.dispatchTypedEvent("unknown", new UnknownFrameEvent("", true));
      return;
    }

    const command = parseCommand(data);
    if (!command) {
      this.dispatchTypedEvent("unknown", new UnknownFrameEvent(data));
      return;
    }

    const { type } = command;
    const session = this._sessions.get(command.serverId, command.hsid);
    if (!isServerCommandType(type)) {
      if (session) {
        const init = { ...command, command: type, session };
        this.dispatchTypedEvent("command", new CommandEvent("command", init));
      }
      this.dispatchTypedEvent("unknown", new UnknownFrameEvent(data));
      return;
    }
    if (!session) {
      this._debug(
        `dropped ${type} for an unregistered session ${shortId(command.hsid)}`,
      );
      return;
    }

    this._apply(command, type, session);
  }

  private _apply(
    command: Command,
    type: ServerCommandType,
    before: SessionSnapshot,
  ): void {
    let changed = false;
    let after = before;
    if (type === "LOGIN") {
      changed = before.loggedIn === false;
      after = this._sessions.update(before, { loggedIn: true });
    } else if (type === "LOGOUT") {
      changed = before.loggedIn === true;
      after = this._sessions.update(before, { loggedIn: false });
    } else if (type === "CANPROVOKE") {
      after = this._sessions.update(before, { canProvoke: true });
    }
    this._debug(`received ${type} for ${shortId(command.hsid)}`);

    const init = { ...command, command: type, session: after, changed };
    const eventType = type.toLowerCase() as CommandEventType;
    const event = new CommandEvent(eventType, init);
    this.dispatchTypedEvent("command", new CommandEvent("command", init));
    this.dispatchTypedEvent(eventType, event);
    this._storeChanged();

    if (type === "CONFIRMPROVOKE") {
      this._provokes.confirm(sessionKey(after.serverId, after.hsid), event);
    }
  }

  private _handleClose(
    code: number,
    reason: string,
    wasClean: boolean,
    now = false,
  ): void {
    this._clearTimer("connect");
    this._clearTimer("keepAlive");
    if (this._openedAt && Date.now() - this._openedAt >= STABLE_AFTER_MS) {
      this._attempt = 0;
    }
    this._openedAt = 0;
    this._provokes.failClosed(false);

    const willReconnect = now || this._options.reconnect !== false;
    let delayMs = 0;
    if (willReconnect) {
      this._state = "reconnecting";
      delayMs = now ? 0 : this._scheduleReconnect(code);
    } else {
      this._state = "closed";
      this._unlisten();
      this._provokes.failClosed(true);
    }
    const state = this._state;
    this._debug(`closed with code ${code}`);

    this.dispatchTypedEvent(
      "close",
      new SocketCloseEvent({ code, reason, wasClean, willReconnect }),
    );
    if (this._state !== state || this._ws) return;

    this._announceState(state);
    if (this._state !== state || this._ws || !willReconnect) return;

    if (now) this._connect("reconnecting");
    else {
      this.dispatchTypedEvent(
        "reconnecting",
        new ReconnectingEvent(this._attempt, delayMs),
      );
    }
  }

  /** Schedules the next attempt and returns its delay. */
  private _scheduleReconnect(code: number): number {
    const backoff = this._options.reconnect;
    if (backoff === false) return 0;

    // Retrying cannot fix these (the server refused what we send, or our
    // origin): keep trying, as a browser cannot tell a refusal from an
    // outage, but only at the slowest pace.
    const delayMs = UNFIXABLE_CODES.has(code)
      ? backoff.maxDelayMs
      : backoffDelay(this._attempt, backoff);
    this._attempt += 1;

    this._clearTimer("reconnect");
    this._reconnectTimer = setTimeout(() => {
      this._reconnectTimer = undefined;
      this._connect("reconnecting");
    }, delayMs);
    this._debug(`reconnect attempt ${this._attempt} in ${delayMs} ms`);
    return delayMs;
  }

  private _scheduleKeepAlive(): void {
    const { keepAliveMs } = this._options;
    if (keepAliveMs === 0) return;

    const dueAt = Date.now() + keepAliveMs;
    this._keepAliveTimer = setTimeout(() => {
      this._keepAliveTimer = undefined;
      const lateMs = Date.now() - dueAt;
      if (lateMs > SLEEP_THRESHOLD_MS) {
        this._debug(`timer fired ${lateMs} ms late; reconnecting to resync`);
        this.reconnect();
        return;
      }

      this._write("PING");
      this._scheduleKeepAlive();
    }, keepAliveMs);
  }

  /** Reconnects now when the socket is down and waiting for its timer. */
  private _reconnectNowIfDown(why: string): void {
    if (this._state !== "reconnecting" || this._ws) return;

    this._debug(`${why}; reconnecting now`);
    this._clearTimer("reconnect");
    this._connect("reconnecting");
  }

  private _onOnline = (): void => {
    this._reconnectNowIfDown("back online");
  };

  private _onVisibilityChange = (): void => {
    const { document } = this._environment();
    if (document?.visibilityState !== "visible") return;

    this._reconnectNowIfDown("page visible again");
  };

  private _listen(): void {
    if (this._listening) return;

    const environment = this._environment();
    environment.addEventListener?.("online", this._onOnline);
    environment.document?.addEventListener(
      "visibilitychange",
      this._onVisibilityChange,
    );
    this._listening = true;
  }

  private _unlisten(): void {
    if (!this._listening) return;

    const environment = this._environment();
    environment.removeEventListener?.("online", this._onOnline);
    environment.document?.removeEventListener(
      "visibilitychange",
      this._onVisibilityChange,
    );
    this._listening = false;
  }

  private _environment(): Environment {
    return globalThis as Environment;
  }

  private _findSession(
    method: string,
    serverId: string | undefined,
    hsid: string | undefined,
  ): SessionSnapshot {
    if (serverId === undefined && hsid === undefined) {
      const { list } = this._sessions;
      if (list.length === 1) return list[0];
      throw new TypeError(
        `nextauth-ws: ${method}() needs serverId and hsid when ` +
          `${list.length} sessions are registered`,
      );
    }

    const session = this._sessions.get(
      assertValidId(serverId, "serverId"),
      assertValidId(hsid, "hsid"),
    );
    if (!session) {
      throw new TypeError(
        `nextauth-ws: ${method}() for a session that is not registered; ` +
          "call register() first",
      );
    }
    return session;
  }

  private _sendOrQueue(line: string): void {
    if (this._isOpen()) this._write(line);
    else this._queue.push({ line });
  }

  private _flushQueue(): void {
    const queue = this._queue;
    this._queue = [];
    for (const { line, provoke } of queue) {
      if (provoke && !this._provokes.isPending(provoke)) continue;

      this._write(line);
      if (provoke) provoke.sent = true;
    }
  }

  private _isOpen(): boolean {
    return this._state === "open" && this._ws?.readyState === OPEN;
  }

  private _write(line: string): void {
    this._ws?.send(line);
    this._debug(`sent ${describeLine(line)}`);
  }

  /** Forgets the current WebSocket and closes it, ignoring its events. */
  private _dropSocket(): void {
    this._clearTimer("connect");
    this._clearTimer("keepAlive");
    const ws = this._ws;
    this._ws = undefined;
    if (!ws) return;

    try {
      ws.close(1000);
    } catch (error) {
      // Some implementations throw when closing a socket that is still
      // connecting; it is being forgotten either way.
      this._debug(`close threw ${String(error)}`);
    }
  }

  private _clearTimer(which: "connect" | "keepAlive" | "reconnect"): void {
    if (which === "connect") {
      clearTimeout(this._connectTimer);
      this._connectTimer = undefined;
    } else if (which === "keepAlive") {
      clearTimeout(this._keepAliveTimer);
      this._keepAliveTimer = undefined;
    } else {
      clearTimeout(this._reconnectTimer);
      this._reconnectTimer = undefined;
    }
  }

  private _announceState(state: SocketState): void {
    const previous = this._announced;
    if (previous === state) return;

    this._announced = state;
    this.dispatchTypedEvent(
      "statechange",
      new StateChangeEvent(previous, state),
    );
    this._storeChanged();
  }

  /** Calls the subscribers when the snapshot changed since last time. */
  private _storeChanged(): void {
    const snapshot = this.getSnapshot();
    if (snapshot === this._notified) return;

    this._notified = snapshot;
    for (const { listener } of [...this._subscribers]) {
      try {
        listener();
      } catch (error) {
        // Reported as an uncaught error, like a throwing event listener,
        // without cutting the socket's own work short.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private _debug(message: string): void {
    this._options.logger?.debug(`[nextauth-ws] ${message}`);
  }

  private _warn(message: string): void {
    this._options.logger?.warn(`[nextauth-ws] ${message}`);
  }
}

// What the listeners read of the WebSocket's events; every
// implementation's events carry a `type`, see WebSocketLike.
interface MessageLike {
  readonly type: string;
  data: unknown;
}

interface CloseLike {
  readonly type: string;
  code: number;
  reason: string;
  wasClean: boolean;
}

/**
 * Close codes that a retry cannot fix: protocol error, unsupported data,
 * bad payload, policy violation (such as a refused origin), too big,
 * missing extension.
 */
const UNFIXABLE_CODES: ReadonlySet<number> = new Set([
  1002, 1003, 1007, 1008, 1009, 1010,
]);

function registerLine(session: SessionSnapshot): string {
  return formatCommand({ ...session, type: "REGISTER" });
}

const CLIENT_COMMAND_SET: ReadonlySet<string> = new Set(CLIENT_COMMANDS);

/**
 * A frame for a log line: a known type, and every other field shortened.
 * The first field of a raw line may itself be an id.
 */
function describeLine(line: string): string {
  const [type = "", ...ids] = line.split(" ");
  const label = CLIENT_COMMAND_SET.has(type) ? type : shortId(type);
  return [label, ...ids.map(shortId)].join(" ");
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).addEventListener === "function" &&
    typeof (value as AbortSignal).aborted === "boolean"
  );
}
