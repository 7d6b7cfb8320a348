/**
 * The public types of the simulator's state: sessions, pushes, counters
 * and the results of phone actions, plus its close codes.
 *
 * @packageDocumentation
 */

/** One page's WebSocket, as the core sees it. */
export interface SimulatorConnection {
  /** Sends one text frame. */
  send(frame: string): void;
  /** Closes the connection with a WebSocket close code. */
  close(code: number, reason: string): void;
}

/** What the simulator knows of one session: a snapshot, safe to keep. */
export interface SimulatedSession {
  /** The nextAuth server configuration id. */
  readonly serverId: string;
  /** The session id (nonce, register id). */
  readonly hsid: string;
  /** Whether the session is logged in. */
  readonly loggedIn: boolean;
  /**
   * Whether a login happened in this session before, so that `REGISTER`
   * answers `CANPROVOKE` and `PROVOKE` reaches the phone.
   */
  readonly canProvoke: boolean;
  /** Whether a push login waits on the phone for approve or deny. */
  readonly pendingPush: boolean;
  /** When that push arrived, in ms since the epoch; null without one. */
  readonly pushedAt: number | null;
  /** Whether the phone scanned the QR code and waits for approve. */
  readonly scanned: boolean;
  /** How many sockets registered the session. */
  readonly sockets: number;
}

/** A push login waiting on the simulated phone. */
export interface PendingPush {
  /** The server configuration id of the session pushed to. */
  readonly serverId: string;
  /** The session id of the session pushed to. */
  readonly hsid: string;
  /** When the push arrived, in ms since the epoch. */
  readonly pushedAt: number;
}

/** Counters since the simulator started. */
export interface SimulatorStats {
  /** Sockets open now. */
  sockets: number;
  /** Sessions known now. */
  sessions: number;
  /** Frames received from pages, of any kind. */
  framesReceived: number;
  /** Frames sent to pages. */
  framesSent: number;
  /** Frames that were not `TYPE HSID SERVERID`, or binary: ignored. */
  malformedFrames: number;
  /** Well-formed frames of a type a page does not send: ignored. */
  unknownFrames: number;
  /** `PING` frames. */
  pings: number;
  /** `PROVOKE` for a session that saw no login before: ignored. */
  refusedProvokes: number;
  /** Sockets closed for a frame over `maxFrameBytes` (code 1009). */
  oversizeFrames: number;
  /** Sockets closed for too many sessions (code 1008). */
  sessionLimitCloses: number;
  /** Sockets refused over `maxSockets` or `maxSessions` (code 1013). */
  refusedSockets: number;
}

/** What the simulated phone can do to a session. */
export type PhoneAction = "scan" | "approve" | "deny" | "noaccounts" | "logout";

/** What a phone action did: the frame type sent and to how many sockets. */
export interface PhoneResult {
  /** The session after the action. */
  session: SimulatedSession;
  /** The command sent to the session's sockets, such as `"LOGIN"`. */
  sent: string;
  /** How many sockets it was sent to. */
  sockets: number;
}

/** The limits the core enforces; see {@link SimulatorOptions}. */
export interface CoreLimits {
  /** How many sessions one socket may register; one more closes it. */
  maxSessionsPerSocket: number;
  /** How many sessions the core keeps before it forgets unwatched ones. */
  maxSessions: number;
}

/** Close code for a socket over its session limit (policy violation). */
export const CLOSE_POLICY = 1008;
/** Close code for a frame over the size limit (message too big). */
export const CLOSE_TOO_BIG = 1009;
/** Close code for a simulator at its socket or session limit. */
export const CLOSE_TRY_AGAIN = 1013;
