// A 60 s server outage on fake time. The page is open and idle when the
// server dies: the open connection drops and every new one fails at
// once, for 60 simulated seconds; then the server comes back and
// answers every REGISTER. Counted: WebSocket constructor calls during the
// outage, and the time from the server's return until every session has
// been answered again. The library's delays are random (full jitter), so
// the figures are over many runs.

import { installClock } from "./lib/clock.mjs";
import { createFakeServer } from "./lib/fake-server.mjs";
import {
  emit,
  loadLibrary,
  log,
  makeSessions,
  max,
  mean,
  median,
  quietSnippet,
  resyncTracker,
  toTriples,
} from "./lib/common.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const OUTAGE_MS = 60_000;
const SESSIONS = 10;
const URL = "ws://127.0.0.1:9/";

const { NextAuthSocket, DEFAULTS } = await loadLibrary();

/** One run; `start(server, onframe)` starts a client, returns its stop. */
async function run(start) {
  const clock = installClock();
  try {
    const server = createFakeServer();
    const tracker = resyncTracker(SESSIONS, () => clock.now);
    const stop = start(server, tracker.frame);
    // Open and idle for a while, at a random phase of the snippet's poll.
    await clock.advance(10_000 + Math.random() * 500);

    server.up = false;
    server.drop();
    const before = server.attempts;
    await clock.advance(OUTAGE_MS);
    const attempts = server.attempts - before;

    server.up = true;
    tracker.reset();
    const returnedAt = clock.now;
    await clock.advance(30_000);
    stop();
    const resyncMs = tracker.done ? tracker.doneAt - returnedAt : NaN;
    return { attempts, resyncMs };
  } finally {
    clock.uninstall();
  }
}

function startLibrary(server, onframe) {
  const socket = new NextAuthSocket({
    url: URL,
    WebSocket: server.WebSocket,
    sessions: makeSessions(SESSIONS),
  });
  socket.addEventListener("command", (event) => onframe(event.raw));
  return () => socket.close();
}

function startSnippet(server, onframe) {
  const { nextAuth, stop } = quietSnippet(server.WebSocket, onframe);
  nextAuth.wsinit(toTriples(makeSessions(SESSIONS)), URL);
  return stop;
}

async function many(start) {
  const results = [];
  for (let i = 0; i < RUNS; i += 1) results.push(await run(start));
  return results;
}

const library = await many(startLibrary);
const snippet = await many(startSnippet);
const summary = (results, field) => {
  const values = results.map((result) => result[field]);
  return { mean: mean(values), median: median(values), max: max(values) };
};
const attempts = {
  library: summary(library, "attempts"),
  snippet: summary(snippet, "attempts"),
};
const resync = {
  library: summary(library, "resyncMs"),
  snippet: summary(snippet, "resyncMs"),
};
log(`outage-fake: ${RUNS} runs each`);
log(`outage-fake: attempts ${JSON.stringify(attempts)}`);
log(`outage-fake: resync ${JSON.stringify(resync)}`);

const capMs = DEFAULTS.reconnect.maxDelayMs;
emit([
  {
    measure: `connection attempts, 60 s outage, fake time (mean of ${RUNS})`,
    unit: "",
    library: attempts.library.mean,
    baseline: attempts.snippet.mean,
    goal: "≤ 1/8 of the snippet's",
    met: attempts.library.mean <= attempts.snippet.mean / 8,
  },
  {
    measure: `connection attempts, 60 s outage, fake time (max of ${RUNS})`,
    unit: "",
    library: attempts.library.max,
    baseline: attempts.snippet.max,
    goal: "(the tail: the goal is on the mean)",
    met: null,
  },
  {
    measure: "server back → all resynced, fake time (median)",
    unit: "ms",
    library: resync.library.median,
    baseline: resync.snippet.median,
    goal: `≤ backoff cap (${capMs} ms)`,
    met: resync.library.median <= capMs,
  },
  {
    measure: "server back → all resynced, fake time (max)",
    unit: "ms",
    library: resync.library.max,
    baseline: resync.snippet.max,
    goal: `≤ backoff cap (${capMs} ms)`,
    met: resync.library.max <= capMs,
  },
]);
