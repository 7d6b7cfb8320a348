import { request } from "node:http";

import WebSocket from "ws";

import { MAX_BODY_BYTES, startSimulator } from "../src/simulator/index";
import type { Simulator } from "../src/simulator/index";

const SERVER = "c2VydmVy";
const HSID = "aHNpZA";
const SESSION_PATH = `/api/sessions/${SERVER}/${HSID}`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

let simulator: Simulator;
const pages: WebSocket[] = [];

beforeEach(async () => {
  simulator = await startSimulator({ port: 0 });
});

afterEach(async () => {
  for (const ws of pages.splice(0)) ws.terminate();
  await simulator.close();
});

/** One HTTP request to the simulator; resolves with the parsed JSON. */
function call(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${simulator.url}${path.slice(1)}`,
      { method, headers },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A page that registered the session; records what it receives. */
async function registeredPage(): Promise<string[]> {
  const ws = new WebSocket(simulator.wsUrl);
  pages.push(ws);
  const frames: string[] = [];
  await new Promise<void>((resolve) => {
    ws.on("message", (data) => {
      frames.push(String(data));
      resolve();
    });
    ws.on("open", () => ws.send(`REGISTER ${HSID} ${SERVER}`));
  });
  return frames;
}

describe("GET", () => {
  it("/api lists the endpoints", async () => {
    const answer = await call("GET", "/api");

    expect(answer.status).toBe(200);
    expect(answer.body.endpoints).toContain(
      "POST /api/sessions/:serverId/:hsid/approve",
    );
  });

  it("/api/sessions lists every session with its state", async () => {
    await registeredPage();

    const answer = await call("GET", "/api/sessions");

    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(answer.body).toEqual({
      sessions: [
        {
          serverId: SERVER,
          hsid: HSID,
          loggedIn: false,
          canProvoke: false,
          pendingPush: false,
          pushedAt: null,
          scanned: false,
          sockets: 1,
        },
      ],
    });
  });

  it("/api/sessions/:serverId/:hsid answers one session, or 404", async () => {
    simulator.seed(SERVER, HSID);

    const known = await call("GET", SESSION_PATH);
    const unknown = await call("GET", `/api/sessions/${SERVER}/b3RoZXI`);

    expect(known.body.session).toMatchObject({ hsid: HSID, canProvoke: true });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/no such session/);
  });

  it("/api/pushes lists the pending pushes", async () => {
    simulator.seed(SERVER, HSID);
    const frames = await registeredPage();
    const ws = pages[0];
    ws.send(`PROVOKE ${HSID} ${SERVER}`);
    await waitUntil(() => frames.length === 3);

    const answer = await call("GET", "/api/pushes");

    expect(answer.body).toEqual({
      pushes: [{ serverId: SERVER, hsid: HSID, pushedAt: expect.any(Number) }],
    });
  });

  it("/api/stats answers the counters", async () => {
    await registeredPage();

    const answer = await call("GET", "/api/stats");

    expect(answer.body.stats).toMatchObject({
      sockets: 1,
      sessions: 1,
      framesReceived: 1,
      framesSent: 1,
    });
  });
});

describe("POST a phone action", () => {
  it("scan then approve sends CONFIRMSCAN then LOGIN", async () => {
    const frames = await registeredPage();

    const scan = await call("POST", `${SESSION_PATH}/scan`);
    const approve = await call("POST", `${SESSION_PATH}/approve`);
    await waitUntil(() => frames.length === 3);

    expect(scan.body).toMatchObject({ sent: "CONFIRMSCAN", sockets: 1 });
    expect(approve.body).toMatchObject({
      sent: "LOGIN",
      sockets: 1,
      session: { loggedIn: true, scanned: false },
    });
    expect(frames).toEqual([
      `LOGOUT ${HSID} ${SERVER}`,
      `CONFIRMSCAN ${HSID} ${SERVER}`,
      `LOGIN ${HSID} ${SERVER}`,
    ]);
  });

  it.each([
    ["deny", "CANCEL"],
    ["noaccounts", "NOACCOUNTS"],
  ])("%s after a scan sends %s", async (action, command) => {
    const frames = await registeredPage();
    await call("POST", `${SESSION_PATH}/scan`);

    const answer = await call("POST", `${SESSION_PATH}/${action}`);
    await waitUntil(() => frames.length === 3);

    expect(answer.body).toMatchObject({ sent: command });
    expect(frames[2]).toBe(`${command} ${HSID} ${SERVER}`);
  });

  it("logout sends LOGOUT and keeps canProvoke", async () => {
    simulator.seed(SERVER, HSID, { loggedIn: true });
    const frames = await registeredPage();
    await waitUntil(() => frames.length === 2);

    const answer = await call("POST", `${SESSION_PATH}/logout`);
    await waitUntil(() => frames.length === 3);

    expect(answer.body).toMatchObject({
      sent: "LOGOUT",
      session: { loggedIn: false, canProvoke: true },
    });
    expect(frames[2]).toBe(`LOGOUT ${HSID} ${SERVER}`);
  });

  it("answers 409 to approve with nothing pending", async () => {
    await registeredPage();

    const answer = await call("POST", `${SESSION_PATH}/approve`);

    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: "nothing-to-approve" });
  });
});

describe("POST login", () => {
  it("records a past login, so REGISTER answers CANPROVOKE", async () => {
    const answer = await call("POST", `${SESSION_PATH}/login`);
    const frames = await registeredPage();
    await waitUntil(() => frames.length === 2);

    expect(answer.body.session).toMatchObject({
      canProvoke: true,
      loggedIn: false,
    });
    expect(frames[1]).toBe(`CANPROVOKE ${HSID} ${SERVER}`);
  });

  it("with loggedIn: true logs the session in on its sockets", async () => {
    const frames = await registeredPage();

    await call("POST", `${SESSION_PATH}/login`, '{"loggedIn":true}');
    await waitUntil(() => frames.length === 2);

    expect(frames[1]).toBe(`LOGIN ${HSID} ${SERVER}`);
  });

  it("accepts ids holding / when URL-encoded", async () => {
    const answer = await call(
      "POST",
      "/api/sessions/c2Vy%2Fdg/aHN%2BpZA%3D/login",
    );

    expect(answer.status).toBe(200);
    expect(simulator.session("c2Vy/dg", "aHN+pZA=")).toBeDefined();
  });
});

describe("bad requests", () => {
  it.each([
    ["GET", "/api/nothing", 404],
    ["GET", "/api/sessions/a/b/c/d", 404],
    ["POST", `${SESSION_PATH}/dance`, 404],
    ["POST", `${SESSION_PATH}/scan`, 404],
    ["POST", "/api/sessions", 405],
    ["DELETE", SESSION_PATH, 405],
    ["GET", `${SESSION_PATH}/approve`, 405],
    ["POST", `/api/sessions/${SERVER}/a%20b/login`, 400],
    ["POST", `/api/sessions/${SERVER}/%E0%A4%A/login`, 400],
  ])("%s %s answers %i with a JSON error", async (method, path, status) => {
    const answer = await call(method, path);

    expect(answer.status).toBe(status);
    expect(typeof answer.body.error).toBe("string");
  });

  it("names the allowed method on 405", async () => {
    const answer = await call("PUT", `${SESSION_PATH}/scan`);

    expect(answer.headers.allow).toBe("POST");
  });

  it.each([
    ["not JSON", "{"],
    ["an array", "[]"],
    ["loggedIn not a boolean", '{"loggedIn":"yes"}'],
  ])("answers 400 to a body that is %s", async (_, body) => {
    const answer = await call("POST", `${SESSION_PATH}/login`, body);

    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("bad-request");
  });

  it("answers 413 to a body over MAX_BODY_BYTES", async () => {
    const body = JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES) });

    const answer = await call("POST", `${SESSION_PATH}/login`, body);

    expect(answer.status).toBe(413);
    expect(simulator.sessions()).toEqual([]);
  });

  it("answers 403 to a page of another origin", async () => {
    const answer = await call("POST", `${SESSION_PATH}/login`, undefined, {
      origin: "http://evil.example",
    });

    expect(answer.status).toBe(403);
    expect(simulator.sessions()).toEqual([]);
  });

  it("accepts a page of its own origin", async () => {
    const origin = simulator.url.slice(0, -1);

    const answer = await call("POST", `${SESSION_PATH}/login`, undefined, {
      origin,
    });

    expect(answer.status).toBe(200);
  });
});

describe("outside /api", () => {
  it("describes itself at / and answers 404 elsewhere", async () => {
    const root = await call("GET", "/");
    const other = await call("GET", "/index.html");

    expect(root.body).toMatchObject({ websocket: simulator.wsUrl });
    expect(other.status).toBe(404);
  });

  it("hands other requests to onRequest", async () => {
    const custom = await startSimulator({
      port: 0,
      onRequest: (_, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"page":true}');
      },
    });
    const previous = simulator;
    simulator = custom;

    try {
      expect((await call("GET", "/anything")).body).toEqual({ page: true });
      expect((await call("GET", "/api/sessions")).body).toEqual({
        sessions: [],
      });
    } finally {
      simulator = previous;
      await custom.close();
    }
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
