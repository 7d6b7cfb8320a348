/**
 * The options of the simulator: their public type, defaults, and
 * normalization into one complete internal object.
 *
 * @packageDocumentation
 */

/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from "node:http";

/** The options of {@link startSimulator}. */
export interface SimulatorOptions {
  /**
   * The TCP port to listen on; 0 picks a free one (read it back from
   * `port`).
   * @default 0
   */
  port?: number;
  /**
   * The address to listen on. The control API answers loopback clients
   * only, whatever this is.
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * The largest frame a page may send, in bytes; a larger one closes its
   * socket with code 1009.
   * @default 4096
   */
  maxFrameBytes?: number;
  /**
   * How many sessions one socket may register; one more closes it with
   * code 1008.
   * @default 100
   */
  maxSessionsPerSocket?: number;
  /**
   * How many sockets may be open at once; one more is closed at once with
   * code 1013 ("try again later").
   * @default 1000
   */
  maxSockets?: number;
  /**
   * How many sessions the simulator keeps. At the limit it forgets the
   * oldest session no socket watches; when every one is watched, a
   * `REGISTER` for a new one closes its socket with code 1013.
   * @default 10000
   */
  maxSessions?: number;
  /**
   * Answers the HTTP requests outside `/api/`, for example to serve a
   * demo's pages from the same port. Without it they get a JSON 404 (and
   * `/` a short description).
   */
  onRequest?: (request: IncomingMessage, response: ServerResponse) => void;
}

/** The defaults of {@link SimulatorOptions}. */
export const SIMULATOR_DEFAULTS = Object.freeze({
  /** A free port, picked by the system. */
  port: 0,
  /** Loopback only. */
  host: "127.0.0.1",
  /** Frames up to 4 KiB; a larger one closes its socket (1009). */
  maxFrameBytes: 4096,
  /** 100 sessions per socket; one more closes it (1008). */
  maxSessionsPerSocket: 100,
  /** 1000 sockets at once; one more is closed (1013). */
  maxSockets: 1000,
  /** 10000 sessions kept; the oldest unwatched one is forgotten first. */
  maxSessions: 10000,
});

/** {@link SimulatorOptions} with every default applied. @internal */
export interface ResolvedSimulatorOptions {
  port: number;
  host: string;
  maxFrameBytes: number;
  maxSessionsPerSocket: number;
  maxSockets: number;
  maxSessions: number;
  onRequest: SimulatorOptions["onRequest"];
}

function checkCount(
  value: unknown,
  field: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max
  ) {
    return value;
  }
  throw new TypeError(
    `nextauth-ws simulator: ${field} must be an integer from ${min}` +
      (max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`),
  );
}

/**
 * Checks every option and applies the defaults. Throws a `TypeError`
 * naming the first bad field.
 *
 * @internal
 */
export function resolveSimulatorOptions(
  options: SimulatorOptions = {},
): ResolvedSimulatorOptions {
  const defaults = SIMULATOR_DEFAULTS;
  const port = checkCount(options.port ?? defaults.port, "port", 0, 65535);
  const host = options.host ?? defaults.host;
  if (typeof host !== "string" || host === "") {
    throw new TypeError("nextauth-ws simulator: host must be a string");
  }
  const { onRequest } = options;
  if (onRequest !== undefined && typeof onRequest !== "function") {
    throw new TypeError("nextauth-ws simulator: onRequest must be a function");
  }

  return {
    port,
    host,
    maxFrameBytes: checkCount(
      options.maxFrameBytes ?? defaults.maxFrameBytes,
      "maxFrameBytes",
      64,
    ),
    maxSessionsPerSocket: checkCount(
      options.maxSessionsPerSocket ?? defaults.maxSessionsPerSocket,
      "maxSessionsPerSocket",
      1,
    ),
    maxSockets: checkCount(
      options.maxSockets ?? defaults.maxSockets,
      "maxSockets",
      1,
    ),
    maxSessions: checkCount(
      options.maxSessions ?? defaults.maxSessions,
      "maxSessions",
      1,
    ),
    onRequest,
  };
}
