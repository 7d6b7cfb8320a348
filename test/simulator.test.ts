import fc from "fast-check";
import WebSocket from "ws";

import { NextAuthSocket } from "../src/index";
import type { CommandEvent } from "../src/index";
import {
  SIMULATOR_DEFAULTS,
  SimulatorCore,
  SimulatorError,
  startSimulator,
} from "../src/simulator/index";
import type { Simulator, SimulatorOptions } from "../src/simulator/index";

const SERVER = "c2VydmVy";
const HSID = "aHNpZA";
const OTHER = "b3RoZXI";

/** A raw page socket that records every frame it receives. */
interface Page {
  ws: WebSocket;
  frames: string[];
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once `count` frames have arrived in all. */
  received(count: number): Promise<string[]>;
  /** Sends a REGISTER for a probe session and waits for its answer. */
  sync(): Promise<void>;
}

let simulator: Simulator | undefined;
const pages: WebSocket[] = [];

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  simulator = await startSimulator({ port: 0, ...options });
  return simulator;
}

async function open(target: Simulator): Promise<Page> {
  const ws = new WebSocket(target.wsUrl);
  pages.push(ws);
  const frames: string[] = [];
  let waiters: (() => void)[] = [];
  ws.on("message", (data) => {
    frames.push(String(data));
    const current = waiters;
    waiters = [];
    for (const wake of current) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on("close", (code, reason) => resolve({ code, reason: String(reason) }));
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });

  const received = async (count: number): Promise<string[]> => {
    while (frames.length < count) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    return frames;
  };
  let probes = 0;
  const sync = async (): Promise<void> => {
    probes += 1;
    const probe = `cHJvYmU${probes}`;
    ws.send(`REGISTER ${probe} cHJvYmU`);
    while (!frames.includes(`LOGOUT ${probe} cHJvYmU`))
      await received(frames.length + 1);
    frames.splice(frames.indexOf(`LOGOUT ${probe} cHJvYmU`), 1);
  };
  return { ws, frames, closed, received, sync };
}

afterEach(async () => {
  for (const ws of pages.splice(0)) ws.terminate();
  await simulator?.close();
  simulator = undefined;
});

describe("REGISTER", () => {
  it("answers LOGOUT alone for a session that saw no login", async () => {
    const sim = await start();
    const page = await open(sim);

    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    await page.sync();

    expect(page.frames).toEqual([`LOGOUT ${HSID} ${SERVER}`]);
  });

  it("answers the status then CANPROVOKE after a login", async () => {
    const sim = await start();
    sim.seed(SERVER, HSID);
    sim.seed(SERVER, OTHER, { loggedIn: true });
    const page = await open(sim);

    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    page.ws.send(`REGISTER ${OTHER} ${SERVER}`);
    await page.received(4);

    expect(page.frames).toEqual([
      `LOGOUT ${HSID} ${SERVER}`,
      `CANPROVOKE ${HSID} ${SERVER}`,
      `LOGIN ${OTHER} ${SERVER}`,
      `CANPROVOKE ${OTHER} ${SERVER}`,
    ]);
  });

  it("counts the sockets that watch a session", async () => {
    const sim = await start();
    const first = await open(sim);
    const second = await open(sim);

    first.ws.send(`REGISTER ${HSID} ${SERVER}`);
    first.ws.send(`REGISTER ${HSID} ${SERVER}`);
    second.ws.send(`REGISTER ${HSID} ${SERVER}`);
    await first.received(2);
    await second.received(1);

    expect(sim.session(SERVER, HSID)).toMatchObject({ sockets: 2 });
  });

  it("forgets a session without state once no socket watches it", async () => {
    const sim = await start();
    sim.seed(SERVER, OTHER);
    const page = await open(sim);
    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    page.ws.send(`REGISTER ${OTHER} ${SERVER}`);
    await page.received(3);

    page.ws.close();
    await page.closed;
    await waitUntil(() => sim.stats().sockets === 0);

    expect(sim.sessions().map((s) => s.hsid)).toEqual([OTHER]);
  });
});

describe("PROVOKE", () => {
  it("sends CONFIRMPROVOKE to every socket of the session", async () => {
    const sim = await start();
    sim.seed(SERVER, HSID);
    const [first, second, bystander] = [
      await open(sim),
      await open(sim),
      await open(sim),
    ];
    first.ws.send(`REGISTER ${HSID} ${SERVER}`);
    second.ws.send(`REGISTER ${HSID} ${SERVER}`);
    bystander.ws.send(`REGISTER ${OTHER} ${SERVER}`);
    await Promise.all([first.received(2), second.received(2)]);
    await bystander.received(1);

    first.ws.send(`PROVOKE ${HSID} ${SERVER}`);
    await first.received(3);
    await second.received(3);
    await bystander.sync();

    expect(second.frames.slice(2)).toEqual([
      `CONFIRMPROVOKE ${HSID} ${SERVER}`,
    ]);
    expect(bystander.frames).toEqual([`LOGOUT ${OTHER} ${SERVER}`]);
    expect(sim.pushes()).toEqual([
      { serverId: SERVER, hsid: HSID, pushedAt: expect.any(Number) },
    ]);
  });

  it("is ignored and counted for a session that saw no login", async () => {
    const sim = await start();
    const page = await open(sim);
    page.ws.send(`REGISTER ${HSID} ${SERVER}`);

    page.ws.send(`PROVOKE ${HSID} ${SERVER}`);
    await page.sync();

    expect(page.frames).toEqual([`LOGOUT ${HSID} ${SERVER}`]);
    expect(sim.pushes()).toEqual([]);
    expect(sim.stats().refusedProvokes).toBe(1);
  });
});

describe("phone actions", () => {
  async function pushed(sim: Simulator): Promise<Page> {
    sim.seed(SERVER, HSID);
    const page = await open(sim);
    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    page.ws.send(`PROVOKE ${HSID} ${SERVER}`);
    await page.received(3);
    return page;
  }

  it("approve sends LOGIN and clears the push", async () => {
    const sim = await start();
    const page = await pushed(sim);

    const result = sim.approve(SERVER, HSID);
    await page.received(4);

    expect(page.frames.slice(2)).toEqual([
      `CONFIRMPROVOKE ${HSID} ${SERVER}`,
      `LOGIN ${HSID} ${SERVER}`,
    ]);
    expect(result).toEqual({
      session: expect.objectContaining({ loggedIn: true, pendingPush: false }),
      sent: "LOGIN",
      sockets: 1,
    });
    expect(sim.pushes()).toEqual([]);
  });

  it("deny sends CANCEL and leaves the session logged out", async () => {
    const sim = await start();
    const page = await pushed(sim);

    sim.deny(SERVER, HSID);
    await page.received(4);

    expect(page.frames[3]).toBe(`CANCEL ${HSID} ${SERVER}`);
    expect(sim.session(SERVER, HSID)).toMatchObject({
      loggedIn: false,
      pendingPush: false,
    });
  });

  it("scan sends CONFIRMSCAN, then approve sends LOGIN", async () => {
    const sim = await start();
    const page = await open(sim);
    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    await page.received(1);

    sim.scan(SERVER, HSID);
    expect(sim.session(SERVER, HSID)).toMatchObject({ scanned: true });
    sim.approve(SERVER, HSID);
    await page.received(3);

    expect(page.frames).toEqual([
      `LOGOUT ${HSID} ${SERVER}`,
      `CONFIRMSCAN ${HSID} ${SERVER}`,
      `LOGIN ${HSID} ${SERVER}`,
    ]);
    expect(sim.session(SERVER, HSID)).toMatchObject({
      loggedIn: true,
      canProvoke: true,
      scanned: false,
    });
  });

  it("noaccounts sends NOACCOUNTS", async () => {
    const sim = await start();
    const page = await open(sim);
    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    await page.received(1);

    sim.noAccounts(SERVER, HSID);
    await page.received(2);

    expect(page.frames[1]).toBe(`NOACCOUNTS ${HSID} ${SERVER}`);
  });

  it("throws nothing-to-approve without a push or scan", async () => {
    const sim = await start();
    sim.seed(SERVER, HSID);

    const attempts = [
      () => sim.approve(SERVER, HSID),
      () => sim.deny(SERVER, HSID),
    ];

    for (const attempt of attempts) {
      expect(attempt).toThrow(
        expect.objectContaining({ code: "nothing-to-approve" }),
      );
    }
  });

  it("throws unknown-session for a session nobody registered", async () => {
    const sim = await start();

    expect(() => sim.scan(SERVER, HSID)).toThrow(SimulatorError);
    expect(() => sim.scan(SERVER, HSID)).toThrow(
      expect.objectContaining({ code: "unknown-session" }),
    );
  });
});

describe("LOGOUT from a page", () => {
  it("logs the session out on every socket", async () => {
    const sim = await start();
    sim.seed(SERVER, HSID, { loggedIn: true });
    const first = await open(sim);
    const second = await open(sim);
    first.ws.send(`REGISTER ${HSID} ${SERVER}`);
    second.ws.send(`REGISTER ${HSID} ${SERVER}`);
    await Promise.all([first.received(2), second.received(2)]);

    second.ws.send(`LOGOUT ${HSID} ${SERVER}`);
    await Promise.all([first.received(3), second.received(3)]);

    expect(first.frames[2]).toBe(`LOGOUT ${HSID} ${SERVER}`);
    expect(second.frames[2]).toBe(`LOGOUT ${HSID} ${SERVER}`);
    expect(sim.session(SERVER, HSID)).toMatchObject({
      loggedIn: false,
      canProvoke: true,
    });
  });
});

describe("bad input", () => {
  it("ignores and counts malformed frames and keeps the socket", async () => {
    const sim = await start();
    const page = await open(sim);

    for (const frame of [
      "",
      "hello",
      "REGISTER",
      `REGISTER ${HSID}`,
      `REGISTER a%b ${SERVER}`,
      `register ${HSID} ${SERVER}`,
      "\u0000\u0001",
    ]) {
      page.ws.send(frame);
    }
    page.ws.send(Buffer.from([1, 2, 3]));
    page.ws.send(`HELLO ${HSID} ${SERVER}`);
    page.ws.send("PING");
    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    await page.received(1);

    expect(page.frames).toEqual([`LOGOUT ${HSID} ${SERVER}`]);
    expect(sim.stats()).toMatchObject({
      framesReceived: 11,
      malformedFrames: 8,
      unknownFrames: 1,
      pings: 1,
    });
  });

  it("closes with 1009 on a frame over maxFrameBytes", async () => {
    const sim = await start({ maxFrameBytes: 100 });
    const page = await open(sim);

    page.ws.send(`REGISTER ${"a".repeat(60)} ${"b".repeat(40)}`);

    expect((await page.closed).code).toBe(1009);
    await waitUntil(() => sim.stats().oversizeFrames === 1);
  });

  it("accepts a frame of exactly maxFrameBytes", async () => {
    const sim = await start({ maxFrameBytes: 100 });
    const page = await open(sim);
    const hsid = "a".repeat(100 - `REGISTER  ${SERVER}`.length);

    page.ws.send(`REGISTER ${hsid} ${SERVER}`);

    expect(await page.received(1)).toEqual([`LOGOUT ${hsid} ${SERVER}`]);
  });

  it("closes with 1008 past maxSessionsPerSocket", async () => {
    const sim = await start({ maxSessionsPerSocket: 2 });
    const page = await open(sim);

    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    page.ws.send(`REGISTER ${OTHER} ${SERVER}`);
    page.ws.send(`REGISTER dGhpcmQ ${SERVER}`);

    expect(await page.closed).toEqual({
      code: 1008,
      reason: "too many sessions on one socket",
    });
    expect(page.frames).toHaveLength(3);
  });

  it("closes a socket past maxSockets with 1013", async () => {
    const sim = await start({ maxSockets: 2 });
    const kept = [await open(sim), await open(sim)];

    const refused = await open(sim);

    expect((await refused.closed).code).toBe(1013);
    expect(sim.stats()).toMatchObject({ sockets: 2, refusedSockets: 1 });
    kept[0].ws.send(`REGISTER ${HSID} ${SERVER}`);
    expect(await kept[0].received(1)).toHaveLength(1);
  });

  it("forgets the oldest idle session at maxSessions", async () => {
    const sim = await start({ maxSessions: 2 });
    sim.seed(SERVER, "b2xk");
    sim.seed(SERVER, HSID);

    sim.seed(SERVER, OTHER);

    expect(sim.sessions().map((s) => s.hsid)).toEqual([HSID, OTHER]);
  });

  it("closes with 1013 when every kept session is watched", async () => {
    const sim = await start({ maxSessions: 1 });
    const page = await open(sim);
    page.ws.send(`REGISTER ${HSID} ${SERVER}`);
    await page.received(1);

    page.ws.send(`REGISTER ${OTHER} ${SERVER}`);

    expect((await page.closed).code).toBe(1013);
  });

  it("rejects bad options with a TypeError naming the field", async () => {
    await expect(startSimulator({ maxFrameBytes: 1.5 })).rejects.toThrow(
      /maxFrameBytes/,
    );
    await expect(startSimulator({ port: 70000 })).rejects.toThrow(/port/);
  });
});

describe("close", () => {
  it("closes page sockets with 1001 and frees the port", async () => {
    const sim = await start();
    const page = await open(sim);

    await sim.close();

    expect((await page.closed).code).toBe(1001);
    const again = await startSimulator({ port: sim.port });
    await again.close();
  });
});

describe("with NextAuthSocket", () => {
  it("drives a push login from provoke to login", async () => {
    const sim = await start();
    sim.seed(SERVER, HSID);
    const socket = new NextAuthSocket({
      url: sim.wsUrl,
      WebSocket,
      sessions: { serverId: SERVER, hsid: HSID, loggedIn: false },
      keepAliveMs: 0,
    });
    const events: string[] = [];
    socket.addEventListener("command", (event: CommandEvent) => {
      events.push(`${event.command} ${event.changed}`);
    });
    const loggedIn = new Promise((resolve) => {
      socket.addEventListener("login", resolve);
    });

    try {
      await new Promise((resolve) =>
        socket.addEventListener("canprovoke", resolve),
      );
      await socket.provoke();
      sim.approve(SERVER, HSID);
      await loggedIn;
    } finally {
      socket.close();
    }

    expect(events).toEqual([
      "LOGOUT false",
      "CANPROVOKE false",
      "CONFIRMPROVOKE false",
      "LOGIN true",
    ]);
  });
});

describe("SimulatorCore", () => {
  it("answers through fake connections, with no socket at all", () => {
    const core = new SimulatorCore(SIMULATOR_DEFAULTS);
    const sent: string[] = [];
    const page = { send: (f: string) => sent.push(f), close: jest.fn() };
    core.connect(page);

    core.seed(SERVER, HSID);
    core.receive(page, `REGISTER ${HSID} ${SERVER}`);
    core.receive(page, `PROVOKE ${HSID} ${SERVER}`);
    core.phone("approve", SERVER, HSID);

    expect(sent).toEqual([
      `LOGOUT ${HSID} ${SERVER}`,
      `CANPROVOKE ${HSID} ${SERVER}`,
      `CONFIRMPROVOKE ${HSID} ${SERVER}`,
      `LOGIN ${HSID} ${SERVER}`,
    ]);
  });

  it("never throws on any frame, and counts each one", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc
              .constantFrom("REGISTER", "PROVOKE", "LOGOUT", "PING")
              .chain((type) =>
                fc
                  .tuple(fc.string(), fc.string())
                  .map(([hsid, serverId]) => `${type} ${hsid} ${serverId}`),
              ),
          ),
        ),
        (frames) => {
          const core = new SimulatorCore(SIMULATOR_DEFAULTS);
          const page = { send: jest.fn(), close: jest.fn() };
          core.connect(page);

          for (const frame of frames) core.receive(page, frame);

          expect(core.stats().framesReceived).toBe(frames.length);
        },
      ),
    );
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
