/**
 * A small HTTP and WebSocket server for the browser tests, on 127.0.0.1
 * port 0. It serves dist/ at /dist/ and test/browser/pages/ at /pages/,
 * answers WebSocket connections at /ws, and records every frame.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";

const ROOT = join(__dirname, "..", "..");
const MOUNTS: Record<string, string> = {
  "/dist/": join(ROOT, "dist"),
  "/pages/": join(ROOT, "test", "browser", "pages"),
};
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** A frame the server received, and from which connection (1, 2, …). */
export interface ReceivedFrame {
  connection: number;
  frame: string;
}

export interface TestServerOptions {
  /** Extra response headers for a page, such as a CSP. */
  headers?: (path: string, server: TestServer) => Record<string, string>;
  /** Frames to answer a received frame with. */
  reply?: (frame: string) => string[];
}

export interface TestServer {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  /** `ws://127.0.0.1:port/ws` */
  readonly wsUrl: string;
  /** Every frame received, in order. */
  readonly received: ReceivedFrame[];
  /** Connection numbers in the order they closed. */
  readonly closed: number[];
  /** How many WebSocket connections are open now. */
  openCount(): number;
  /** Sends a frame on every open connection. */
  send(frame: string): void;
  /** Resolves once a received frame satisfies `test`. */
  waitForFrame(
    test: (received: ReceivedFrame) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedFrame>;
  /** Resolves once `test()` is true after a connection event. */
  waitFor(test: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the server; stop it with `close()` in afterAll/afterEach. */
export async function startTestServer(
  options: TestServerOptions = {},
): Promise<TestServer> {
  const received: ReceivedFrame[] = [];
  const closed: number[] = [];
  const clients = new Set<WebSocket>();
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };

  const http = createServer((request, response) => {
    void serve(request, response, (path) =>
      options.headers ? options.headers(path, server) : {},
    );
  });
  const wss = new WebSocketServer({ server: http, path: "/ws" });
  let connections = 0;
  wss.on("connection", (ws) => {
    connections += 1;
    const connection = connections;
    clients.add(ws);
    ws.on("message", (data) => {
      const frame = String(data);
      received.push({ connection, frame });
      for (const answer of options.reply?.(frame) ?? []) ws.send(answer);
      notify();
    });
    ws.on("close", () => {
      clients.delete(ws);
      closed.push(connection);
      notify();
    });
    notify();
  });

  await new Promise<void>((resolve) => {
    http.listen(0, "127.0.0.1", resolve);
  });
  const { port } = http.address() as AddressInfo;

  const waitFor = (test: () => boolean, timeoutMs = 5000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!test()) return;

        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out; received ${JSON.stringify(received)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const server: TestServer = {
    origin: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    received,
    closed,
    openCount: () => clients.size,
    send(frame) {
      for (const ws of clients) ws.send(frame);
    },
    async waitForFrame(test, timeoutMs) {
      await waitFor(() => received.some(test), timeoutMs);
      return received.find(test) as ReceivedFrame;
    },
    waitFor,
    async close() {
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      http.closeAllConnections();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
      });
    },
  };
  return server;
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  headersFor: (path: string) => Record<string, string>,
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/favicon.ico") {
    response.writeHead(204).end();
    return;
  }
  if (path === "/") {
    // Where the default wsreceive sends a page on LOGOUT.
    response.writeHead(200, { "content-type": TYPES[".html"] });
    response.end("<!doctype html><title>home</title><p>home</p>");
    return;
  }

  const mount = Object.keys(MOUNTS).find((prefix) => path.startsWith(prefix));
  const file =
    mount && normalize(join(MOUNTS[mount], path.slice(mount.length)));
  if (!mount || !file || !file.startsWith(MOUNTS[mount])) {
    response.writeHead(404).end();
    return;
  }

  try {
    const body = await readFile(file);
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
      ...headersFor(path),
    });
    response.end(body);
  } catch {
    // A missing file: the test will see the 404 in the page.
    response.writeHead(404).end();
  }
}
