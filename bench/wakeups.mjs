// Timer wakeups while open and idle: every timer callback fired, counted
// on a virtual clock over ten simulated minutes with the connection up
// and no traffic, then ten more after close(). The snippet has no
// close(): the page closes its socket (nextAuth.ws.close()), which is
// as close as it gets, and its poll reopens it.

import { installClock } from "./lib/clock.mjs";
import { createFakeServer } from "./lib/fake-server.mjs";
import {
  emit,
  loadLibrary,
  log,
  makeSessions,
  quietSnippet,
  toTriples,
} from "./lib/common.mjs";

const MINUTES = 10;
const URL = "ws://127.0.0.1:9/";

const { NextAuthSocket } = await loadLibrary();

async function idleWakeups(start, stop) {
  const clock = installClock();
  try {
    const server = createFakeServer();
    start(server);
    await clock.advance(1000);

    clock.fired = 0;
    await clock.advance(MINUTES * 60_000);
    const open = clock.fired / MINUTES;

    stop();
    await clock.advance(1000);
    clock.fired = 0;
    await clock.advance(MINUTES * 60_000);
    const closed = clock.fired / MINUTES;
    return { open, closed, pending: clock.pending };
  } finally {
    clock.uninstall();
  }
}

const sessions = makeSessions(1);
let socket;
const library = await idleWakeups(
  (server) => {
    socket = new NextAuthSocket({
      url: URL,
      WebSocket: server.WebSocket,
      sessions,
    });
  },
  () => socket.close(),
);
let nextAuth;
const snippet = await idleWakeups(
  (server) => {
    nextAuth = quietSnippet(server.WebSocket).nextAuth;
    nextAuth.wsinit(toTriples(sessions), URL);
  },
  () => nextAuth.ws.close(),
);
log(`wakeups: library ${JSON.stringify(library)}`);
log(`wakeups: snippet ${JSON.stringify(snippet)}`);

emit([
  {
    measure: "timer wakeups per minute, open and idle",
    unit: "/min",
    library: library.open,
    baseline: snippet.open,
    goal: "≤ 2",
    met: library.open <= 2,
  },
  {
    measure: "timer wakeups per minute after close()",
    unit: "/min",
    library: library.closed,
    baseline: snippet.closed,
    goal: "0, no timer left",
    met: library.closed === 0 && library.pending === 0,
  },
]);
