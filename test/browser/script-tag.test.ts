/**
 * The script-tag build in Debian's Chromium: a page loads the bundle by a
 * plain `<script src>` and uses the pasted script's `nextAuth` API and the
 * typed API, against a real WebSocket server on 127.0.0.1.
 */
import type {
  Browser,
  BrowserContext,
  ConsoleMessage,
  Page,
} from "playwright-core";

import * as api from "../../src/index";
import type { LegacyNextAuth } from "../../src/legacy";
import { collectPageErrors, launchChromium } from "../helpers/chromium";
import { startTestServer } from "../helpers/server";
import type { TestServer } from "../helpers/server";

/** What the page holds; `seen` is where page code records for the test. */
interface PageWindow {
  nextAuth: LegacyNextAuth;
  NextAuthWS: typeof api;
  seen: unknown[];
  marker?: string;
}

const SERVER = "c2VydmVy";

let browser: Browser;
let server: TestServer;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  server = await startTestServer();
  context = await browser.newContext();
  page = await context.newPage();
  errors = collectPageErrors(page);
});

afterEach(async () => {
  await context?.close();
  await server?.close();
  // Every test: no console error and no page error, whatever it checked.
  expect(errors ?? []).toEqual([]);
});

async function open(name = "script-tag.html"): Promise<void> {
  await page.goto(`${server.origin}/pages/${name}`);
  await page.evaluate(() => {
    (window as unknown as PageWindow).seen = [];
  });
}

/** Waits until the page recorded `count` entries, and returns them all. */
async function seen(count: number): Promise<unknown[]> {
  await page.waitForFunction(
    (n) => (window as unknown as PageWindow).seen.length >= n,
    count,
    { timeout: 5000 },
  );
  return page.evaluate(() => (window as unknown as PageWindow).seen);
}

/** Calls wsinit in the page with a wsreceive that records after itself. */
async function wsinit(
  sessiondata: [string, string, unknown?][],
  options: { recordNavigation?: boolean } = {},
): Promise<void> {
  await page.evaluate(
    ({ sessiondata, url, recordNavigation }) => {
      const { nextAuth, seen } = window as unknown as PageWindow;
      const defaultReceive = nextAuth.wsreceive;
      nextAuth.wsreceive = (msg, data) => {
        defaultReceive(msg, data);
        seen.push(`wsreceive ${msg}`);
      };
      if (recordNavigation) {
        nextAuth.reload = () => seen.push("reload");
        nextAuth.navigate = (to) => seen.push(`navigate ${to}`);
      }
      nextAuth.wsinit(sessiondata as [string, string, boolean][], url);
    },
    {
      sessiondata,
      url: server.wsUrl,
      recordNavigation: options.recordNavigation,
    },
  );
  await server.waitFor(() => server.received.length >= sessiondata.length);
}

function frames(): string[] {
  return server.received.map(
    ({ connection, frame }) => `${connection} ${frame}`,
  );
}

describe("the script-tag globals", () => {
  it.each(["script-tag.html", "readable.html"])(
    "defines NextAuthWS with every export of index.ts (%s)",
    async (name) => {
      await open(name);

      const keys = await page.evaluate(() =>
        Object.keys((window as unknown as PageWindow).NextAuthWS).sort(),
      );
      expect(keys).toEqual(Object.keys(api).sort());
    },
  );

  it("defines nextAuth with the pasted script's functions", async () => {
    await open();

    const members = await page.evaluate(() => {
      const { nextAuth } = window as unknown as PageWindow;
      return Object.keys(nextAuth).map((key) => {
        const value = nextAuth[key as keyof LegacyNextAuth];
        return `${key} ${typeof value}`;
      });
    });
    expect(members.sort()).toEqual([
      "debug boolean",
      "logmsg function",
      "navigate function",
      "provoke function",
      "reload function",
      "socket undefined",
      "wsinit function",
      "wsreceive function",
      "wssend function",
    ]);
  });

  it("leaves a nextAuth the page defined first alone", async () => {
    await open("existing.html");

    const nextAuth = await page.evaluate(
      () => (window as unknown as PageWindow).nextAuth,
    );
    expect(nextAuth).toEqual({ pasted: true });
  });

  it("shadows an element with id nextAuth", async () => {
    await open("element.html");

    const found = await page.evaluate(() => [
      typeof (window as unknown as PageWindow).nextAuth.wsinit,
      document.getElementById("nextAuth")?.textContent,
    ]);
    expect(found).toEqual(["function", "QR code here"]);
  });
});

describe("nextAuth.wsinit", () => {
  it("registers every session and passes every frame on", async () => {
    await open();
    await page.evaluate(() => {
      const { nextAuth, seen } = window as unknown as PageWindow;
      nextAuth.logmsg = (msg) => seen.push(`logmsg ${msg}`);
      nextAuth.wsreceive = (msg, sessiondata) =>
        seen.push(`wsreceive ${msg} ${JSON.stringify(sessiondata)}`);
    });
    await page.evaluate(
      ({ url, serverId }) => {
        (window as unknown as PageWindow).nextAuth.wsinit(
          [
            [serverId, "aaaa", false],
            [serverId, "bbbb", "1"],
          ],
          url,
        );
      },
      { url: server.wsUrl, serverId: SERVER },
    );
    await server.waitFor(() => server.received.length === 2);

    server.send(`CANPROVOKE aaaa ${SERVER}`);
    server.send("hello");
    server.send(`NEWTYPE bbbb ${SERVER}`);

    const data = `[["${SERVER}","aaaa",false],["${SERVER}","bbbb","1"]]`;
    expect(await seen(6)).toEqual([
      `logmsg CANPROVOKE aaaa ${SERVER}`,
      `wsreceive CANPROVOKE aaaa ${SERVER} ${data}`,
      "logmsg hello",
      `wsreceive hello ${data}`,
      `logmsg NEWTYPE bbbb ${SERVER}`,
      `wsreceive NEWTYPE bbbb ${SERVER} ${data}`,
    ]);
    expect(frames()).toEqual([
      `1 REGISTER aaaa ${SERVER}`,
      `1 REGISTER bbbb ${SERVER}`,
    ]);
  });

  it("closes the first socket on a second call", async () => {
    await open();
    await wsinit([[SERVER, "aaaa", false]]);

    await page.evaluate(
      ({ url, serverId }) => {
        const { nextAuth, seen } = window as unknown as PageWindow;
        const first = nextAuth.socket;
        nextAuth.wsinit([[serverId, "bbbb", false]], url);
        seen.push(first?.state, nextAuth.socket === first);
      },
      { url: server.wsUrl, serverId: SERVER },
    );
    await server.waitFor(
      () => server.closed.length === 1 && server.received.length === 2,
    );

    expect(await seen(2)).toEqual(["closed", false]);
    expect(frames()).toEqual([
      `1 REGISTER aaaa ${SERVER}`,
      `2 REGISTER bbbb ${SERVER}`,
    ]);
    expect(server.closed).toEqual([1]);
    expect(server.openCount()).toBe(1);
  });
});

describe("nextAuth.wsreceive", () => {
  it("reloads the page on LOGIN when rendered logged out", async () => {
    await open();
    await page.evaluate(() => {
      (window as unknown as PageWindow).marker = "before reload";
    });
    await wsinit([[SERVER, "aaaa", false]]);

    const reloaded = page.waitForEvent("load");
    server.send(`LOGIN aaaa ${SERVER}`);
    await reloaded;

    const marker = await page.evaluate(
      () => (window as unknown as PageWindow).marker,
    );
    expect(marker).toBeUndefined();
    expect(page.url()).toBe(`${server.origin}/pages/script-tag.html`);
  });

  it("goes to / on LOGOUT when rendered logged in", async () => {
    await open();
    await wsinit([[SERVER, "aaaa", true]]);

    const navigated = page.waitForURL(`${server.origin}/`);
    server.send(`LOGOUT aaaa ${SERVER}`);
    await navigated;

    expect(await page.textContent("p")).toBe("home");
  });

  it("acts only against the rendered status of the named session", async () => {
    await open();
    await wsinit(
      [
        [SERVER, "aaaa", false],
        [SERVER, "bbbb", "true"],
        [SERVER, "cccc", null],
      ],
      { recordNavigation: true },
    );

    server.send(`LOGOUT aaaa ${SERVER}`);
    server.send(`LOGIN bbbb ${SERVER}`);
    server.send(`LOGIN cccc ${SERVER}`);
    server.send(`LOGOUT cccc ${SERVER}`);
    server.send(`LOGOUT bbbb ${SERVER}`);
    server.send(`LOGIN aaaa ${SERVER}`);

    expect(await seen(8)).toEqual([
      `wsreceive LOGOUT aaaa ${SERVER}`,
      `wsreceive LOGIN bbbb ${SERVER}`,
      `wsreceive LOGIN cccc ${SERVER}`,
      `wsreceive LOGOUT cccc ${SERVER}`,
      "navigate /",
      `wsreceive LOGOUT bbbb ${SERVER}`,
      "reload",
      `wsreceive LOGIN aaaa ${SERVER}`,
    ]);
  });

  it("honours a wsreceive replaced after wsinit", async () => {
    await open();
    await wsinit([[SERVER, "aaaa", false]], { recordNavigation: true });

    await page.evaluate(() => {
      const { nextAuth, seen } = window as unknown as PageWindow;
      nextAuth.wsreceive = (msg) => seen.push(`replaced ${msg}`);
    });
    server.send(`LOGIN aaaa ${SERVER}`);

    expect(await seen(1)).toEqual([`replaced LOGIN aaaa ${SERVER}`]);
  });
});

describe("nextAuth.logmsg", () => {
  it("is silent unless nextAuth.debug is true", async () => {
    const logged: string[] = [];
    page.on("console", (message: ConsoleMessage) => {
      logged.push(`${message.type()} ${message.text()}`);
    });
    await open();
    await wsinit([[SERVER, "aaaa", false]], { recordNavigation: true });

    server.send(`CANPROVOKE aaaa ${SERVER}`);
    await seen(1);
    const consoleMessage = page.waitForEvent("console");
    await page.evaluate(() => {
      (window as unknown as PageWindow).nextAuth.debug = true;
    });
    server.send(`CONFIRMSCAN aaaa ${SERVER}`);
    await consoleMessage;

    expect(logged).toEqual([`log CONFIRMSCAN aaaa ${SERVER.slice(0, 4)}…`]);
  });
});

describe("nextAuth.provoke", () => {
  it("sends PROVOKE nonce serverid, resolving on CONFIRMPROVOKE", async () => {
    await open();
    await wsinit([[SERVER, "aaaa", false]]);

    await page.evaluate((serverId) => {
      const { nextAuth, seen } = window as unknown as PageWindow;
      void nextAuth
        .provoke(serverId, "aaaa")
        .then((event) => seen.push(`resolved ${event.raw}`));
    }, SERVER);
    await server.waitForFrame(({ frame }) => frame.startsWith("PROVOKE "));
    server.send(`CONFIRMPROVOKE aaaa ${SERVER}`);

    expect(await seen(2)).toEqual([
      `wsreceive CONFIRMPROVOKE aaaa ${SERVER}`,
      `resolved CONFIRMPROVOKE aaaa ${SERVER}`,
    ]);
    expect(frames()).toEqual([
      `1 REGISTER aaaa ${SERVER}`,
      `1 PROVOKE aaaa ${SERVER}`,
    ]);
  });
});

describe("nextAuth.wssend", () => {
  it("sends the frame as given", async () => {
    await open();
    await wsinit([[SERVER, "aaaa", false]]);

    await page.evaluate(() => {
      (window as unknown as PageWindow).nextAuth.wssend("PING");
    });
    await server.waitFor(() => server.received.length === 2);

    expect(frames()).toEqual([`1 REGISTER aaaa ${SERVER}`, "1 PING"]);
  });
});

describe("nextAuth.socket", () => {
  it("is the NextAuthSocket behind the global, for typed events", async () => {
    await open();
    await wsinit([[SERVER, "aaaa", false]], { recordNavigation: true });

    await page.evaluate(() => {
      const { nextAuth, NextAuthWS, seen } = window as unknown as PageWindow;
      const { socket } = nextAuth;
      seen.push(socket instanceof NextAuthWS.NextAuthSocket);
      socket?.addEventListener("login", (event) => {
        seen.push(`login changed ${event.changed}`);
      });
    });
    server.send(`LOGIN aaaa ${SERVER}`);

    expect(await seen(4)).toEqual([
      true,
      "reload",
      `wsreceive LOGIN aaaa ${SERVER}`,
      "login changed true",
    ]);
  });
});

describe("NextAuthWS.NextAuthSocket in the page", () => {
  it("logs in by push with typed events", async () => {
    await open();

    await page.evaluate(
      ({ url, serverId }) => {
        const { NextAuthWS, seen } = window as unknown as PageWindow;
        const socket = new NextAuthWS.NextAuthSocket({
          url,
          sessions: { serverId, hsid: "aaaa", loggedIn: false },
        });
        socket.addEventListener("statechange", (event) => {
          seen.push(event.state);
        });
        socket.addEventListener("canprovoke", () => {
          void socket.provoke().then(() => seen.push("confirmed"));
        });
        socket.addEventListener("login", (event) => {
          seen.push(`login changed ${event.changed}`);
          socket.close();
        });
      },
      { url: server.wsUrl, serverId: SERVER },
    );
    await server.waitFor(() => server.received.length === 1);
    server.send(`LOGOUT aaaa ${SERVER}`);
    server.send(`CANPROVOKE aaaa ${SERVER}`);
    await server.waitForFrame(({ frame }) => frame.startsWith("PROVOKE "));
    server.send(`CONFIRMPROVOKE aaaa ${SERVER}`);
    server.send(`LOGIN aaaa ${SERVER}`);

    expect(await seen(4)).toEqual([
      "open",
      "confirmed",
      "login changed true",
      "closed",
    ]);
    expect(frames()).toEqual([
      `1 REGISTER aaaa ${SERVER}`,
      `1 PROVOKE aaaa ${SERVER}`,
    ]);
  });
});
