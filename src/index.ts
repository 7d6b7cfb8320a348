/**
 * nextauth-ws: a typed client for the nextAuth WebSocket.
 *
 * @packageDocumentation
 * @module nextauth-ws
 */

export { NextAuthSocket } from "./socket";
export { SLEEP_THRESHOLD_MS, STABLE_AFTER_MS } from "./connection";
export type { SocketSnapshot } from "./connection";
// The script-tag build's `nextAuth` global, for pages typed in TypeScript.
export type { LegacyLoggedIn, LegacyNextAuth, LegacySession } from "./legacy";
export {
  CommandEvent,
  ReconnectingEvent,
  SocketCloseEvent,
  SocketErrorEvent,
  StateChangeEvent,
  UnknownFrameEvent,
} from "./events";
export type {
  CommandEventInit,
  CommandEventType,
  NextAuthSocketEventMap,
  SocketCloseEventInit,
  SocketState,
} from "./events";
export { ProvokeError } from "./errors";
export type { ProvokeErrorCode } from "./errors";
export { DEFAULTS } from "./options";
export type {
  Logger,
  NextAuthSocketOptions,
  ReconnectOptions,
  WebSocketConstructor,
  WebSocketLike,
} from "./options";
export type { ProvokeOptions } from "./provokes";
export type { SessionInit, SessionSnapshot } from "./sessions";
export {
  CLIENT_COMMANDS,
  MAX_ID_LENGTH,
  SERVER_COMMANDS,
  formatCommand,
  isServerCommandType,
  isValidId,
  parseCommand,
} from "./protocol";
export type {
  ClientCommandType,
  Command,
  CommandInit,
  ServerCommandType,
} from "./protocol";
export { backoffCeiling, backoffDelay } from "./backoff";
export type { BackoffOptions, RandomSource } from "./backoff";
