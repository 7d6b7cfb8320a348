// From the browser's `online` event to every session resynced, on real
// time against a real ws server on 127.0.0.1. The library listens to
// `online` on globalThis; Node has no such event, so this bench installs
// an EventTarget there. Each trial: the server dies, the library fails
// its first attempt and waits on its backoff timer (at least
// minDelayMs), the server comes back, and `online` fires at once. The
// snippet, beside it, knows no `online` and waits for its poll.

import {
  emit,
  loadLibrary,
  log,
  makeSessions,
  max,
  median,
  quietSnippet,
  resyncTracker,
  toTriples,
  until,
} from "./lib/common.mjs";
import { countingWebSocket, createRealServer } from "./lib/real-server.mjs";

const TRIALS = Number(process.env.BENCH_ONLINE_TRIALS ?? 20);
const SESSIONS = 100;

const window = new EventTarget();
Object.assign(globalThis, {
  addEventListener: window.addEventListener.bind(window),
  removeEventListener: window.removeEventListener.bind(window),
  dispatchEvent: window.dispatchEvent.bind(window),
});

const { NextAuthSocket } = await loadLibrary();

async function trial() {
  const server = createRealServer();
  await server.start();

  const libraryWs = countingWebSocket();
  const libraryResync = resyncTracker(SESSIONS);
  const socket = new NextAuthSocket({
    url: server.url,
    WebSocket: libraryWs.WebSocket,
    sessions: makeSessions(SESSIONS),
  });
  let waiting = 0;
  socket.addEventListener("command", (event) => {
    libraryResync.frame(event.raw);
  });
  socket.addEventListener("reconnecting", () => {
    waiting += 1;
  });

  const snippetWs = countingWebSocket();
  const snippetResync = resyncTracker(SESSIONS);
  const snippet = quietSnippet(snippetWs.WebSocket, snippetResync.frame);
  snippet.nextAuth.wsinit(toTriples(makeSessions(SESSIONS)), server.url);

  try {
    await until(() => libraryResync.done && snippetResync.done, 20_000);
    await server.stop();
    // The drop, then a failed attempt: the library now waits on a timer.
    await until(() => waiting >= 2, 20_000);
    libraryResync.reset();
    snippetResync.reset();
    await server.start();
    const attemptsBefore = libraryWs.attempts;

    const onlineAt = performance.now();
    globalThis.dispatchEvent(new Event("online"));
    const byOnline = libraryWs.attempts - attemptsBefore;
    await until(() => libraryResync.done && snippetResync.done, 20_000);
    return {
      byOnline,
      resyncMs: [
        libraryResync.doneAt - onlineAt,
        snippetResync.doneAt - onlineAt,
      ],
    };
  } finally {
    socket.close();
    snippet.stop();
    await server.stop();
  }
}

const results = [];
for (let i = 0; i < TRIALS; i += 1) results.push(await trial());
const library = results.map((result) => result.resyncMs[0]);
const snippet = results.map((result) => result.resyncMs[1]);
const reconnectedByOnline = results.every((result) => result.byOnline === 1);
log(`online: library ${JSON.stringify(library.map(Math.round))}`);
log(`online: snippet ${JSON.stringify(snippet.map(Math.round))}`);
log(`online: every trial reconnected on the event: ${reconnectedByOnline}`);

emit([
  {
    measure: `online event → all resynced, real time (median of ${TRIALS})`,
    unit: "ms",
    library: median(library),
    baseline: median(snippet),
    goal: "< 1000 ms",
    met: median(library) < 1000 && reconnectedByOnline,
  },
  {
    measure: `online event → all resynced, real time (max of ${TRIALS})`,
    unit: "ms",
    library: max(library),
    baseline: max(snippet),
    goal: "",
    met: null,
  },
]);
