/**
 * The `nextauth-ws-simulator` command, `npm start` (scripts/start.mjs) and
 * the Node watcher example, run as a person would. They need dist/ built
 * (`npm test` builds first).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { Server } from "node:net";
import path from "node:path";

import { parseCliArgs } from "../src/simulator/cli";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "dist/simulator-cli.cjs");
const START = path.join(ROOT, "scripts/start.mjs");
const WATCHER = path.join(ROOT, "examples/node-watcher/watch.mjs");

interface Run {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in stdout + stderr. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
let blocker: Server | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  await new Promise((resolve) =>
    blocker ? blocker.close(resolve) : resolve(0),
  );
  blocker = undefined;
});

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  children.push(child);
  let output = "";
  let wake: () => void = () => undefined;
  const append = (chunk: Buffer): void => {
    output += String(chunk);
    wake();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      wake();
      resolve(code);
    });
  });

  const waitFor = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const match = output.match(pattern);
      if (match) return match;
      if (child.exitCode !== null) {
        throw new Error(`exited before ${pattern}:\n${output}`);
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  return { child, output: () => output, waitFor, exited };
}

async function takePort(): Promise<number> {
  blocker = createServer();
  await new Promise<void>((resolve) =>
    blocker?.listen(0, "127.0.0.1", resolve),
  );
  const address = blocker.address();
  if (address === null || typeof address === "string") throw new Error();
  return address.port;
}

describe("parseCliArgs", () => {
  it("defaults to port 8081", () => {
    expect(parseCliArgs([])).toEqual({ port: 8081 });
  });

  it("reads every option", () => {
    const args = [
      "--port=0",
      "--host",
      "::1",
      "--max-frame-bytes",
      "1024",
      "--max-sessions-per-socket=5",
      "--max-sockets=7",
      "--max-sessions=9",
    ];

    expect(parseCliArgs(args)).toEqual({
      port: 0,
      host: "::1",
      maxFrameBytes: 1024,
      maxSessionsPerSocket: 5,
      maxSockets: 7,
      maxSessions: 9,
    });
  });

  it.each([[["--port", "eighty"]], [["--port", "-1"]], [["--nope"]]])(
    "throws on %j",
    (args) => {
      expect(() => parseCliArgs(args)).toThrow();
    },
  );

  it("answers help for -h", () => {
    expect(parseCliArgs(["-h"])).toBe("help");
  });
});

describe("nextauth-ws-simulator", () => {
  it("serves until SIGTERM, then exits with 0", async () => {
    const cli = run([CLI, "--port", "0"]);
    const [, base] = await cli.waitFor(
      /control API +(http:\S+\/)api\/sessions/,
    );

    const answer = await fetch(`${base}api/sessions`);
    cli.child.kill("SIGTERM");

    expect(await answer.json()).toEqual({ sessions: [] });
    expect(await cli.exited).toBe(0);
  });

  it("exits with 1 and says so when the port is taken", async () => {
    const port = await takePort();

    const cli = run([CLI, "--port", String(port)]);

    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain(`127.0.0.1:${port} is taken`);
  });
});

describe("npm start", () => {
  it("serves the pages, a fresh session per load, and stops on SIGINT", async () => {
    const start = run([START], { PORT: "0" });
    const [, base] = await start.waitFor(/Phone +(http:\S+)\/phone\//);

    const page = await fetch(`${base}/script-tag/`);
    const html = await page.text();
    const configs = await Promise.all(
      [1, 2].map(async () => (await fetch(`${base}/demo-config`)).json()),
    );
    const phone = await fetch(`${base}/phone/`);
    const spa = await fetch(`${base}/spa/dist/app.js`);
    const bundle = await fetch(`${base}/dist/nextauth-ws.min.js`);
    const escape = await fetch(`${base}/dist/%2e%2e/package.json`);
    start.child.kill("SIGINT");

    expect(page.headers.get("content-security-policy")).toContain(
      "script-src 'self'",
    );
    expect(html).toMatch(/data-hsid="[\w-]{22}"/);
    expect(html).not.toContain("{{");
    expect(configs[0].hsid).not.toBe(configs[1].hsid);
    expect(configs[0]).toMatchObject({
      serverId: "ZGVtby1zZXJ2ZXI",
      loggedIn: false,
      wsUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/$/),
    });
    expect([phone.status, spa.status, bundle.status]).toEqual([200, 200, 200]);
    expect(escape.status).toBe(404);
    expect(await start.exited).toBe(0);
  });

  it("exits with 1 and a clear message when PORT is taken", async () => {
    const port = await takePort();

    const start = run([START], { PORT: String(port) });

    expect(await start.exited).toBe(1);
    expect(start.output()).toContain(`Port ${port} of 127.0.0.1 is taken`);
    expect(start.output()).toContain(`PORT=${port + 1} npm start`);
  });
});

describe("examples/node-watcher", () => {
  it("prints the changes of every session it watches", async () => {
    const watcher = run([WATCHER, "--sessions", "2", "--steps", "6"]);

    expect(await watcher.exited).toBe(0);
    const lines = watcher
      .output()
      .split("\n")
      .map((line) => line.replace(/^ *[\d.]+s {2}/, ""))
      .filter((line) => line !== "");
    const hsids = [...new Set(lines.map((l) => l.split(" ")[0]))].filter(
      (word) => word.endsWith("…"),
    );
    expect(hsids).toHaveLength(2);
    const [first] = hsids;
    expect(lines.filter((line) => line.startsWith(first))).toEqual([
      `${first}  LOGOUT`,
      `${first}  CONFIRMSCAN`,
      `${first}  LOGIN (changed)`,
      `${first}  LOGOUT (changed)`,
      `${first}  CONFIRMPROVOKE`,
      `${first}  LOGIN (changed)`,
    ]);
    expect(lines.at(-2)).toBe("2 of 2 sessions logged in");
  });
});
