// Memory per registered session, with `node --expose-gc`: the heap after
// a full collection, with 10 000 sessions registered on an open socket,
// less the heap before. The ids themselves are the caller's and stay
// alive throughout, so they count on neither side: what is measured is
// what the library (or the snippet) keeps per session.

import { drain } from "./lib/clock.mjs";
import { createFakeServer } from "./lib/fake-server.mjs";
import {
  emit,
  loadLibrary,
  log,
  makeSessions,
  median,
  quietSnippet,
  toTriples,
} from "./lib/common.mjs";

const COUNT = 10_000;
const RUNS = 5;
const GOAL_BYTES = 300;
const URL = "ws://127.0.0.1:9/";

if (typeof globalThis.gc !== "function") {
  throw new Error("bench/memory.mjs needs node --expose-gc");
}

const { NextAuthSocket } = await loadLibrary();

function heapUsed() {
  for (let i = 0; i < 4; i += 1) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** Bytes per session held by what `start(sessions)` returns. */
async function perSession(start) {
  const sessions = makeSessions(COUNT);
  await drain();
  const before = heapUsed();

  const held = await start(sessions);
  await drain();
  const after = heapUsed();

  held.stop();
  return (after - before) / COUNT;
}

async function library(sessions) {
  const server = createFakeServer({ answer: false });
  const socket = new NextAuthSocket({
    url: URL,
    WebSocket: server.WebSocket,
    sessions,
  });
  return { stop: () => socket.close() };
}

async function libraryRegistered(sessions) {
  const server = createFakeServer({ answer: false });
  const socket = new NextAuthSocket({ url: URL, WebSocket: server.WebSocket });
  await drain();
  for (const session of sessions) socket.register(session);
  return { stop: () => socket.close() };
}

async function snippet(sessions) {
  const server = createFakeServer({ answer: false });
  const { nextAuth, stop } = quietSnippet(server.WebSocket);
  nextAuth.wsinit(toTriples(sessions), URL);
  return { stop };
}

async function runs(start) {
  const values = [];
  for (let i = 0; i < RUNS; i += 1) values.push(await perSession(start));
  return median(values);
}

const bytes = {
  library: await runs(library),
  registered: await runs(libraryRegistered),
  snippet: await runs(snippet),
};
log(`memory: bytes per session ${JSON.stringify(bytes)}`);

emit([
  {
    measure: "heap per session, 10 000 given to the constructor",
    unit: "B",
    library: bytes.library,
    baseline: bytes.snippet,
    goal: `≤ ${GOAL_BYTES} B`,
    met: bytes.library <= GOAL_BYTES,
  },
  {
    measure: "heap per session, 10 000 added with register()",
    unit: "B",
    library: bytes.registered,
    baseline: bytes.snippet,
    goal: `≤ ${GOAL_BYTES} B`,
    met: bytes.registered <= GOAL_BYTES,
  },
]);
