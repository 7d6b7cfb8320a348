// Parse and dispatch throughput: frames per second through one socket's
// message handler, with 1, 100 and 10 000 sessions registered on it.
// The frames are LOGIN and LOGOUT for random registered sessions; the
// library has a listener on `login` and `logout`, the snippet its
// default wsreceive (its console logging off, which favours it).

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

const COUNTS = [1, 100, 10_000];
const FRAMES = 1 << 16;
const MASK = FRAMES - 1;
const CHUNK = 1024;
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 700);
const ROUNDS = 5;
const GOAL_FPS = 500_000;
const URL = "ws://127.0.0.1:9/";

const { NextAuthSocket } = await loadLibrary();

/** Distinct frame events for random sessions, built before timing. */
function makeFrames(sessions) {
  const frames = [];
  for (let i = 0; i < FRAMES; i += 1) {
    const { serverId, hsid } =
      sessions[Math.floor(Math.random() * sessions.length)];
    const type = Math.random() < 0.5 ? "LOGIN" : "LOGOUT";
    frames.push({ type: "message", data: `${type} ${hsid} ${serverId}` });
  }
  return frames;
}

/** Frames per second: the median of a few timed rounds, after warm-up. */
function measure(handler, frames) {
  for (let i = 0; i < 20 * CHUNK; i += 1) handler(frames[i & MASK]);

  const rates = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    let handled = 0;
    const startedAt = performance.now();
    let elapsedMs = 0;
    while (elapsedMs < ROUND_MS) {
      const end = handled + CHUNK;
      for (let i = handled; i < end; i += 1) handler(frames[i & MASK]);
      handled = end;
      elapsedMs = performance.now() - startedAt;
    }
    rates.push((handled * 1000) / elapsedMs);
  }
  return median(rates);
}

async function libraryRate(count) {
  const server = createFakeServer({ answer: false });
  const sessions = makeSessions(count);
  const socket = new NextAuthSocket({
    url: URL,
    WebSocket: server.WebSocket,
    sessions,
  });
  let dispatched = 0;
  socket.addEventListener("login", () => {
    dispatched += 1;
  });
  socket.addEventListener("logout", () => {
    dispatched += 1;
  });
  await drain();

  const [ws] = server.open;
  const rate = measure(ws.messageHandler(), makeFrames(sessions));
  socket.close();
  if (dispatched === 0) throw new Error("bench: nothing was dispatched");
  return rate;
}

async function snippetRate(count) {
  const server = createFakeServer({ answer: false });
  const sessions = makeSessions(count);
  const { nextAuth, location, stop } = quietSnippet(server.WebSocket);
  nextAuth.wsinit(toTriples(sessions), URL);
  await drain();

  const [ws] = server.open;
  const rate = measure(ws.messageHandler(), makeFrames(sessions));
  stop();
  if (location.reloads === 0) throw new Error("bench: snippet did nothing");
  return rate;
}

const rows = [];
const library = [];
for (const count of COUNTS) {
  const rate = await libraryRate(count);
  const baseline = await snippetRate(count);
  library.push(rate);
  log(`throughput: ${count} sessions: ${rate} vs ${baseline} frames/s`);
  rows.push({
    measure: `frames/s, ${count.toLocaleString("en")} session(s) on one socket`,
    unit: "/s",
    library: rate,
    baseline,
    goal:
      count === 10_000
        ? `≥ ${GOAL_FPS.toLocaleString("en")}; flat across 1, 100, 10 000`
        : "flat across 1, 100, 10 000",
    met: null,
  });
}

// Flat: the slowest within 25 % of the fastest (the machine is noisy).
const flat = Math.min(...library) >= 0.75 * Math.max(...library);
for (const row of rows) row.met = flat;
rows[rows.length - 1].met = flat && library[library.length - 1] >= GOAL_FPS;
emit(rows);
