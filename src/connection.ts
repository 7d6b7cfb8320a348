/**
 * The connection under a {@link NextAuthSocket}: one WebSocket at a time,
 * its states, reconnection with backoff, keep-alive and sleep detection,
 * and the store that React-style subscribers read. It knows nothing of
 * sessions or commands: the socket fills in the hooks.
 *
 * @packageDocumentation
 */

import { TypedEventTarget } from "typescript-event-target";

import { backoffDelay } from "./backoff";
import { DEBUG } from "./debug";
import { watchEnvironment } from "./environment";
import {
  ReconnectingEvent,
  SocketCloseEvent,
  SocketErrorEvent,
  StateChangeEvent,
} from "./events";
import type { NextAuthSocketEventMap, SocketState } from "./events";
import type { Logger, ResolvedOptions, WebSocketLike } from "./options";
import { shortId } from "./protocol";
import type { SessionSnapshot } from "./sessions";

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

/**
 * Close codes that a retry cannot fix: protocol error, unsupported data,
 * bad payload, policy violation (such as a refused origin), too big,
 * missing extension. They are retried at the slowest pace only.
 */
const UNFIXABLE_CODES: readonly number[] = [1002, 1003, 1007, 1008, 1009, 1010];

/**
 * The state and sessions of a socket in one frozen object, for stores
 * such as React's `useSyncExternalStore`: see
 * {@link NextAuthSocket.getSnapshot}.
 */
export interface SocketSnapshot {
  /** The connection state. */
  readonly state: SocketState;
  /** Every session in the order it was added. */
  readonly sessions: readonly SessionSnapshot[];
}

type TimerName = "connect" | "keepAlive" | "reconnect";

// What the listeners read of the WebSocket's events.
interface CloseLike {
  code: number;
  reason: string;
  wasClean: boolean;
}

/**
 * The WebSocket life cycle shared by every socket: connect, open, drop,
 * back off, connect again; keep-alive; the `online` and visibility hooks;
 * state announcements and the snapshot store. A subclass supplies what
 * goes out on open and what a frame means.
 *
 * @internal
 */
export abstract class Connection extends TypedEventTarget<NextAuthSocketEventMap> {
  protected _options: ResolvedOptions;
  private _state: SocketState = "closed";
  // The state the last statechange event announced: its `previous` must
  // be a state listeners saw, even when a listener changed course between.
  private _announced: SocketState = "closed";
  private _ws: WebSocketLike | undefined;
  private _attempt = 0;
  private _openedAt = 0;
  private _timers: Partial<Record<TimerName, ReturnType<typeof setTimeout>>> =
    {};
  private _unwatch: (() => void) | undefined;
  private _subscribers = new Set<{ listener: () => void }>();
  private _snapshot: SocketSnapshot | undefined;
  private _notified: SocketSnapshot | undefined;

  /** Keeps the options; the subclass calls `_start()` once it is ready. */
  constructor(options: ResolvedOptions) {
    super();
    this._options = options;
  }

  /** The connection state. */
  get state(): SocketState {
    return this._state;
  }

  /** What is known of each session, in the order they were added. */
  abstract get sessions(): readonly SessionSnapshot[];

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
    const { state, sessions } = this;
    const current = this._snapshot;
    if (current?.state === state && current.sessions === sessions) {
      return current;
    }

    return (this._snapshot = Object.freeze({ state, sessions }));
  };

  /**
   * Drops the current connection, if any, and connects again now. After
   * `close()`, starts the socket again.
   */
  reconnect(): void {
    this._timer("reconnect");
    if (this._state === "closed") {
      this._start();
      return;
    }

    if (this._ws) {
      this._dropSocket();
      this._handleClose(
        { code: 1000, reason: "reconnect", wasClean: true },
        true,
      );
    } else {
      this._connect("reconnecting");
    }
  }

  /**
   * Closes the connection for good: no timer and no listener on `window`
   * or `document` remains, nothing reconnects, pending push logins reject
   * with `closed`, and commands still waiting to be sent are dropped.
   */
  close(): void {
    if (this._state === "closed") return;

    const hadSocket = this._dropSocket();
    this._stop();

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
    // A close listener may have started the socket again, and announced
    // that already.
    this._announceState(this._state);
  }

  protected _start(): void {
    this._unwatch ??= watchEnvironment((why) => {
      // Only a socket waiting for its backoff timer reconnects early.
      if (this._state !== "reconnecting" || this._ws) return;

      if (DEBUG && this._logger) this._debug(`${why}; reconnecting now`);
      this._timer("reconnect");
      this._connect("reconnecting");
    });
    this._connect("connecting");
  }

  /** Ends everything but the announcement: the state becomes closed. */
  private _stop(): void {
    this._timer("reconnect");
    this._unwatch?.();
    this._unwatch = undefined;
    this._onStop();
    this._state = "closed";
  }

  private _connect(state: "connecting" | "reconnecting"): void {
    const { url, WebSocket, connectTimeoutMs } = this._options;
    this._state = state;
    if (DEBUG && this._logger) {
      // Without the query: a site may carry an id there.
      this._debug(`connecting to ${url.split("?")[0]}`);
    }

    let ws: WebSocketLike;
    try {
      ws = new WebSocket(url);
    } catch (error) {
      this._announceState(state);
      if (!this._still(state)) return;
      this.dispatchTypedEvent("error", new SocketErrorEvent(error));
      if (!this._still(state)) return;
      this._handleClose({ code: 1006, reason: String(error), wasClean: false });
      return;
    }

    this._ws = ws;
    const listen = (type: string, listener: (event: never) => void): void => {
      // Kept after the socket is dropped, and ignored then: the ws package
      // throws an error event that has no listener.
      ws.addEventListener(type, (event) => {
        if (this._ws === ws) listener(event as never);
      });
    };
    listen("open", () => {
      this._handleOpen();
    });
    listen("message", (event: { data: unknown }) => {
      this._onMessage(event.data);
    });
    listen("error", () => {
      this.dispatchTypedEvent("error", new SocketErrorEvent());
    });
    listen("close", (event: CloseLike) => {
      this._ws = undefined;
      this._handleClose(event);
    });
    this._timer("connect", connectTimeoutMs, () => {
      this._warn("connection did not open in time; retrying");
      this._dropSocket();
      this._handleClose({ code: 1006, reason: "timeout", wasClean: false });
    });

    this._announceState(state);
  }

  private _handleOpen(): void {
    this._timer("connect");
    this._openedAt = Date.now();

    this._onOpen();
    this._keepAlive();

    this._state = "open";
    this._announceState("open");
    if (this._still("open")) {
      this.dispatchTypedEvent("open", new Event("open"));
    }
  }

  private _handleClose(
    { code, reason, wasClean }: CloseLike,
    now = false,
  ): void {
    this._timer("connect");
    this._timer("keepAlive");
    if (this._openedAt && Date.now() - this._openedAt >= STABLE_AFTER_MS) {
      this._attempt = 0;
    }
    this._openedAt = 0;
    this._onDrop();

    const backoff = this._options.reconnect;
    const willReconnect = now || backoff !== false;
    let delayMs = 0;
    if (!willReconnect) this._stop();
    else if (backoff && !now) {
      // A code that retrying cannot fix keeps being retried, as a browser
      // cannot tell a refused origin from an outage, but slowly.
      delayMs = UNFIXABLE_CODES.includes(code)
        ? backoff.maxDelayMs
        : backoffDelay(this._attempt, backoff);
      this._attempt += 1;
      this._timer("reconnect", delayMs, () => {
        this._connect("reconnecting");
      });
    }
    const state = willReconnect ? "reconnecting" : "closed";
    this._state = state;
    if (DEBUG && this._logger) this._debug(`closed with code ${code}`);

    this.dispatchTypedEvent(
      "close",
      new SocketCloseEvent({ code, reason, wasClean, willReconnect }),
    );
    if (!this._still(state)) return;

    this._announceState(state);
    if (!this._still(state) || !willReconnect) return;

    if (now) this._connect("reconnecting");
    else {
      if (DEBUG && this._logger)
        this._debug(`reconnect attempt ${this._attempt} in ${delayMs} ms`);
      this.dispatchTypedEvent(
        "reconnecting",
        new ReconnectingEvent(this._attempt, delayMs),
      );
    }
  }

  private _keepAlive(): void {
    const { keepAliveMs } = this._options;
    if (keepAliveMs === 0) return;

    const dueAt = Date.now() + keepAliveMs;
    this._timer("keepAlive", keepAliveMs, () => {
      const lateMs = Date.now() - dueAt;
      if (lateMs > SLEEP_THRESHOLD_MS) {
        if (DEBUG && this._logger)
          this._debug(`timer fired ${lateMs} ms late; reconnecting to resync`);
        this.reconnect();
        return;
      }

      this._write("PING");
      this._keepAlive();
    });
  }

  /** Clears timer `name`, then starts it again when given a callback. */
  private _timer(name: TimerName, delayMs = 0, callback?: () => void): void {
    clearTimeout(this._timers[name]);
    this._timers[name] =
      callback &&
      setTimeout(() => {
        this._timers[name] = undefined;
        callback();
      }, delayMs);
  }

  protected _isOpen(): boolean {
    return this._state === "open" && this._ws?.readyState === 1;
  }

  protected _write(line: string): void {
    this._ws?.send(line);
    if (DEBUG && this._logger) this._debug(`sent ${describeLine(line)}`);
  }

  /**
   * Forgets the current WebSocket, ignoring its events from now on, and
   * closes it. Returns whether there was one.
   */
  private _dropSocket(): boolean {
    const ws = this._ws;
    this._timer("connect");
    this._timer("keepAlive");
    this._ws = undefined;
    try {
      ws?.close(1000);
    } catch (error) {
      // Some implementations throw when closing a socket that is still
      // connecting; it is being forgotten either way.
      if (DEBUG && this._logger) this._debug(`close threw ${String(error)}`);
    }
    return ws !== undefined;
  }

  /**
   * Whether the socket is still in `state`, with no new connection: an
   * event listener may have closed or restarted it while we dispatched.
   */
  private _still(state: SocketState): boolean {
    return this._state === state && (state === "open") === !!this._ws;
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
  protected _storeChanged(): void {
    // Without subscribers there is nobody to tell, and building the
    // snapshot would cost a copy of the session list on every frame.
    if (this._subscribers.size === 0) return;

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

  /**
   * The logger, if any. Debug lines are written as
   * `if (DEBUG && this._logger) this._debug(…)`: without a logger their
   * text is never built, and the min build drops them whole.
   */
  protected get _logger(): Logger | undefined {
    return this._options.logger;
  }

  protected _debug(message: string): void {
    this._logger?.debug(`[nextauth-ws] ${message}`);
  }

  private _warn(message: string): void {
    this._logger?.warn(`[nextauth-ws] ${message}`);
  }

  /** Sends what goes out first on each open: `REGISTER`s, then the queue. */
  protected abstract _onOpen(): void;

  /** Handles one frame from the server. */
  protected abstract _onMessage(data: unknown): void;

  /** The connection ended: what was sent on it gets no answer now. */
  protected abstract _onDrop(): void;

  /** The socket closed for good: nothing waiting will be sent. */
  protected abstract _onStop(): void;
}

/**
 * A frame for a log line: a client command's type, and every other field
 * shortened. The first field of a raw line may itself be an id.
 */
function describeLine(line: string): string {
  return line
    .split(" ")
    .map((field, index) =>
      index === 0 && /^(REGISTER|PROVOKE|LOGOUT|PING)$/.test(field)
        ? field
        : shortId(field),
    )
    .join(" ");
}
