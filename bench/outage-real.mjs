// A 10 s server outage on real time, against a real ws server on
// 127.0.0.1, with the library (default options) and the snippet
// connected to it side by side. Counted: connection attempts while the
// server is down, and the time from the server's return (listening
// again on the same port) to every session answered again.

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
  sleep,
  toTriples,
  until,
} from "./lib/common.mjs";
import { countingWebSocket, createRealServer } from "./lib/real-server.mjs";

const TRIALS = Number(process.env.BENCH_REAL_TRIALS ?? 3);
const OUTAGE_MS = 10_000;
const SESSIONS = 100;
const WAIT_LIMIT_MS = 20_000;

const { NextAuthSocket, DEFAULTS } = await loadLibrary();

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
  socket.addEventListener("command", (event) => {
    libraryResync.frame(event.raw);
  });

  const snippetWs = countingWebSocket();
  const snippetResync = resyncTracker(SESSIONS);
  const snippet = quietSnippet(snippetWs.WebSocket, snippetResync.frame);
  snippet.nextAuth.wsinit(toTriples(makeSessions(SESSIONS)), server.url);

  try {
    await until(
      () => libraryResync.done && snippetResync.done,
      WAIT_LIMIT_MS,
      2,
    );
    await sleep(500 + Math.random() * 500);

    await server.stop();
    const before = [libraryWs.attempts, snippetWs.attempts];
    await sleep(OUTAGE_MS);
    libraryResync.reset();
    snippetResync.reset();
    await server.start();
    const returnedAt = performance.now();
    const attempts = [
      libraryWs.attempts - before[0],
      snippetWs.attempts - before[1],
    ];

    await until(
      () => libraryResync.done && snippetResync.done,
      WAIT_LIMIT_MS,
      2,
    );
    return {
      attempts,
      resyncMs: [
        libraryResync.doneAt - returnedAt,
        snippetResync.doneAt - returnedAt,
      ],
    };
  } finally {
    socket.close();
    snippet.stop();
    await server.stop();
  }
}

const results = [];
for (let i = 0; i < TRIALS; i += 1) {
  const result = await trial();
  log(`outage-real: trial ${i + 1} ${JSON.stringify(result)}`);
  results.push(result);
}

const pick = (field, index) => results.map((result) => result[field][index]);
const attempts = { library: pick("attempts", 0), snippet: pick("attempts", 1) };
const resync = { library: pick("resyncMs", 0), snippet: pick("resyncMs", 1) };
const capMs = DEFAULTS.reconnect.maxDelayMs;

emit([
  {
    measure: `connection attempts, 10 s outage, real time (mean of ${TRIALS})`,
    unit: "",
    library: mean(attempts.library),
    baseline: mean(attempts.snippet),
    goal: "≤ 2/5 of the snippet's",
    met: mean(attempts.library) <= (mean(attempts.snippet) * 2) / 5,
  },
  {
    measure: `connection attempts, 10 s outage, real time (max of ${TRIALS})`,
    unit: "",
    library: max(attempts.library),
    baseline: max(attempts.snippet),
    goal: "(the tail: the goal is on the mean)",
    met: null,
  },
  {
    measure: `server back → all resynced, real time (median of ${TRIALS})`,
    unit: "ms",
    library: median(resync.library),
    baseline: median(resync.snippet),
    goal: `≤ backoff cap (${capMs} ms)`,
    met: median(resync.library) <= capMs,
  },
  {
    measure: `server back → all resynced, real time (max of ${TRIALS})`,
    unit: "ms",
    library: max(resync.library),
    baseline: max(resync.snippet),
    goal: `≤ backoff cap (${capMs} ms)`,
    met: max(resync.library) <= capMs,
  },
]);
