/**
 * The options of a {@link NextAuthSocket}: their public type, defaults,
 * and normalization into one complete internal object.
 *
 * @packageDocumentation
 */

import type { BackoffOptions } from "./backoff";
import { createSnapshot } from "./sessions";
import type { SessionInit, SessionSnapshot } from "./sessions";

/**
 * The least a WebSocket implementation must offer: the browser's
 * `WebSocket`, the `ws` package and mock-socket all fit.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed, as in the standard. */
  readonly readyState: number;
  /** Sends one text frame. */
  send(data: string): void;
  /** Closes the connection, with a close code and reason if given. */
  close(code?: number, reason?: string): void;
  /**
   * Listens for `open`, `message`, `error` and `close`.
   *
   * The listener takes the one field every implementation's events share:
   * a narrower event type would shut out the DOM's and mock-socket's
   * `EventListener`, a wider one the `ws` package's typed listeners.
   */
  addEventListener(
    type: string,
    listener: (event: { readonly type: string }) => void,
  ): void;
}

/** A WebSocket constructor, such as `WebSocket` or the `ws` package. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Where the socket writes what it does. Silent when not given. */
export interface Logger {
  /** Writes a routine step, such as a frame sent or received. */
  debug(message: string): void;
  /** Writes a problem the socket works around, such as a slow connect. */
  warn(message: string): void;
  /** Writes a failure (reserved: no message of this version uses it). */
  error(message: string): void;
}

/** How the socket reconnects; see {@link NextAuthSocketOptions.reconnect}. */
export interface ReconnectOptions {
  /**
   * The shortest delay before a reconnect attempt, in milliseconds.
   * @default 1000
   */
  minDelayMs?: number;
  /**
   * The longest delay before a reconnect attempt, in milliseconds.
   * @default 10000
   */
  maxDelayMs?: number;
  /**
   * How much the delay's ceiling grows with each failed attempt.
   * @default 2
   */
  factor?: number;
}

/** The options of {@link NextAuthSocket}. */
export interface NextAuthSocketOptions {
  /** The nextAuth WebSocket URL, `wss:` (or `ws:` to loopback). */
  url: string | URL;
  /** The sessions to watch; more can be added with `register()`. */
  sessions?: SessionInit | readonly SessionInit[];
  /**
   * Allow a `ws:` URL to a host other than loopback. Everything on such
   * a connection can be read and changed on the way.
   * @default false
   */
  allowInsecure?: boolean;
  /**
   * The WebSocket implementation. In Node 20 pass the `ws` package.
   * @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor;
  /**
   * How often to send `PING` while open, in milliseconds; 0 disables it.
   * @default 50000
   */
  keepAliveMs?: number;
  /**
   * How to reconnect after a close that was not asked for, or `false`
   * never to reconnect.
   * @default { minDelayMs: 1000, maxDelayMs: 10000, factor: 2 }
   */
  reconnect?: ReconnectOptions | false;
  /**
   * How long a connection may take to open before it is dropped and
   * retried, in milliseconds.
   * @default 10000
   */
  connectTimeoutMs?: number;
  /**
   * How long `provoke()` waits for `CONFIRMPROVOKE`, in milliseconds.
   * @default 60000
   */
  provokeTimeoutMs?: number;
  /** Where to write what happens. Ids are shortened in every line. */
  logger?: Logger;
}

/** The options with every default applied. @internal */
export interface ResolvedOptions {
  url: string;
  sessions: SessionSnapshot[];
  WebSocket: WebSocketConstructor;
  keepAliveMs: number;
  reconnect: BackoffOptions | false;
  connectTimeoutMs: number;
  provokeTimeoutMs: number;
  logger: Logger | undefined;
}

/** The defaults, in one place; the README is tested against them. */
export const DEFAULTS = Object.freeze({
  /** `ws:` only to loopback. */
  allowInsecure: false,
  /** A `PING` every 50 s while open, as the production page sends. */
  keepAliveMs: 50_000,
  /** The reconnect backoff. */
  reconnect: Object.freeze({
    /** The shortest delay before a reconnect attempt: 1 s. */
    minDelayMs: 1000,
    /** The longest delay before a reconnect attempt: 10 s. */
    maxDelayMs: 10_000,
    /** The delay's ceiling doubles with each failed attempt. */
    factor: 2,
  }),
  /** A connection not open after 10 s is dropped and retried. */
  connectTimeoutMs: 10_000,
  /** `provoke()` waits 60 s for `CONFIRMPROVOKE`. */
  provokeTimeoutMs: 60_000,
});

function fail(field: string, expected: string): never {
  throw new TypeError(`nextauth-ws: ${field} must be ${expected}`);
}

/**
 * The longest delay `setTimeout` honours, in milliseconds: above it,
 * browsers and Node fire the timer at once, which would turn a long
 * keep-alive or timeout into a tight loop.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A number of milliseconds from `min` to the longest delay `setTimeout`
 * honours (about 24.8 days). @internal
 */
export function checkMs(value: unknown, field: string, min: number): number {
  if (typeof value !== "number" || !(value >= min && value <= MAX_TIMER_MS)) {
    fail(field, `${min} to ${MAX_TIMER_MS} ms`);
  }
  return value;
}

const LOOPBACK = /^(localhost|.+\.localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

function resolveUrl(url: unknown, allowInsecure: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url as string);
  } catch {
    parsed = undefined;
  }

  // `ws:` carries login events in clear text: only where nothing lies
  // between the page and the server, unless the caller insists.
  const insecure = parsed?.protocol === "ws:";
  if (
    !parsed ||
    (!insecure && parsed.protocol !== "wss:") ||
    (insecure && allowInsecure !== true && !LOOPBACK.test(parsed.hostname))
  ) {
    fail("url", "a wss: URL (ws: only to loopback, or with allowInsecure)");
  }

  // The WebSocket standard used to throw a SyntaxError for a fragment,
  // and older browsers still do: it means nothing to the server anyway.
  parsed.hash = "";
  return parsed.href;
}

function resolveReconnect(value: unknown): BackoffOptions | false {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    fail("reconnect", "an object or false");
  }

  // A field left undefined takes its default, as at the top level.
  const given = (value ?? {}) as ReconnectOptions;
  const { reconnect } = DEFAULTS;
  const minDelayMs = checkMs(
    given.minDelayMs ?? reconnect.minDelayMs,
    "reconnect.minDelayMs",
    0,
  );
  const maxDelayMs = checkMs(
    given.maxDelayMs ?? reconnect.maxDelayMs,
    "reconnect.maxDelayMs",
    minDelayMs,
  );
  const factor = given.factor ?? reconnect.factor;
  if (!(factor >= 1 && factor < Infinity)) {
    fail("reconnect.factor", "a finite number, at least 1");
  }

  return { minDelayMs, maxDelayMs, factor };
}

/**
 * Checks every option and applies the defaults. Throws a `TypeError`
 * naming the first bad field.
 *
 * @internal
 */
export function resolveOptions(input: unknown): ResolvedOptions {
  // Typed callers cannot get these wrong; JavaScript callers can.
  if (typeof input !== "object" || input === null) {
    fail("options", "an object with at least a url");
  }

  const options = input as NextAuthSocketOptions;
  const { sessions = [] } = options;
  const WebSocket: unknown =
    options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof WebSocket !== "function") {
    fail(
      "WebSocket",
      "a constructor: none is built in here; in Node 20 pass the ws package",
    );
  }
  const logger = options.logger as Partial<Logger> | undefined;
  const methods = ["debug", "warn", "error"] as const;
  if (
    logger !== undefined &&
    !methods.every((method) => typeof logger[method] === "function")
  ) {
    fail("logger", "an object with debug, warn and error functions");
  }

  type MsField = "keepAliveMs" | "connectTimeoutMs" | "provokeTimeoutMs";
  const ms = (field: MsField, min: number): number =>
    checkMs(options[field] ?? DEFAULTS[field], field, min);

  return {
    url: resolveUrl(options.url, options.allowInsecure),
    sessions: (Array.isArray(sessions) ? sessions : [sessions]).map(
      (session: SessionInit) => createSnapshot(session),
    ),
    WebSocket: WebSocket as WebSocketConstructor,
    keepAliveMs: ms("keepAliveMs", 0),
    reconnect: resolveReconnect(options.reconnect),
    connectTimeoutMs: ms("connectTimeoutMs", 1),
    provokeTimeoutMs: ms("provokeTimeoutMs", 1),
    logger: logger as Logger | undefined,
  };
}
