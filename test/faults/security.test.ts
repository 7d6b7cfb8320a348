/**
 * What a crafted URL or line must not get through, and what must never
 * be written to a log: ids in full.
 */
import { Server, WebSocket as MockWebSocket } from "mock-socket";

import { NextAuthSocket } from "../../src";
import type { WebSocketConstructor, WebSocketLike } from "../../src";

const HSID = "aHNpZC1zZWN1cml0eS0wMTIzNDU2Nzg5";
const SERVER_ID = "c2VydmVyLXNlY3VyaXR5";

/** A WebSocket that never connects, and remembers every URL it got. */
function recordingWebSocket(urls: string[]): WebSocketConstructor {
  return class implements WebSocketLike {
    readonly readyState = 0;
    constructor(url: string) {
      urls.push(url);
    }
    send(): void {}
    close(): void {}
    addEventListener(): void {}
  };
}

describe("constructor", () => {
  it.each([
    ["ws://example.com/"],
    ["ws://ws.nextauth.com/"],
    ["ws://10.0.0.1/"],
    ["ws://192.168.1.10:8080/"],
    ["ws://127.0.0.1.example.com/"],
    ["ws://localhost.example.com/"],
    ["ws://[::ffff:127.0.0.1]/"],
    ["ws://0.0.0.0/"],
  ])("refuses the insecure %s by default, before connecting", (url) => {
    const urls: string[] = [];
    const create = () =>
      new NextAuthSocket({ url, WebSocket: recordingWebSocket(urls) });

    expect(create).toThrow(TypeError);
    expect(create).toThrow(/url/);
    expect(urls).toEqual([]);
  });

  it.each([
    ["ws://127.0.0.1:8080/"],
    ["ws://127.1.2.3/"],
    ["ws://localhost/"],
    ["ws://app.localhost/"],
    ["ws://[::1]:9000/"],
    ["wss://ws.nextauth.com/"],
  ])("accepts %s", (url) => {
    const urls: string[] = [];
    const WebSocket = recordingWebSocket(urls);
    const socket = new NextAuthSocket({ url, WebSocket });
    socket.close();

    expect(urls).toEqual([url]);
  });

  it("accepts an insecure URL with allowInsecure", () => {
    const urls: string[] = [];
    const socket = new NextAuthSocket({
      url: "ws://example.com/",
      allowInsecure: true,
      WebSocket: recordingWebSocket(urls),
    });
    socket.close();

    expect(urls).toEqual(["ws://example.com/"]);
  });
});

describe("logger", () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it("never writes a session id in full, even as a raw line", async () => {
    const url = "ws://127.0.0.1:9/security";
    const server = new Server(url);
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const socket = new NextAuthSocket({
      url,
      sessions: { serverId: SERVER_ID, hsid: HSID },
      WebSocket: MockWebSocket as unknown as WebSocketConstructor,
      logger: { debug: log, warn: log, error: log },
    });
    await jest.advanceTimersByTimeAsync(10);
    expect(socket.state).toBe("open");

    socket.send(`${HSID} ${SERVER_ID}`);
    socket.send(HSID);
    socket.logout();
    socket.close();
    server.stop();

    const sent = lines.filter((line) => line.includes(" sent "));
    expect(sent).toEqual([
      "[nextauth-ws] sent REGISTER aHNp… c2Vy…",
      "[nextauth-ws] sent aHNp… c2Vy…",
      "[nextauth-ws] sent aHNp…",
      "[nextauth-ws] sent LOGOUT aHNp… c2Vy…",
    ]);
    const leaks = lines.filter(
      (line) => line.includes(HSID) || line.includes(SERVER_ID),
    );
    expect(leaks).toEqual([]);
  });
});
