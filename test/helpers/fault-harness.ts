/**
 * What every fault scenario checks at its end: the page's sessions equal
 * the server's truth, every push login settled with a confirmation or a
 * code, and after `close()` no timer of the library and no listener on
 * `window` or `document` remains, nothing reconnects, and no log line
 * holds an id in full. Unhandled rejections fail the test by themselves:
 * jest 30 reports them as the test's error.
 */
import { WebSocket } from "ws";

import { NextAuthSocket, ProvokeError } from "../../src";
import type {
  CommandEvent,
  NextAuthSocketOptions,
  SessionInit,
  WebSocketConstructor,
} from "../../src";
import { TruthServer, sleep, waitFor } from "./truth-server";

const SRC = `${process.cwd()}/src/`;

type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * Wraps the global `setTimeout` and `clearTimeout` to know which timers
 * created from src/ are still pending.
 */
export class TimerCounter {
  private _pending = new Set<TimerHandle>();
  private _setTimeout = globalThis.setTimeout;
  private _clearTimeout = globalThis.clearTimeout;

  /** Wraps the functions in place now, fake or real. */
  install(): void {
    this._setTimeout = globalThis.setTimeout;
    this._clearTimeout = globalThis.clearTimeout;
    const pending = this._pending;
    const realSet = this._setTimeout;
    const realClear = this._clearTimeout;
    const wrappedSet = (
      callback: (...args: unknown[]) => void,
      delayMs?: number,
      ...args: unknown[]
    ): TimerHandle => {
      const fromSrc = (new Error().stack ?? "").includes(SRC);
      const handle: TimerHandle = realSet(
        (...callbackArgs: unknown[]) => {
          pending.delete(handle);
          callback(...callbackArgs);
        },
        delayMs,
        ...args,
      );
      if (fromSrc) pending.add(handle);
      return handle;
    };
    const wrappedClear = (handle?: TimerHandle): void => {
      if (handle !== undefined) pending.delete(handle);
      realClear(handle);
    };
    globalThis.setTimeout = wrappedSet as typeof setTimeout;
    globalThis.clearTimeout = wrappedClear as typeof clearTimeout;
  }

  uninstall(): void {
    globalThis.setTimeout = this._setTimeout;
    globalThis.clearTimeout = this._clearTimeout;
    this._pending.clear();
  }

  /** Timers set from src/ that have neither fired nor been cleared. */
  get pending(): number {
    return this._pending.size;
  }
}

/** A listener target that counts what is attached to it. */
class CountingTarget extends EventTarget {
  readonly listeners = new Map<string, Set<unknown>>();

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
  ): void {
    if (!listener) return;
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
    super.addEventListener(type, listener);
  }

  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
  ): void {
    if (!listener) return;
    this.listeners.get(type)?.delete(listener);
    super.removeEventListener(type, listener);
  }

  get count(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}

/**
 * A fake `window` and `document` on `globalThis`, as in a browser: the
 * socket listens to `online` on the one and `visibilitychange` on the
 * other.
 */
export class FakeBrowser {
  readonly window = new CountingTarget();
  readonly document = Object.assign(new CountingTarget(), {
    visibilityState: "visible",
  });

  install(): void {
    const scope = globalThis as Record<string, unknown>;
    scope.addEventListener = this.window.addEventListener.bind(this.window);
    scope.removeEventListener = this.window.removeEventListener.bind(
      this.window,
    );
    scope.document = this.document;
  }

  uninstall(): void {
    const scope = globalThis as Record<string, unknown>;
    delete scope.addEventListener;
    delete scope.removeEventListener;
    delete scope.document;
  }

  /** Listeners on both. */
  get listeners(): number {
    return this.window.count + this.document.count;
  }

  goOnline(): void {
    this.window.dispatchEvent(new Event("online"));
  }

  setVisibility(state: "visible" | "hidden"): void {
    this.document.visibilityState = state;
    this.document.dispatchEvent(new Event("visibilitychange"));
  }
}

/** How one push login ended. */
export type ProvokeOutcome = "confirmed" | `rejected:${string}` | "pending";

/** A socket under test, with what it did recorded. */
export class Watched {
  readonly socket: NextAuthSocket;
  /** Events in order: `open`, `close`, `login+` (changed), `unknown`, … */
  readonly events: string[] = [];
  readonly logs: string[] = [];
  readonly instances: WebSocket[] = [];
  readonly outcomes: ProvokeOutcome[] = [];
  private _settled: Promise<unknown>[] = [];

  constructor(options: Omit<NextAuthSocketOptions, "WebSocket">) {
    const instances = this.instances;
    class RecordedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        instances.push(this);
      }
    }
    const log = (level: string) => (message: string) => {
      this.logs.push(`${level} ${message}`);
    };

    this.socket = new NextAuthSocket({
      ...options,
      WebSocket: RecordedWebSocket as unknown as WebSocketConstructor,
      logger: { debug: log("debug"), warn: log("warn"), error: log("error") },
    });
    this._record();
  }

  /** Calls `provoke()` and remembers how it ends. */
  provoke(serverId?: string, hsid?: string, timeoutMs?: number): void {
    const index = this.outcomes.push("pending") - 1;
    const options = timeoutMs === undefined ? {} : { timeoutMs };
    const promise = this.socket.provoke(serverId, hsid, options).then(
      () => {
        this.outcomes[index] = "confirmed";
      },
      (error: unknown) => {
        const code = error instanceof ProvokeError ? error.code : "other";
        this.outcomes[index] = `rejected:${code}`;
      },
    );
    this._settled.push(promise);
  }

  /** Counts the events of one name. */
  count(name: string): number {
    return this.events.filter((event) => event === name).length;
  }

  /** Waits until every push login has settled. */
  async settled(timeoutMs = 10_000): Promise<void> {
    await waitFor(
      () => !this.outcomes.includes("pending"),
      `push logins to settle: ${this.outcomes.join(", ")}`,
      timeoutMs,
    );
    await Promise.all(this._settled);
  }

  private _record(): void {
    const { socket, events } = this;
    const command = (event: CommandEvent) => {
      const mark = event.changed ? "+" : "";
      events.push(`${event.type}${mark}`);
    };
    for (const type of [
      "login",
      "logout",
      "canprovoke",
      "confirmprovoke",
      "confirmscan",
      "cancel",
      "noaccounts",
    ] as const) {
      socket.addEventListener(type, command);
    }
    socket.addEventListener("open", () => {
      events.push("open");
    });
    socket.addEventListener("close", (event) => {
      events.push(`close:${event.code}`);
    });
    socket.addEventListener("unknown", (event) => {
      events.push(event.binary ? "unknown:binary" : "unknown");
    });
  }
}

/** What the page knows, shaped like the server's truth. */
export function pageView(socket: NextAuthSocket) {
  return socket.sessions.map(({ serverId, hsid, loggedIn, canProvoke }) => ({
    serverId,
    hsid,
    loggedIn,
    canProvoke,
  }));
}

/** What the server holds for the same sessions. */
export function serverView(server: TruthServer, sessions: SessionInit[]) {
  return sessions.map(({ serverId, hsid }) => ({
    serverId,
    hsid,
    ...server.truth(serverId, hsid),
  }));
}

const PROVOKE_CODES = new Set([
  "confirmed",
  "rejected:closed",
  "rejected:timeout",
  "rejected:aborted",
]);

/**
 * The checks that close every scenario: truth reached, no push login
 * lost or hanging, then `close()` leaves nothing behind, nothing
 * reconnects, and no log line holds an id in full.
 */
export async function expectCleanEnd(
  watched: Watched,
  server: TruthServer,
  sessions: SessionInit[],
  timers: TimerCounter,
  browser: FakeBrowser,
): Promise<void> {
  const { socket } = watched;
  const truth = serverView(server, sessions);
  await waitFor(
    () => JSON.stringify(pageView(socket)) === JSON.stringify(truth),
    "the page to know what the server knows",
  ).catch(() => undefined);
  expect(pageView(socket)).toEqual(truth);

  await watched.settled();
  for (const outcome of watched.outcomes) {
    expect(PROVOKE_CODES).toContain(outcome);
  }

  socket.close();
  expect(socket.state).toBe("closed");
  await waitFor(
    () => watched.instances.every((ws) => ws.readyState === WebSocket.CLOSED),
    "every WebSocket to close",
  );
  expect(timers.pending).toBe(0);
  expect(browser.listeners).toBe(0);

  const attempts = server.attempts;
  await sleep(100);
  expect(server.attempts).toBe(attempts);
  expect(socket.state).toBe("closed");

  const ids = sessions.flatMap(({ serverId, hsid }) => [serverId, hsid]);
  const leaks = watched.logs.filter((line) =>
    ids.some((id) => line.includes(id)),
  );
  expect(leaks).toEqual([]);
}
