/**
 * The truth of the simulated nextAuth server: its sessions, the sockets
 * that watch them, and what the simulated phone may do. No I/O of its
 * own: a transport hands it frames and connections, and it answers
 * through {@link SimulatorConnection.send}.
 *
 * @packageDocumentation
 */

import { formatCommand, isValidId, parseCommand } from "../protocol";
import { sessionKey } from "../sessions";
import { SimulatorError } from "./errors";
import { CLOSE_POLICY, CLOSE_TOO_BIG, CLOSE_TRY_AGAIN } from "./types";
import type {
  CoreLimits,
  PendingPush,
  PhoneAction,
  PhoneResult,
  SimulatedSession,
  SimulatorConnection,
  SimulatorStats,
} from "./types";

const PHONE_COMMANDS: ReadonlyMap<string, string> = new Map<
  PhoneAction,
  string
>([
  ["scan", "CONFIRMSCAN"],
  ["approve", "LOGIN"],
  ["deny", "CANCEL"],
  ["noaccounts", "NOACCOUNTS"],
  ["logout", "LOGOUT"],
]);

interface SessionRecord {
  serverId: string;
  hsid: string;
  loggedIn: boolean;
  canProvoke: boolean;
  pushedAt: number | null;
  scanned: boolean;
  watchers: Set<SimulatorConnection>;
}

interface ConnectionRecord {
  sessions: Set<SessionRecord>;
  closing: boolean;
}

/**
 * The state machine of the simulated server. {@link startSimulator} wires
 * it to a WebSocket server; tests may drive it with fake connections.
 */
export class SimulatorCore {
  private _limits: CoreLimits;
  private _sessions = new Map<string, SessionRecord>();
  private _connections = new Map<SimulatorConnection, ConnectionRecord>();
  private _stats: SimulatorStats = {
    sockets: 0,
    sessions: 0,
    framesReceived: 0,
    framesSent: 0,
    malformedFrames: 0,
    unknownFrames: 0,
    pings: 0,
    refusedProvokes: 0,
    oversizeFrames: 0,
    sessionLimitCloses: 0,
    refusedSockets: 0,
  };

  constructor(limits: CoreLimits) {
    this._limits = limits;
  }

  /** A page's socket opened. */
  connect(connection: SimulatorConnection): void {
    this._connections.set(connection, { sessions: new Set(), closing: false });
  }

  /**
   * A page's socket closed: it stops watching its sessions, and sessions
   * nobody watches that hold no state are forgotten.
   */
  disconnect(connection: SimulatorConnection): void {
    const record = this._connections.get(connection);
    if (!record) return;

    this._connections.delete(connection);
    for (const session of record.sessions) {
      session.watchers.delete(connection);
      if (session.watchers.size === 0 && isBlank(session)) {
        this._sessions.delete(sessionKey(session.serverId, session.hsid));
      }
    }
  }

  /** Closes a connection and stops listening to it. */
  refuse(connection: SimulatorConnection, code: number, reason: string): void {
    const record = this._connections.get(connection);
    if (record) record.closing = true;
    if (code === CLOSE_TRY_AGAIN) this._stats.refusedSockets += 1;
    if (code === CLOSE_TOO_BIG) this._stats.oversizeFrames += 1;
    if (code === 1002 || code === 1007) this._stats.malformedFrames += 1;

    connection.close(code, reason);
  }

  /** Handles one frame from a page. Never throws. */
  receive(connection: SimulatorConnection, frame: unknown): void {
    const record = this._connections.get(connection);
    if (!record || record.closing) return;
    this._stats.framesReceived += 1;

    if (typeof frame === "string" && /^\s*PING\s*$/.test(frame)) {
      this._stats.pings += 1;
      return;
    }
    const command = parseCommand(frame);
    if (!command) {
      this._stats.malformedFrames += 1;
      return;
    }

    const { type, serverId, hsid } = command;
    if (type === "REGISTER") this._register(connection, record, serverId, hsid);
    else if (type === "PROVOKE") this._provoke(serverId, hsid);
    else if (type === "LOGOUT") this._pageLogout(serverId, hsid);
    else if (type === "PING") this._stats.pings += 1;
    else this._stats.unknownFrames += 1;
  }

  /**
   * Plays the phone on one session:
   * - `scan`: the app scanned the QR code: `CONFIRMSCAN`;
   * - `approve`: the person approved a push or a scan: `LOGIN`;
   * - `deny`: the person aborted a push or a scan: `CANCEL`;
   * - `noaccounts`: the app scanned but holds no account: `NOACCOUNTS`;
   * - `logout`: the person logged out from the phone: `LOGOUT`.
   *
   * @throws SimulatorError `unknown-session`, or `nothing-to-approve` for
   * `approve` and `deny` without a pending push or scan.
   */
  phone(action: PhoneAction, serverId: string, hsid: string): PhoneResult {
    const sent = PHONE_COMMANDS.get(action);
    if (sent === undefined) {
      throw new SimulatorError("bad-request", "unknown phone action");
    }
    const session = this._find(serverId, hsid);

    if (action === "approve" || action === "deny") {
      if (session.pushedAt === null && !session.scanned) {
        throw new SimulatorError(
          "nothing-to-approve",
          "no push or scan waits on the phone for this session",
        );
      }
      session.pushedAt = null;
      session.scanned = false;
      if (action === "approve") {
        session.loggedIn = true;
        session.canProvoke = true;
      }
    } else if (action === "scan") {
      session.scanned = true;
    } else if (action === "noaccounts") {
      session.scanned = false;
    } else {
      clearLogin(session);
    }

    const sockets = this._broadcast(session, sent);
    return { session: snapshot(session), sent, sockets };
  }

  /**
   * Records that a login happened in this session before, so that
   * `REGISTER` answers `CANPROVOKE` and `PROVOKE` works; creates the
   * session when unknown. With `loggedIn`, also sets whether it is logged
   * in now, and tells its sockets when that changed.
   *
   * @throws SimulatorError `bad-id`, or `full` at `maxSessions`.
   */
  seed(
    serverId: string,
    hsid: string,
    options: { loggedIn?: boolean } = {},
  ): SimulatedSession {
    if (!isValidId(serverId) || !isValidId(hsid)) {
      throw new SimulatorError("bad-id", "serverId or hsid is not valid");
    }
    const session = this._obtain(serverId, hsid);
    if (!session) {
      throw new SimulatorError("full", "the simulator holds too many sessions");
    }

    session.canProvoke = true;
    const { loggedIn } = options;
    if (loggedIn !== undefined && loggedIn !== session.loggedIn) {
      if (loggedIn) session.loggedIn = true;
      else clearLogin(session);
      this._broadcast(session, loggedIn ? "LOGIN" : "LOGOUT");
    }
    return snapshot(session);
  }

  /** Every session, oldest first. */
  sessions(): SimulatedSession[] {
    return [...this._sessions.values()].map(snapshot);
  }

  /** One session, or undefined when unknown. */
  session(serverId: string, hsid: string): SimulatedSession | undefined {
    const session = this._sessions.get(sessionKey(serverId, hsid));
    return session && snapshot(session);
  }

  /** The push logins waiting on the phone, oldest first. */
  pushes(): PendingPush[] {
    const pushes: PendingPush[] = [];
    for (const { serverId, hsid, pushedAt } of this._sessions.values()) {
      if (pushedAt !== null) pushes.push({ serverId, hsid, pushedAt });
    }
    return pushes.sort((a, b) => a.pushedAt - b.pushedAt);
  }

  /** A copy of the counters. */
  stats(): SimulatorStats {
    return {
      ...this._stats,
      sockets: this._connections.size,
      sessions: this._sessions.size,
    };
  }

  private _register(
    connection: SimulatorConnection,
    record: ConnectionRecord,
    serverId: string,
    hsid: string,
  ): void {
    let session = this._sessions.get(sessionKey(serverId, hsid));
    if (!session || !record.sessions.has(session)) {
      if (record.sessions.size >= this._limits.maxSessionsPerSocket) {
        this._stats.sessionLimitCloses += 1;
        this.refuse(
          connection,
          CLOSE_POLICY,
          "too many sessions on one socket",
        );
        return;
      }
      session = this._obtain(serverId, hsid);
      if (!session) {
        this.refuse(
          connection,
          CLOSE_TRY_AGAIN,
          "too many sessions; try later",
        );
        return;
      }
    }

    record.sessions.add(session);
    session.watchers.add(connection);
    this._send(connection, session.loggedIn ? "LOGIN" : "LOGOUT", session);
    if (session.canProvoke) this._send(connection, "CANPROVOKE", session);
  }

  private _provoke(serverId: string, hsid: string): void {
    const session = this._sessions.get(sessionKey(serverId, hsid));
    if (!session?.canProvoke) {
      this._stats.refusedProvokes += 1;
      return;
    }

    session.pushedAt = Date.now();
    this._broadcast(session, "CONFIRMPROVOKE");
  }

  private _pageLogout(serverId: string, hsid: string): void {
    const session = this._sessions.get(sessionKey(serverId, hsid));
    if (!session) return;

    clearLogin(session);
    this._broadcast(session, "LOGOUT");
  }

  /** The session, created when unknown; undefined when full. */
  private _obtain(serverId: string, hsid: string): SessionRecord | undefined {
    const key = sessionKey(serverId, hsid);
    const existing = this._sessions.get(key);
    if (existing) return existing;
    if (this._sessions.size >= this._limits.maxSessions && !this._evict()) {
      return undefined;
    }

    const session: SessionRecord = {
      serverId,
      hsid,
      loggedIn: false,
      canProvoke: false,
      pushedAt: null,
      scanned: false,
      watchers: new Set(),
    };
    this._sessions.set(key, session);
    return session;
  }

  /** Forgets the oldest session no socket watches; false when none. */
  private _evict(): boolean {
    for (const [key, session] of this._sessions) {
      if (session.watchers.size === 0) {
        this._sessions.delete(key);
        return true;
      }
    }
    return false;
  }

  private _find(serverId: string, hsid: string): SessionRecord {
    const session =
      isValidId(serverId) && isValidId(hsid)
        ? this._sessions.get(sessionKey(serverId, hsid))
        : undefined;
    if (!session) {
      throw new SimulatorError(
        "unknown-session",
        "no such session: a page must register it, or seed it first",
      );
    }
    return session;
  }

  private _broadcast(session: SessionRecord, type: string): number {
    for (const connection of session.watchers) {
      this._send(connection, type, session);
    }
    return session.watchers.size;
  }

  private _send(
    connection: SimulatorConnection,
    type: string,
    session: SessionRecord,
  ): void {
    const { serverId, hsid } = session;
    this._stats.framesSent += 1;
    connection.send(formatCommand({ type, serverId, hsid }));
  }
}

function clearLogin(session: SessionRecord): void {
  session.loggedIn = false;
  session.pushedAt = null;
  session.scanned = false;
}

function isBlank(session: SessionRecord): boolean {
  return (
    !session.loggedIn &&
    !session.canProvoke &&
    session.pushedAt === null &&
    !session.scanned
  );
}

function snapshot(session: SessionRecord): SimulatedSession {
  return {
    serverId: session.serverId,
    hsid: session.hsid,
    loggedIn: session.loggedIn,
    canProvoke: session.canProvoke,
    pendingPush: session.pushedAt !== null,
    pushedAt: session.pushedAt,
    scanned: session.scanned,
    sockets: session.watchers.size,
  };
}
