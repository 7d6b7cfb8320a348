/**
 * Type tests: `tsc -p .` compiles this file (tsconfig.json includes
 * test/), and fails on an `@ts-expect-error` that has no error under it.
 * The functions are never called: only their types matter.
 */
import { WebSocket as MockWebSocket } from "mock-socket";
import WS from "ws";

import { NextAuthSocket } from "../src";
import type {
  CommandEvent,
  NextAuthSocketOptions,
  SocketCloseEvent,
  SocketSnapshot,
  SocketState,
  StateChangeEvent,
  WebSocketConstructor,
} from "../src";

const url = "wss://ws.nextauth.com/";

export function acceptsEveryWebSocket(): NextAuthSocketOptions[] {
  const fromWs: WebSocketConstructor = WS;
  const fromMockSocket: WebSocketConstructor = MockWebSocket;
  const fromDom: WebSocketConstructor = WebSocket;

  return [
    { url, WebSocket: WS },
    { url, WebSocket: MockWebSocket },
    { url, WebSocket: fromWs },
    { url, WebSocket: fromMockSocket },
    { url: new URL(url), WebSocket: fromDom },
  ];
}

export function typesListeners(socket: NextAuthSocket): void {
  socket.addEventListener("login", (event) => {
    const command: CommandEvent = event;
    const changed: boolean = event.changed;
    const loggedIn: boolean | undefined = event.session.loggedIn;
    void [command, changed, loggedIn];
  });
  socket.addEventListener("close", (event) => {
    const close: SocketCloseEvent = event;
    const code: number = event.code;
    void [close, code];
  });
  socket.addEventListener("statechange", (event: StateChangeEvent) => {
    const state: SocketState = event.state;
    void state;
  });

  // @ts-expect-error: no such event
  socket.addEventListener("loggedin", () => undefined);
  // @ts-expect-error: a close event is no CommandEvent
  socket.addEventListener("close", (event: CommandEvent) => event.hsid);
  // @ts-expect-error: a login event has no close code
  socket.addEventListener("login", (event: SocketCloseEvent) => event.code);
}

export async function typesProvoke(socket: NextAuthSocket): Promise<void> {
  const event: CommandEvent = await socket.provoke();
  const withIds: Promise<CommandEvent> = socket.provoke("c2Vy", "aHNp", {
    timeoutMs: 1000,
    signal: new AbortController().signal,
  });
  void [event, withIds];

  // @ts-expect-error: ids are strings
  void socket.provoke(42, "aHNp");
  // @ts-expect-error: the nonce is a string
  void socket.provoke("c2Vy", 42);
  // @ts-expect-error: no such provoke option
  void socket.provoke("c2Vy", "aHNp", { timeout: 1000 });
}

export function typesSessions(socket: NextAuthSocket): void {
  const state: SocketState = socket.state;
  const loggedIn: boolean | undefined = socket.sessions[0]?.loggedIn;
  void [state, loggedIn];

  // @ts-expect-error: the snapshots are read-only
  socket.sessions[0].loggedIn = true;
  // @ts-expect-error: state is read-only
  socket.state = "open";
  // @ts-expect-error: a session needs an hsid
  socket.register({ serverId: "c2Vy" });
}

export function typesOptions(): NextAuthSocketOptions[] {
  return [
    // @ts-expect-error: url is required
    { keepAliveMs: 1000 },
    // @ts-expect-error: keepAliveMs is a number of milliseconds
    { url, keepAliveMs: "50s" },
    // @ts-expect-error: reconnect is an object or false
    { url, reconnect: true },
  ];
}

/** React's useSyncExternalStore, by its type only. */
declare function useSyncExternalStore<T>(
  subscribe: (onStoreChange: () => void) => () => void,
  getSnapshot: () => T,
): T;

export function typesStore(socket: NextAuthSocket): void {
  const snapshot: SocketSnapshot = useSyncExternalStore(
    socket.subscribe,
    socket.getSnapshot,
  );
  const state: SocketState = snapshot.state;
  const unsubscribe: () => void = socket.subscribe(() => undefined);
  void [state, unsubscribe];

  // @ts-expect-error: the snapshot is read-only
  snapshot.state = "open";
  // @ts-expect-error: its sessions too
  snapshot.sessions[0].canProvoke = true;
  // @ts-expect-error: a listener gets no argument to rely on
  socket.subscribe((changed: string) => changed);
}

describe("types", () => {
  it("compiles with tsc -p . (this file holds type tests)", () => {
    expect(typeof acceptsEveryWebSocket).toBe("function");
  });
});
