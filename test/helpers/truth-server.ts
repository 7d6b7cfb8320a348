/**
 * A small nextAuth server for the fault tests. It holds the truth of each
 * session (logged in, push possible) and can be made to misbehave: drop
 * every socket at once, stop and come back on the same port, refuse or
 * hold handshakes, keep a confirmation to itself, send any frame. It is
 * not the product's simulator: the tests must not share its bugs.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";

/** What the server knows of one session. */
export interface Truth {
  loggedIn: boolean;
  canProvoke: boolean;
}

/**
 * What the server does with a handshake: `accept`; `refuse` with HTTP
 * 403; `hold` the TCP connection without ever answering.
 */
export type HandshakeMode = "accept" | "refuse" | "hold";

const FRAME = /^([A-Z]+) (\S+) (\S+)$/;

// Taken before any test installs fake timers, so that waiting works
// whatever the test does to the clock.
const realSetTimeout = setTimeout;
const now = () => performance.now();

/** Waits `delayMs` of real time, fake timers or not. */
export function sleep(delayMs: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, delayMs));
}

function keyOf(serverId: string, hsid: string): string {
  return `${serverId} ${hsid}`;
}

/** Polls `predicate` every few milliseconds until it holds. */
export async function waitFor(
  predicate: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!predicate()) {
    if (now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await sleep(5);
  }
}

export class TruthServer {
  /** How the next handshakes are answered. */
  mode: HandshakeMode = "accept";
  /** Whether `PROVOKE` is answered with `CONFIRMPROVOKE`. */
  confirmProvokes = true;
  /** Every text frame received from any page, in order. */
  readonly received: string[] = [];
  /** Upgrade requests seen, whatever the mode. */
  attempts = 0;
  /** Connections accepted. */
  connections = 0;

  private _http: Server;
  private _wss = new WebSocketServer({ noServer: true });
  private _truth = new Map<string, Truth>();
  private _registered = new Map<WebSocket, Set<string>>();
  private _held = new Set<Socket>();
  private _port = 0;

  private constructor() {
    this._http = this._createHttp();
  }

  /** Starts a server on 127.0.0.1, on a free port. */
  static async start(): Promise<TruthServer> {
    const server = new TruthServer();
    await server._listen(0);
    return server;
  }

  get port(): number {
    return this._port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this._port}/`;
  }

  /** Pages connected now. */
  get clients(): number {
    return this._registered.size;
  }

  /** Sets the truth of a session. */
  set(serverId: string, hsid: string, truth: Partial<Truth>): void {
    const key = keyOf(serverId, hsid);
    this._truth.set(key, { ...this._get(key), ...truth });
  }

  /** The truth of a session (logged out, no push, when never set). */
  truth(serverId: string, hsid: string): Truth {
    return { ...this._get(keyOf(serverId, hsid)) };
  }

  /** Frames received of one type (`REGISTER`, `PROVOKE`, …). */
  frames(type: string): string[] {
    return this.received.filter((frame) => frame.split(" ")[0] === type);
  }

  /**
   * The person approves on the phone: the session is logged in, and
   * every page registered for it hears `LOGIN`, unless `deliver` is
   * false (a connection that died without either side knowing).
   */
  approve(serverId: string, hsid: string, deliver = true): void {
    this.set(serverId, hsid, { loggedIn: true, canProvoke: true });
    if (deliver) this._broadcast(serverId, hsid, "LOGIN");
  }

  /** Sends one frame to every connected page. */
  sendToAll(data: string | Buffer, binary = false): void {
    for (const ws of this._registered.keys()) ws.send(data, { binary });
  }

  /** Drops every connection at once, without a closing handshake. */
  terminate(): void {
    for (const ws of this._registered.keys()) ws.terminate();
  }

  /** Closes every connection with `code`. */
  closeAll(code: number, reason = ""): void {
    for (const ws of this._registered.keys()) ws.close(code, reason);
  }

  /** Ends the connections held in `hold` mode. */
  releaseHeld(): void {
    for (const socket of this._held) socket.destroy();
    this._held.clear();
  }

  /** Stops listening and drops everything; the port becomes free. */
  async stop(): Promise<void> {
    this.terminate();
    this.releaseHeld();
    this._http.closeAllConnections();
    await new Promise<void>((resolve) => this._http.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    this._http = this._createHttp();
    await this._listen(this._port);
  }

  private _get(key: string): Truth {
    return this._truth.get(key) ?? { loggedIn: false, canProvoke: false };
  }

  private _createHttp(): Server {
    const http = createServer((_request, response) => {
      response.writeHead(426).end();
    });
    http.on("upgrade", (request: IncomingMessage, socket: Socket, head) => {
      this._upgrade(request, socket, head);
    });
    return http;
  }

  private async _listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this._http.once("error", reject);
      this._http.listen(port, "127.0.0.1", () => {
        this._http.off("error", reject);
        resolve();
      });
    });
    this._port = (this._http.address() as AddressInfo).port;
  }

  private _upgrade(request: IncomingMessage, socket: Socket, head: Buffer) {
    this.attempts += 1;
    socket.on("error", () => undefined);
    if (this.mode === "refuse") {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    if (this.mode === "hold") {
      this._held.add(socket);
      socket.on("close", () => this._held.delete(socket));
      return;
    }

    this._wss.handleUpgrade(request, socket, head, (ws) => this._accept(ws));
  }

  private _accept(ws: WebSocket): void {
    this.connections += 1;
    this._registered.set(ws, new Set());
    ws.on("error", () => undefined);
    ws.on("close", () => this._registered.delete(ws));
    ws.on("message", (data, isBinary) => {
      if (!isBinary) this._receive(ws, data.toString());
    });
  }

  private _receive(ws: WebSocket, frame: string): void {
    this.received.push(frame);
    const match = FRAME.exec(frame);
    if (!match) return;

    const [, type, hsid, serverId] = match;
    const key = keyOf(serverId, hsid);
    if (type === "REGISTER") {
      this._registered.get(ws)?.add(key);
      const truth = this._get(key);
      ws.send(`${truth.loggedIn ? "LOGIN" : "LOGOUT"} ${hsid} ${serverId}`);
      if (truth.canProvoke) ws.send(`CANPROVOKE ${hsid} ${serverId}`);
    } else if (type === "PROVOKE") {
      if (this.confirmProvokes && this._get(key).canProvoke) {
        ws.send(`CONFIRMPROVOKE ${hsid} ${serverId}`);
      }
    } else if (type === "LOGOUT") {
      this.set(serverId, hsid, { loggedIn: false });
      this._broadcast(serverId, hsid, "LOGOUT");
    }
  }

  private _broadcast(serverId: string, hsid: string, type: string): void {
    const key = keyOf(serverId, hsid);
    for (const [ws, keys] of this._registered) {
      if (keys.has(key)) ws.send(`${type} ${hsid} ${serverId}`);
    }
  }
}
