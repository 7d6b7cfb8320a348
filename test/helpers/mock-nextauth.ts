/**
 * A mock-socket server standing in for nextAuth in the socket's unit
 * tests, with jest fake timers. mock-socket delivers `open`, `close` and
 * the page's frames to the server after a `setTimeout(…, 4)`: advance
 * the clock by MOCK_DELAY_MS for them to happen. Frames the server sends
 * reach the page at once.
 */
import { Server, WebSocket as MockWebSocket } from "mock-socket";
import type { Client } from "mock-socket";

import { NextAuthSocket } from "../../src";
import type {
  NextAuthSocketEventMap,
  NextAuthSocketOptions,
  WebSocketConstructor,
} from "../../src";

/** How long mock-socket waits before it opens, closes or delivers. */
export const MOCK_DELAY_MS = 4;

export const SERVER_ID = "c2VydmVyLWlk";
export const HSID = "aHNpZC1vbmU";
export const OTHER_HSID = "aHNpZC10d28";
export const STRANGER_HSID = "c3RyYW5nZXI";

let serverCount = 0;

/**
 * One mock server on a fresh URL. `sent` records every frame the page
 * wrote, in order, across all its connections, at the moment it was
 * written.
 */
export class MockNextAuth {
  readonly url = `wss://nextauth.test/${(serverCount += 1)}`;
  readonly sent: string[] = [];
  readonly connections: Client[] = [];
  server: Server;
  /** Pass as the `WebSocket` option. */
  readonly WebSocket: WebSocketConstructor;
  /** Every WebSocket the page created, open or not. */
  readonly created: MockWebSocket[] = [];

  constructor() {
    this.server = this._listen();

    const { sent, created } = this;
    class RecordingWebSocket extends MockWebSocket {
      constructor(url: string) {
        super(url);
        created.push(this);
      }

      override send(data: string): void {
        sent.push(data);
        super.send(data);
      }
    }
    this.WebSocket = RecordingWebSocket;
  }

  /** Starts the server again on the same URL, after `server.close()`. */
  restart(): void {
    this.server.stop();
    this.server = this._listen();
  }

  private _listen(): Server {
    const server = new Server(this.url, { mock: false });
    server.on("connection", (client) => this.connections.push(client));
    return server;
  }

  /** The server side of the newest connection. */
  get client(): Client {
    const client = this.connections[this.connections.length - 1];
    if (!client) throw new Error("no connection yet");
    return client;
  }

  /** Sends a frame to the page on the newest connection, delivered now. */
  emit(frame: string): void {
    this.client.send(frame);
  }

  /** Closes the newest connection from the server side. */
  drop(code = 1006, reason = ""): void {
    this.client.close({ code, reason, wasClean: code === 1000 });
  }

  /** Takes the URL down: new connections fail, open ones stay. */
  stop(): void {
    this.server.stop();
  }
}

const sockets: NextAuthSocket[] = [];
const servers: MockNextAuth[] = [];

/** A mock server that `cleanUp()` stops. */
export function startMock(): MockNextAuth {
  const mock = new MockNextAuth();
  servers.push(mock);
  return mock;
}

/** A socket on `mock`'s URL and WebSocket, closed by `cleanUp()`. */
export function connect(
  mock: MockNextAuth,
  options: Partial<NextAuthSocketOptions> = {},
): NextAuthSocket {
  const socket = new NextAuthSocket({
    url: mock.url,
    WebSocket: mock.WebSocket,
    sessions: { serverId: SERVER_ID, hsid: HSID },
    ...options,
  });
  sockets.push(socket);
  return socket;
}

/** Closes every socket and stops every server of the test. */
export function cleanUp(): void {
  for (const socket of sockets.splice(0)) socket.close();
  for (const mock of servers.splice(0)) mock.stop();
}

type EventName = keyof NextAuthSocketEventMap;

/** One line per event, with the fields that matter for it. */
export function describeEvent(event: Event): string {
  const fields = event as Event & Record<string, unknown>;
  switch (event.type) {
    case "statechange":
      return `statechange ${fields.previous}>${fields.state}`;
    case "close":
      return (
        `close ${fields.code} wasClean=${fields.wasClean} ` +
        `willReconnect=${fields.willReconnect}`
      );
    case "reconnecting":
      return `reconnecting ${fields.attempt} ${fields.delayMs}`;
    case "unknown":
      return `unknown ${JSON.stringify(fields.raw)}`;
    case "open":
    case "error":
      return event.type;
    default:
      return `${event.type} ${fields.raw} changed=${fields.changed}`;
  }
}

/** Records the given events of `socket`, described, into an array. */
export function record(
  socket: NextAuthSocket,
  types: readonly EventName[],
): string[] {
  const events: string[] = [];
  for (const type of types) {
    socket.addEventListener(type, (event: Event) => {
      events.push(describeEvent(event));
    });
  }
  return events;
}

/** Every event of the socket's map. */
export const ALL_EVENTS: readonly EventName[] = [
  "login",
  "logout",
  "canprovoke",
  "confirmprovoke",
  "confirmscan",
  "cancel",
  "noaccounts",
  "command",
  "unknown",
  "open",
  "close",
  "reconnecting",
  "error",
  "statechange",
];

/** The connection-level events. */
export const CONNECTION_EVENTS: readonly EventName[] = [
  "open",
  "close",
  "reconnecting",
  "error",
  "statechange",
];

/** Advances fake time, running timers and the promise jobs they start. */
export async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}

/** Lets mock-socket open the connection it is making. */
export function open(): void {
  jest.advanceTimersByTime(MOCK_DELAY_MS);
}
