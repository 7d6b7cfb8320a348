/**
 * NextAuthSocket against a real `ws` server on 127.0.0.1, built from
 * source; then the built package, required and imported in a child Node
 * process as a user would.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import WebSocket, { WebSocketServer } from "ws";

import { NextAuthSocket } from "../src";
import type { NextAuthSocketEventMap, NextAuthSocketOptions } from "../src";

const SERVER_ID = "c2VydmVyLWlk";
const HSID = "aHNpZC1vbmU";
const ROOT = join(__dirname, "..");

/**
 * Plays the nextAuth server: answers REGISTER with the status and
 * CANPROVOKE, PROVOKE with CONFIRMPROVOKE, and records every frame.
 */
class FakeNextAuth {
  readonly received: string[] = [];
  /** The login status per hsid. */
  readonly loggedIn = new Map<string, boolean>();
  /** Whether PROVOKE gets its CONFIRMPROVOKE. */
  confirmProvokes = true;
  private _server: WebSocketServer | undefined;

  async start(): Promise<string> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    this._server = server;
    server.on("connection", (client) => {
      client.on("message", (data) => this._answer(client, String(data)));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });

    const { port } = server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/`;
  }

  get clients(): Set<WebSocket> {
    return this._server?.clients ?? new Set();
  }

  /** Sends a frame to every connected page. */
  broadcast(frame: string): void {
    for (const client of this.clients) client.send(frame);
  }

  /** Cuts every connection without a close frame, as a crash would. */
  terminateAll(): void {
    for (const client of this.clients) client.terminate();
  }

  async stop(): Promise<void> {
    const server = this._server;
    if (!server) return;

    this._server = undefined;
    this.terminateAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private _answer(client: WebSocket, frame: string): void {
    this.received.push(frame);
    const [type, hsid, serverId] = frame.split(" ");
    if (type === "REGISTER") {
      const status = this.loggedIn.get(hsid) ? "LOGIN" : "LOGOUT";
      client.send(`${status} ${hsid} ${serverId}`);
      client.send(`CANPROVOKE ${hsid} ${serverId}`);
    } else if (type === "PROVOKE" && this.confirmProvokes) {
      client.send(`CONFIRMPROVOKE ${hsid} ${serverId}`);
    }
  }
}

/** Resolves with the next event of `type`. */
function next<K extends keyof NextAuthSocketEventMap>(
  socket: NextAuthSocket,
  type: K,
): Promise<NextAuthSocketEventMap[K]> {
  return new Promise((resolve) => {
    socket.addEventListener(type, resolve, { once: true });
  });
}

/** Resolves once `test()` holds, checking every few milliseconds. */
async function until(test: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function describeEvent(event: Event): string {
  const fields = event as Event & Record<string, unknown>;
  if (event.type === "statechange") {
    return `statechange ${fields.previous}>${fields.state}`;
  }
  if (event.type === "close") {
    return `close ${fields.code} willReconnect=${fields.willReconnect}`;
  }
  if (event.type === "reconnecting") return `reconnecting ${fields.attempt}`;
  if (event.type === "open") return "open";
  return `${event.type} changed=${fields.changed}`;
}

function record(socket: NextAuthSocket): string[] {
  const events: string[] = [];
  const types = [
    "statechange",
    "open",
    "close",
    "reconnecting",
    "login",
    "logout",
    "canprovoke",
    "confirmprovoke",
  ] as const;
  for (const type of types) {
    socket.addEventListener(type, (event: Event) => {
      events.push(describeEvent(event));
    });
  }
  return events;
}

describe("NextAuthSocket with ws", () => {
  const fake = new FakeNextAuth();
  let url = "";
  let socket: NextAuthSocket | undefined;

  function connect(options: Partial<NextAuthSocketOptions> = {}) {
    socket = new NextAuthSocket({
      url,
      WebSocket,
      sessions: { serverId: SERVER_ID, hsid: HSID, loggedIn: false },
      reconnect: { minDelayMs: 20, maxDelayMs: 40 },
      ...options,
    });
    return socket;
  }

  beforeEach(async () => {
    fake.received.length = 0;
    fake.loggedIn.clear();
    fake.confirmProvokes = true;
    url = await fake.start();
  });

  afterEach(async () => {
    socket?.close();
    socket = undefined;
    await fake.stop();
  });

  it("registers, and gets the status and CANPROVOKE", async () => {
    const socket = connect();
    const events = record(socket);

    await next(socket, "canprovoke");

    expect(fake.received).toEqual([`REGISTER ${HSID} ${SERVER_ID}`]);
    expect(events).toEqual([
      "statechange connecting>open",
      "open",
      "logout changed=false",
      "canprovoke changed=false",
    ]);
    expect(socket.sessions).toEqual([
      { serverId: SERVER_ID, hsid: HSID, loggedIn: false, canProvoke: true },
    ]);
  });

  it("provokes and resolves on CONFIRMPROVOKE", async () => {
    const socket = connect();
    await next(socket, "canprovoke");

    const event = await socket.provoke(SERVER_ID, HSID, { timeoutMs: 5000 });

    expect(event.raw).toBe(`CONFIRMPROVOKE ${HSID} ${SERVER_ID}`);
    expect(fake.received).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `PROVOKE ${HSID} ${SERVER_ID}`,
    ]);
  });

  it("reconnects after terminate(), resyncing a login meanwhile", async () => {
    const socket = connect();
    await next(socket, "canprovoke");
    const events = record(socket);

    fake.loggedIn.set(HSID, true);
    fake.terminateAll();
    await next(socket, "canprovoke");

    expect(events).toEqual([
      "close 1006 willReconnect=true",
      "statechange open>reconnecting",
      "reconnecting 1",
      "statechange reconnecting>open",
      "open",
      "login changed=true",
      "canprovoke changed=false",
    ]);
    expect(fake.received).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `REGISTER ${HSID} ${SERVER_ID}`,
    ]);
    expect(socket.sessions[0].loggedIn).toBe(true);
  });

  it("rejects a provoke cut off by terminate(), never resent", async () => {
    const socket = connect();
    await next(socket, "canprovoke");
    fake.received.length = 0;

    // The server swallows this PROVOKE, then dies.
    fake.confirmProvokes = false;
    const promise = socket.provoke();
    await until(() => fake.received.length === 1, "the PROVOKE");
    fake.terminateAll();

    await expect(promise).rejects.toMatchObject({ code: "closed" });
    await next(socket, "canprovoke");
    expect(fake.received).toEqual([
      `PROVOKE ${HSID} ${SERVER_ID}`,
      `REGISTER ${HSID} ${SERVER_ID}`,
    ]);
  });

  it("leaves no connection or timer after close()", async () => {
    const baseline = process.getActiveResourcesInfo();
    const socket = connect({ keepAliveMs: 1000 });
    await next(socket, "canprovoke");
    void socket.provoke();

    socket.close();
    await until(() => fake.clients.size === 0, "the server to see the close");
    await until(
      () => count(process.getActiveResourcesInfo()) <= count(baseline),
      "the client's socket and timers to go",
    );

    expect(socket.state).toBe("closed");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.clients.size).toBe(0);
    expect(fake.received).toEqual([
      `REGISTER ${HSID} ${SERVER_ID}`,
      `PROVOKE ${HSID} ${SERVER_ID}`,
    ]);

    function count(resources: string[]): number {
      return resources.filter(
        (resource) => resource === "Timeout" || resource === "TCPSocketWrap",
      ).length;
    }
  });
});

describe("the built package", () => {
  const fake = new FakeNextAuth();
  let url = "";

  beforeEach(async () => {
    url = await fake.start();
  });

  afterEach(async () => {
    await fake.stop();
  });

  // Runs in a child process: Node's own resolution of the package's
  // exports, with no jest module system in between.
  const script = (webSocketOption: string): string => `
    const events = [];
    const socket = new NextAuthSocket({
      url: process.env.NEXTAUTH_URL,
      ${webSocketOption}
      sessions: { serverId: "${SERVER_ID}", hsid: "${HSID}", loggedIn: false },
    });
    socket.addEventListener("command", (event) => events.push(event.raw));
    socket.addEventListener("canprovoke", async () => {
      const confirm = await socket.provoke();
      events.push("resolved " + confirm.command);
      socket.close();
      console.log(JSON.stringify({ resolved: RESOLVED, events }));
    });
  `;
  const SCRIPT = script("WebSocket,");

  function run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        args,
        {
          cwd: ROOT,
          env: { ...process.env, NEXTAUTH_URL: url },
          timeout: 15_000,
        },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`${error.message}\n${stderr}`));
          else resolve(stdout);
        },
      );
    });
  }

  const EXPECTED_EVENTS = [
    `LOGOUT ${HSID} ${SERVER_ID}`,
    `CANPROVOKE ${HSID} ${SERVER_ID}`,
    `CONFIRMPROVOKE ${HSID} ${SERVER_ID}`,
    "resolved CONFIRMPROVOKE",
  ];

  beforeAll(() => {
    for (const file of ["dist/index.cjs", "dist/index.mjs"]) {
      if (!existsSync(join(ROOT, file))) {
        throw new Error(
          `${file} is missing: run \`npm run build\` first ` +
            "(npm test builds before it tests).",
        );
      }
    }
  });

  it("works with require() in Node, through the package exports", async () => {
    const stdout = await run([
      "-e",
      `const WebSocket = require("ws");
       const { NextAuthSocket } = require("nextauth-ws");
       const RESOLVED = require.resolve("nextauth-ws");
       ${SCRIPT}`,
    ]);

    expect(JSON.parse(stdout)).toEqual({
      resolved: join(ROOT, "dist", "index.cjs"),
      events: EXPECTED_EVENTS,
    });
  });

  it("works with Node's own WebSocket, given no WebSocket option", async () => {
    // Built in from Node 22; Node 20 and 21 have it behind a flag.
    const major = Number(process.versions.node.split(".")[0]);
    const flags = major < 22 ? ["--experimental-websocket"] : [];
    const stdout = await run([
      ...flags,
      "--no-warnings",
      "--input-type=module",
      "-e",
      `const { NextAuthSocket } = await import("nextauth-ws");
       const RESOLVED = typeof globalThis.WebSocket;
       ${script("")}`,
    ]);

    expect(JSON.parse(stdout)).toEqual({
      resolved: "function",
      events: EXPECTED_EVENTS,
    });
  });

  it("works with import() in Node, through the package exports", async () => {
    const stdout = await run([
      "--input-type=module",
      "-e",
      `import WebSocket from "ws";
       const { NextAuthSocket } = await import("nextauth-ws");
       const RESOLVED = import.meta.resolve("nextauth-ws");
       ${SCRIPT}`,
    ]);

    expect(JSON.parse(stdout)).toEqual({
      resolved: `file://${join(ROOT, "dist", "index.mjs")}`,
      events: EXPECTED_EVENTS,
    });
  });
});
