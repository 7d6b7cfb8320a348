/**
 * NextAuthSocket: the sessions one connection watches, the commands that
 * go out for them, and the events their answers become.
 *
 * @packageDocumentation
 */

import { Connection } from "./connection";
import { DEBUG } from "./debug";
import { CommandEvent, UnknownFrameEvent } from "./events";
import type { CommandEventType } from "./events";
import { checkMs, resolveOptions } from "./options";
import type { NextAuthSocketOptions } from "./options";
import {
  assertValidId,
  formatCommand,
  isServerCommandType,
  parseCommand,
  shortId,
} from "./protocol";
import { ProvokeTracker } from "./provokes";
import type { PendingProvoke, ProvokeOptions } from "./provokes";
import { SessionRegistry, createSnapshot, sessionKey } from "./sessions";
import type { SessionInit, SessionSnapshot } from "./sessions";

interface QueuedLine {
  line: string;
  provoke?: PendingProvoke;
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
export class NextAuthSocket extends Connection {
  private _sessions = new SessionRegistry();
  private _provokes = new ProvokeTracker();
  private _queue: QueuedLine[] = [];

  constructor(options: NextAuthSocketOptions) {
    const resolved = resolveOptions(options);
    super(resolved);
    for (const session of resolved.sessions) this._sessions.add(session);

    this._start();
  }

  /** What is known of each session, in the order they were added. */
  get sessions(): readonly SessionSnapshot[] {
    return this._sessions.list;
  }

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
    const { timeoutMs = this._options.provokeTimeoutMs, signal } = options;
    checkMs(timeoutMs, "timeoutMs", 1);
    if (signal != null && typeof signal.aborted !== "boolean") {
      throw new TypeError("nextauth-ws: signal must be an AbortSignal");
    }

    const key = sessionKey(session.serverId, session.hsid);
    const { entry, promise } = this._provokes.start(key, timeoutMs, signal);
    if (this.state === "closed") this._provokes.fail(entry, "closed");
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
        ? this._findSession("logout")
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
   * @throws TypeError when `line` is not a string, or holds a line break
   * or another control character (a server may read any as a separator).
   */
  send(line: string): void {
    if (
      typeof line !== "string" ||
      /[\0-\x1f\x7f\x85\u2028\u2029]/.test(line)
    ) {
      throw new TypeError(
        "nextauth-ws: line must be a string without control characters",
      );
    }

    this._sendOrQueue(line);
  }

  protected _onOpen(): void {
    for (const session of this.sessions) this._write(registerLine(session));

    const queue = this._queue;
    this._queue = [];
    for (const { line, provoke } of queue) {
      if (provoke && !this._provokes.isPending(provoke)) continue;

      this._write(line);
      if (provoke) provoke.sent = true;
    }
  }

  protected _onDrop(): void {
    this._provokes.failClosed(false);
  }

  protected _onStop(): void {
    this._provokes.failClosed(true);
    this._queue = [];
  }

  protected _onMessage(data: unknown): void {
    const text = typeof data === "string" ? data : "";
    const command = parseCommand(data);
    const type = command?.type ?? "";
    const before =
      command && this._sessions.get(command.serverId, command.hsid);
    if (!command || !isServerCommandType(type)) {
      if (before) this._dispatchCommand("command", type, command, before);
      this.dispatchTypedEvent(
        "unknown",
        new UnknownFrameEvent(text, text !== data),
      );
      return;
    }
    if (!before) {
      if (DEBUG && this._logger)
        this._debug(`dropped ${type} for ${shortId(command.hsid)}`);
      return;
    }

    let changed = false;
    let after = before;
    if (type === "LOGIN" || type === "LOGOUT") {
      const loggedIn = type === "LOGIN";
      changed = before.loggedIn === !loggedIn;
      after = this._sessions.update(before, { loggedIn });
    } else if (type === "CANPROVOKE") {
      after = this._sessions.update(before, { canProvoke: true });
    }
    if (DEBUG && this._logger)
      this._debug(`received ${type} for ${shortId(command.hsid)}`);

    this._dispatchCommand("command", type, command, after, changed);
    const eventType = type.toLowerCase() as CommandEventType;
    const event = this._dispatchCommand(
      eventType,
      type,
      command,
      after,
      changed,
    );
    this._storeChanged();
    if (type === "CONFIRMPROVOKE") this._provokes.confirm(event);
  }

  private _dispatchCommand(
    eventType: CommandEventType | "command",
    type: string,
    { serverId, hsid, raw }: { serverId: string; hsid: string; raw: string },
    session: SessionSnapshot,
    changed = false,
  ): CommandEvent {
    const event = new CommandEvent(eventType, {
      command: type,
      serverId,
      hsid,
      raw,
      session,
      changed,
    });
    this.dispatchTypedEvent(eventType, event);
    return event;
  }

  private _findSession(
    method: string,
    serverId?: string,
    hsid?: string,
  ): SessionSnapshot {
    if (serverId === undefined && hsid === undefined) {
      const { sessions } = this;
      if (sessions.length === 1) return sessions[0];
      throw new TypeError(
        `nextauth-ws: ${method}() needs serverId and hsid when ` +
          `${sessions.length} sessions are registered`,
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
}

function registerLine(session: SessionSnapshot): string {
  return formatCommand({ ...session, type: "REGISTER" });
}
