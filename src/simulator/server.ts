/**
 * startSimulator: the simulated nextAuth server on one port, the
 * WebSocket for pages and the control API for the phone, on node:http
 * and `ws`.
 *
 * @packageDocumentation
 */

/// <reference types="node" />
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { WebSocket, WebSocketServer } from "ws";

import { handleApi, isApiRequest, sendJson } from "./api";
import { SimulatorCore } from "./core";
import { resolveSimulatorOptions } from "./options";
import type { SimulatorOptions } from "./options";
import { CLOSE_TOO_BIG, CLOSE_TRY_AGAIN } from "./types";
import type {
  PendingPush,
  PhoneResult,
  SimulatedSession,
  SimulatorConnection,
  SimulatorStats,
} from "./types";

/** How long `close()` waits for pages to answer the close, in ms. */
const CLOSE_GRACE_MS = 500;

/** A running simulator; see {@link startSimulator}. */
export interface Simulator {
  /** The HTTP base URL, such as `http://127.0.0.1:8081/`. */
  readonly url: string;
  /** The WebSocket URL for pages, such as `ws://127.0.0.1:8081/`. */
  readonly wsUrl: string;
  /** The port it listens on (useful with `port: 0`). */
  readonly port: number;
  /** The address it listens on. */
  readonly host: string;
  /** The state machine, for tests that want to drive it directly. */
  readonly core: SimulatorCore;
  /** Every session, oldest first. */
  sessions(): SimulatedSession[];
  /** One session, or undefined when unknown. */
  session(serverId: string, hsid: string): SimulatedSession | undefined;
  /** The push logins waiting on the phone, oldest first. */
  pushes(): PendingPush[];
  /** Counters since the start. */
  stats(): SimulatorStats;
  /** The phone scans the session's QR code: `CONFIRMSCAN`. */
  scan(serverId: string, hsid: string): PhoneResult;
  /** The phone approves the pending push or scan: `LOGIN`. */
  approve(serverId: string, hsid: string): PhoneResult;
  /** The phone denies the pending push or scan: `CANCEL`. */
  deny(serverId: string, hsid: string): PhoneResult;
  /** The phone scanned but holds no account: `NOACCOUNTS`. */
  noAccounts(serverId: string, hsid: string): PhoneResult;
  /** The phone logs the session out: `LOGOUT`. */
  logout(serverId: string, hsid: string): PhoneResult;
  /**
   * Records that a login happened in the session before (so `REGISTER`
   * answers `CANPROVOKE`), creating it when unknown; with `loggedIn`, also
   * sets whether it is logged in now.
   */
  seed(
    serverId: string,
    hsid: string,
    options?: { loggedIn?: boolean },
  ): SimulatedSession;
  /**
   * Closes every page socket with code 1001 and stops listening. Resolves
   * once the port is free.
   */
  close(): Promise<void>;
}

/**
 * Starts a simulated nextAuth server: a WebSocket that speaks the
 * protocol like the real one, and a control API under `/api/` that plays
 * the phone. Rejects with the `listen` error (such as `EADDRINUSE`).
 *
 * @example
 * ```ts
 * const simulator = await startSimulator({ port: 0 });
 * const socket = new NextAuthSocket({
 *   url: simulator.wsUrl,
 *   WebSocket,
 *   sessions: { serverId: "demo", hsid: "aHNpZA" },
 * });
 * simulator.seed("demo", "aHNpZA");    // a login happened before
 * await socket.provoke();               // CONFIRMPROVOKE
 * simulator.approve("demo", "aHNpZA");  // LOGIN
 * await simulator.close();
 * ```
 */
export async function startSimulator(
  options: SimulatorOptions = {},
): Promise<Simulator> {
  const resolved = resolveSimulatorOptions(options);
  const core = new SimulatorCore(resolved);
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: resolved.maxFrameBytes,
  });

  const server = createServer((request, response) => {
    if (isApiRequest(request)) {
      void handleApi(core, request, response);
    } else if (resolved.onRequest) {
      resolved.onRequest(request, response);
    } else {
      answerRoot(request, response, address.wsUrl);
    }
  });
  server.on("upgrade", (request, socket, head) => {
    socket.on("error", () => socket.destroy());
    wss.handleUpgrade(request, socket, head, (ws) => {
      accept(ws, core, sockets, resolved.maxSockets);
    });
  });

  await listen(server, resolved.port, resolved.host);
  const address = describeAddress(server);

  return {
    ...address,
    core,
    sessions: () => core.sessions(),
    session: (serverId, hsid) => core.session(serverId, hsid),
    pushes: () => core.pushes(),
    stats: () => core.stats(),
    scan: (serverId, hsid) => core.phone("scan", serverId, hsid),
    approve: (serverId, hsid) => core.phone("approve", serverId, hsid),
    deny: (serverId, hsid) => core.phone("deny", serverId, hsid),
    noAccounts: (serverId, hsid) => core.phone("noaccounts", serverId, hsid),
    logout: (serverId, hsid) => core.phone("logout", serverId, hsid),
    seed: (serverId, hsid, seedOptions) =>
      core.seed(serverId, hsid, seedOptions),
    close: () => stop(server, wss, sockets),
  };
}

function accept(
  ws: WebSocket,
  core: SimulatorCore,
  sockets: Set<WebSocket>,
  maxSockets: number,
): void {
  const connection: SimulatorConnection = {
    send: (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    },
    close: (code, reason) => {
      ws.close(code, reason);
    },
  };
  ws.on("error", (error: Error & { code?: string }) => {
    // ws has already closed the socket with the matching code.
    core.refuse(connection, closeCodeOf(error), "bad frame");
  });
  if (sockets.size >= maxSockets) {
    core.refuse(connection, CLOSE_TRY_AGAIN, "too many sockets; try later");
    return;
  }

  sockets.add(ws);
  core.connect(connection);
  ws.on("message", (data, isBinary) => {
    core.receive(
      connection,
      isBinary ? data : (data as Buffer).toString("utf8"),
    );
  });
  ws.on("close", () => {
    sockets.delete(ws);
    core.disconnect(connection);
  });
}

function closeCodeOf(error: Error & { code?: string }): number {
  if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") return CLOSE_TOO_BIG;
  if (error.code === "WS_ERR_INVALID_UTF8") return 1007;
  return 1002;
}

function answerRoot(
  request: IncomingMessage,
  response: ServerResponse,
  wsUrl: string,
): void {
  const path = (request.url ?? "/").split("?")[0];
  if (path !== "/") {
    sendJson(response, 404, { error: "not found; the API is under /api/" });
    return;
  }

  sendJson(response, 200, {
    name: "nextauth-ws simulator",
    websocket: wsUrl,
    api: "/api",
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function describeAddress(server: Server) {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    wsUrl: `ws://${host}:${port}/`,
    port,
    host: address,
  };
}

async function stop(
  server: Server,
  wss: WebSocketServer,
  sockets: Set<WebSocket>,
): Promise<void> {
  const closed = [...sockets].map(
    (ws) =>
      new Promise<void>((resolve) => {
        ws.once("close", () => {
          resolve();
        });
        ws.close(1001, "simulator stopping");
      }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_GRACE_MS);
  });
  await Promise.race([Promise.all(closed), grace]);
  clearTimeout(timer);

  for (const ws of sockets) ws.terminate();
  wss.close();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
