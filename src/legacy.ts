/**
 * The `nextAuth` global of the script-tag build: a drop-in for the
 * script that nextAuth's documentation asks pages to paste, backed by one
 * {@link NextAuthSocket}.
 *
 * @packageDocumentation
 */

import type { CommandEvent } from "./events";
import { isServerCommandType, parseCommand } from "./protocol";
import { NextAuthSocket } from "./socket";

/**
 * How a page said whether it was rendered logged in. `true`, `1`, `"1"`
 * and `"true"` mean logged in; `false`, `0`, `"0"`, `"false"` and `""`
 * mean logged out; `undefined` and `null` mean unknown.
 */
export type LegacyLoggedIn = boolean | number | string | null | undefined;

/** One session as the pasted script took it: `[serverid, hsid, loggedin]`. */
export type LegacySession = readonly [
  serverid: string,
  hsid: string,
  loggedin?: LegacyLoggedIn,
];

/** The `nextAuth` global: the pasted script's API, and the socket behind. */
export interface LegacyNextAuth {
  /** The socket of the last `wsinit`; `undefined` before the first. */
  socket: NextAuthSocket | undefined;
  /**
   * Set to `true` to have `logmsg` write every frame to the console, its
   * ids cut to four characters.
   */
  debug: boolean;
  /**
   * Opens the socket and registers every session; a second call closes
   * the first socket. Returns the socket (also kept as `socket`).
   *
   * @throws TypeError for a bad id or URL; the previous socket stays.
   */
  wsinit(
    sessiondata: readonly LegacySession[],
    host: string | URL,
  ): NextAuthSocket;
  /**
   * Sends `PROVOKE nonce serverid` for a session given to `wsinit`.
   * Resolves on `CONFIRMPROVOKE`; ignoring the promise is safe.
   */
  provoke(serverid: string, nonce: string): Promise<CommandEvent>;
  /** Sends a raw frame; while disconnected, after the next `REGISTER`s. */
  wssend(msg: string): void;
  /**
   * Called with every frame received (after `logmsg`); replace it to
   * handle frames yourself. The default reloads on `LOGIN` for a session
   * rendered logged out, and goes to `/` on `LOGOUT` for one rendered
   * logged in.
   */
  wsreceive(msg: string, sessiondata: readonly LegacySession[]): void;
  /** Called with every frame received; silent unless `debug` is true. */
  logmsg(msg: string): void;
  /** How the default `wsreceive` reloads; replaceable, for tests. */
  reload(): void;
  /** How the default `wsreceive` navigates; replaceable, for tests. */
  navigate(url: string): void;
}

/** Reads a `loggedin` field as the pasted script's pages wrote it. */
function legacyLoggedIn(value: LegacyLoggedIn): boolean | undefined {
  // Loose on purpose: 1, "1" and true all equal 1; "true" does not.
  return value == null ? undefined : value == 1 || value === "true";
}

/**
 * Creates a `nextAuth` object. Every function is looked up on the object
 * when called, so a page may replace `wsreceive` or `logmsg` at any time.
 */
export function createLegacy(): LegacyNextAuth {
  const nextAuth: LegacyNextAuth = {
    socket: undefined,
    debug: false,

    wsinit(sessiondata, host) {
      const socket = new NextAuthSocket({
        url: host,
        sessions: sessiondata.map(([serverId, hsid, loggedin]) => ({
          serverId,
          hsid,
          loggedIn: legacyLoggedIn(loggedin),
        })),
      });
      const receive = (raw: string): void => {
        nextAuth.logmsg(raw);
        nextAuth.wsreceive(raw, sessiondata);
      };
      // Every text frame fires exactly one of these two: `command` also
      // fires for an unknown type, which `unknown` reports as well.
      socket.addEventListener("command", (event) => {
        if (isServerCommandType(event.command)) receive(event.raw);
      });
      socket.addEventListener("unknown", (event) => {
        if (!event.binary) receive(event.raw);
      });

      nextAuth.socket?.close();
      return (nextAuth.socket = socket);
    },

    provoke(serverid, nonce) {
      return current().provoke(serverid, nonce);
    },

    wssend(msg) {
      current().send(msg);
    },

    wsreceive(msg, sessiondata) {
      const command = parseCommand(msg);
      const session = sessiondata.find(
        ([serverId, hsid]) =>
          serverId === command?.serverId && hsid === command.hsid,
      );
      if (!command || !session) return;

      const loggedIn = legacyLoggedIn(session[2]);
      if (command.type === "LOGIN" && loggedIn === false) nextAuth.reload();
      if (command.type === "LOGOUT" && loggedIn) nextAuth.navigate("/");
    },

    logmsg(msg) {
      // The page asked for it, as the pasted script logged every frame;
      // but every field after the type is cut to four characters, so no
      // session id reaches the console whole.
      if (nextAuth.debug) console.log(msg.replace(/ (\S{4})\S+/g, " $1…"));
    },

    reload() {
      location.reload();
    },

    navigate(url) {
      location.href = url;
    },
  };
  const current = (): NextAuthSocket => {
    if (!nextAuth.socket) {
      throw new TypeError("nextauth-ws: call nextAuth.wsinit() first");
    }
    return nextAuth.socket;
  };
  return nextAuth;
}
