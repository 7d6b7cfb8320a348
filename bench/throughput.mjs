// Parse and dispatch throughput: frames per second through one socket's
// message handler, with 1, 100 and 10 000 sessions registered on it.
// The frames are LOGIN and LOGOUT for random registered sessions; the
// library has a listener on `login` and `logout`, the snippet its
// default wsreceive (its console logging off, which favours it).
//
// Seconds are CPU seconds of this process (process.cpuUsage), so that
// other work on a shared machine does not count as ours. A control row
// measures the floor: the frame regex and one Map lookup, nothing else,
// which also slows down with 10 000 keys (cache misses), so "flat" is
// judged against it.

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

function cpuMs(since) {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

/** Frames per CPU second: the median of timed rounds, after warm-up. */
function measure(handler, frames) {
  for (let i = 0; i < 20 * CHUNK; i += 1) handler(frames[i & MASK]);

  const rates = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    let handled = 0;
    const startedAt = process.cpuUsage();
    let elapsedMs = 0;
    while (elapsedMs < ROUND_MS) {
      const end = handled + CHUNK;
      for (let i = handled; i < end; i += 1) handler(frames[i & MASK]);
      handled = end;
      elapsedMs = cpuMs(startedAt);
    }
    rates.push((handled * 1000) / elapsedMs);
  }
  return median(rates);
}

/** The floor: the frame regex and one Map lookup per frame. */
function floorRate(count) {
  const sessions = makeSessions(count);
  const byKey = new Map(
    sessions.map((session) => [`${session.serverId} ${session.hsid}`, 1]),
  );
  const pattern = /^([A-Z]+) ([\w+/=-]+) ([\w+/=-]+)$/;
  let found = 0;
  const rate = measure((event) => {
    const match = pattern.exec(event.data);
    found += byKey.get(`${match[3]} ${match[2]}`);
  }, makeFrames(sessions));
  if (found === 0) throw new Error("bench: the floor found nothing");
  return rate;
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
const snippet = [];
const floor = [];
for (const count of COUNTS) {
  const rate = await libraryRate(count);
  const baseline = await snippetRate(count);
  library.push(rate);
  snippet.push(baseline);
  floor.push(floorRate(count));
  log(`throughput: ${count} sessions: ${rate} vs ${baseline} frames/s`);
  rows.push({
    measure:
      `frames per CPU second, ${count.toLocaleString("en")} ` +
      `session${count === 1 ? "" : "s"} on one socket`,
    unit: "/s",
    library: rate,
    baseline,
    goal: count === 10_000 ? `≥ ${GOAL_FPS.toLocaleString("en")}` : "",
    met: count === 10_000 ? rate >= GOAL_FPS : null,
  });
}
log(`throughput: floor ${JSON.stringify(floor.map(Math.round))}`);

// Flat: the rate at 10 000 sessions, as a share of the rate at 1, no
// lower than the floor's share (less a margin for a noisy machine).
const share = (rates) => rates[rates.length - 1] / rates[0];
rows.push(
  {
    measure: "throughput at 10 000 sessions ÷ at 1 (flatness)",
    unit: "",
    library: share(library),
    baseline: share(snippet),
    ratio: false,
    goal: `flat: ≥ the floor's share below, less 20 %`,
    met: share(library) >= 0.8 * share(floor),
  },
  {
    measure: "floor (regex + one Map lookup): at 10 000 ÷ at 1",
    unit: "",
    library: share(floor),
    baseline: null,
    goal: "",
    met: null,
  },
);
emit(rows);
