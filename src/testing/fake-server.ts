/**
 * FakeNextAuth: the nextAuth server, in memory, scripted by a test.
 *
 * @packageDocumentation
 */

import { Server, WebSocket as MockWebSocket } from "mock-socket";
import type { Client } from "mock-socket";

import type { WebSocketConstructor } from "../options";
import { assertValidId, formatCommand, parseCommand } from "../protocol";
import type { Command } from "../protocol";

/** A session the fake server knows, and what it answers to `REGISTER`. */
export interface FakeSession {
  /** The nextAuth server configuration id. */
  serverId: string;
  /** The session id (nonce, register id). */
  hsid: string;
  /**
   * Answer `REGISTER` with `LOGIN` (true) or `LOGOUT` (false).
   * @default false
   */
  loggedIn?: boolean;
  /**
   * Follow the status with `CANPROVOKE`: a push login is possible.
   * @default false
   */
  canProvoke?: boolean;
}

/** The options of {@link createFakeNextAuth}. */
export interface FakeNextAuthOptions {
  /**
   * The URL the fake server answers on; give the same one to the socket.
   * No port is opened: mock-socket connects in memory. Two fake servers
   * at once need two URLs.
   * @default "ws://127.0.0.1/nextauth-fake"
   */
  url?: string;
  /**
   * Sessions known from the start. A session registered without being
   * known here is answered `LOGOUT`, with no `CANPROVOKE`.
   */
  sessions?: FakeSession | readonly FakeSession[];
}

interface SessionState {
  serverId: string;
  hsid: string;
  loggedIn: boolean;
  canProvoke: boolean;
}

interface FrameWaiter {
  matches: (command: Command) => boolean;
  resolve: (command: Command) => void;
}

const DEFAULT_URL = "ws://127.0.0.1/nextauth-fake";

function keyOf(serverId: string, hsid: string): string {
  return `${serverId} ${hsid}`;
}

function frameText(data: unknown): string | undefined {
  return typeof data === "string" ? data : undefined;
}

/**
 * A fake nextAuth server on mock-socket. It answers `REGISTER` with the
 * session's status (`LOGIN` or `LOGOUT`) and then `CANPROVOKE` when a
 * push is possible, logs a session out everywhere on a page's `LOGOUT`,
 * and records every frame it receives. Everything the phone does is a
 * method: {@link FakeNextAuth.approve}, {@link FakeNextAuth.deny}, and so
 * on. Each sends its command to every page registered for the session.
 *
 * Create it with {@link createFakeNextAuth}; stop it with
 * {@link FakeNextAuth.close} after each test.
 *
 * Timing, as mock-socket does it: a connection opens, and a page's frame
 * reaches the server, a few milliseconds later on `setTimeout` (await
 * {@link FakeNextAuth.waitForFrame}; with jest's fake timers, advance
 * them first). A frame the server sends arrives at once: the page's
 * events have fired when `approve()` and the like return, so add the
 * listeners before.
 */
export class FakeNextAuth {
  /** The URL to give the socket as its `url` option. */
  readonly url: string;

  /**
   * The WebSocket to give the socket as its `WebSocket` option: mock-socket's,
   * which connects to this server in memory.
   */
  readonly WebSocket: WebSocketConstructor = MockWebSocket;

  private _server: Server;
  private _sessions = new Map<string, SessionState>();
  private _registered = new Map<Client, Set<string>>();
  private _received: string[] = [];
  private _sent: string[] = [];
  private _waiters: FrameWaiter[] = [];
  private _closed = false;

  /** @internal Use {@link createFakeNextAuth}. */
  constructor(options: FakeNextAuthOptions = {}) {
    this.url = options.url ?? DEFAULT_URL;
    const initial = options.sessions ?? [];
    const sessions = Array.isArray(initial) ? initial : [initial];
    for (const session of sessions as readonly FakeSession[]) {
      this.setSession(session);
    }

    this._server = new Server(this.url);
    this._server.on("connection", (client) => {
      this._accept(client);
    });
  }

  /** Every frame received from every page, in order. */
  get received(): readonly string[] {
    return [...this._received];
  }

  /** Every frame sent to any page, in order, once per page. */
  get sent(): readonly string[] {
    return [...this._sent];
  }

  /** How many pages are connected now. */
  get connections(): number {
    return this._server.clients().length;
  }

  /**
   * Sets what the server knows of a session: the status that the next
   * `REGISTER` gets, and whether `CANPROVOKE` follows. Sends nothing to
   * pages already registered; use {@link FakeNextAuth.approve} or
   * {@link FakeNextAuth.logout} for a change they should see.
   */
  setSession(session: FakeSession): void {
    const serverId = assertValidId(session.serverId, "serverId");
    const hsid = assertValidId(session.hsid, "hsid");

    this._sessions.set(keyOf(serverId, hsid), {
      serverId,
      hsid,
      loggedIn: session.loggedIn ?? false,
      canProvoke: session.canProvoke ?? false,
    });
  }

  /**
   * The phone approved the login: the session is logged in, push logins
   * become possible, and every page registered for it gets `LOGIN`.
   * `serverId` is needed only when the hsid is known under several.
   */
  approve(hsid: string, serverId?: string): void {
    const session = this._session("approve", hsid, serverId);
    session.loggedIn = true;
    session.canProvoke = true;

    this._sendTo(session, "LOGIN");
  }

  /** The person aborted on the phone: sends `CANCEL`. */
  deny(hsid: string, serverId?: string): void {
    this._sendTo(this._session("deny", hsid, serverId), "CANCEL");
  }

  /** The phone received the push: sends `CONFIRMPROVOKE`. */
  confirmProvoke(hsid: string, serverId?: string): void {
    const session = this._session("confirmProvoke", hsid, serverId);
    this._sendTo(session, "CONFIRMPROVOKE");
  }

  /** The app scanned the session's QR code: sends `CONFIRMSCAN`. */
  scan(hsid: string, serverId?: string): void {
    this._sendTo(this._session("scan", hsid, serverId), "CONFIRMSCAN");
  }

  /** The app holds no account for this server: sends `NOACCOUNTS`. */
  noAccounts(hsid: string, serverId?: string): void {
    const session = this._session("noAccounts", hsid, serverId);
    this._sendTo(session, "NOACCOUNTS");
  }

  /** A push login became possible: sends `CANPROVOKE`. */
  allowProvoke(hsid: string, serverId?: string): void {
    const session = this._session("allowProvoke", hsid, serverId);
    session.canProvoke = true;

    this._sendTo(session, "CANPROVOKE");
  }

  /**
   * The session was logged out (on the phone, or by the site's back end):
   * every page registered for it gets `LOGOUT`.
   */
  logout(hsid: string, serverId?: string): void {
    const session = this._session("logout", hsid, serverId);
    session.loggedIn = false;

    this._sendTo(session, "LOGOUT");
  }

  /**
   * Sends a raw frame to every connected page, for what the methods
   * above do not cover: a command of a newer server, a malformed frame.
   */
  send(frame: string): void {
    for (const client of this._server.clients()) this._write(client, frame);
  }

  /**
   * Closes every connection as a network failure or a server restart
   * would; the pages may reconnect, and the server stays up.
   */
  dropConnections(code = 1006, reason = "dropped by the test"): void {
    for (const client of this._server.clients()) {
      client.close({ code, reason, wasClean: code === 1000 });
    }
  }

  /**
   * Resolves with the `count`-th frame of this type (and hsid, if given)
   * that the server received since it started: at once if it is in
   * {@link FakeNextAuth.received} already, else when it arrives.
   *
   * @example
   * ```ts
   * socket.provoke();
   * const provoke = await server.waitForFrame("PROVOKE", hsid);
   * // after a reconnect: the second REGISTER
   * await server.waitForFrame("REGISTER", hsid, 2);
   * ```
   */
  waitForFrame(type: string, hsid?: string, count = 1): Promise<Command> {
    let left = count;
    const matches = (command: Command): boolean => {
      if (command.type !== type) return false;
      if (hsid !== undefined && command.hsid !== hsid) return false;

      left -= 1;
      return left === 0;
    };
    for (const frame of this._received) {
      const command = parseCommand(frame);
      if (command && matches(command)) return Promise.resolve(command);
    }

    return new Promise((resolve) => {
      this._waiters.push({ matches, resolve });
    });
  }

  /**
   * Closes every connection (code 1001, going away) and stops the
   * server, freeing its URL for the next test. Call it in `afterEach`,
   * after closing the sockets under test: a socket still running would
   * start reconnecting to a URL where nothing answers.
   */
  close(): Promise<void> {
    if (this._closed) return Promise.resolve();

    this._closed = true;
    this._registered.clear();
    this._server.close({
      code: 1001,
      reason: "server stopped",
      wasClean: true,
    });
    return new Promise((resolve) => {
      this._server.stop(() => {
        resolve();
      });
    });
  }

  private _accept(client: Client): void {
    this._registered.set(client, new Set());
    client.on("message", (data) => {
      const frame = frameText(data);
      if (frame !== undefined) this._receive(client, frame);
    });
    client.on("close", () => {
      this._registered.delete(client);
    });
  }

  private _receive(client: Client, frame: string): void {
    this._received.push(frame);
    const command = parseCommand(frame);
    if (!command) return;

    if (command.type === "REGISTER") this._register(client, command);
    else if (command.type === "LOGOUT") {
      const session = this._known(command.serverId, command.hsid);
      session.loggedIn = false;
      this._sendTo(session, "LOGOUT");
    }

    this._waiters = this._waiters.filter((waiter) => {
      if (!waiter.matches(command)) return true;

      waiter.resolve(command);
      return false;
    });
  }

  private _register(client: Client, command: Command): void {
    const session = this._known(command.serverId, command.hsid);
    this._registered.get(client)?.add(keyOf(session.serverId, session.hsid));

    this._write(
      client,
      this._frame(session, session.loggedIn ? "LOGIN" : "LOGOUT"),
    );
    if (session.canProvoke) {
      this._write(client, this._frame(session, "CANPROVOKE"));
    }
  }

  /** The session under these ids, known from now on if it was not. */
  private _known(serverId: string, hsid: string): SessionState {
    const key = keyOf(serverId, hsid);
    let session = this._sessions.get(key);
    if (!session) {
      session = { serverId, hsid, loggedIn: false, canProvoke: false };
      this._sessions.set(key, session);
    }
    return session;
  }

  /** Finds the session a phone action is about, or says why it cannot. */
  private _session(
    method: string,
    hsid: string,
    serverId: string | undefined,
  ): SessionState {
    assertValidId(hsid, "hsid");
    if (serverId !== undefined) {
      return this._known(assertValidId(serverId, "serverId"), hsid);
    }

    const found = [...this._sessions.values()].filter(
      (session) => session.hsid === hsid,
    );
    if (found.length === 1) return found[0];

    throw new Error(
      `nextauth-ws/testing: ${method}() needs a serverId: ` +
        (found.length === 0
          ? "no page registered this hsid and setSession() was not called"
          : `this hsid is known under ${found.length} serverIds`),
    );
  }

  private _sendTo(session: SessionState, type: string): void {
    const key = keyOf(session.serverId, session.hsid);
    const frame = this._frame(session, type);
    for (const [client, keys] of this._registered) {
      if (keys.has(key)) this._write(client, frame);
    }
  }

  private _frame(session: SessionState, type: string): string {
    return formatCommand({ ...session, type });
  }

  private _write(client: Client, frame: string): void {
    this._sent.push(frame);
    client.send(frame);
  }
}

/**
 * Starts a fake nextAuth server in memory, on mock-socket. Give its `url`
 * and `WebSocket` to the `NextAuthSocket` under test, script the
 * phone with its methods, and `await server.close()` after each test.
 *
 * @example
 * ```ts
 * const server = createFakeNextAuth({
 *   sessions: { serverId, hsid, loggedIn: false, canProvoke: true },
 * });
 * const socket = new NextAuthSocket({
 *   url: server.url,
 *   WebSocket: server.WebSocket,
 *   sessions: { serverId, hsid, loggedIn: false },
 * });
 * ```
 */
export function createFakeNextAuth(
  options: FakeNextAuthOptions = {},
): FakeNextAuth {
  return new FakeNextAuth(options);
}
