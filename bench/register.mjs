// Time to register 10 000 sessions: from the constructor (or wsinit) to
// every REGISTER handed to the socket, with the socket opening at once;
// and, for the library, register() called 10 000 times on an open
// socket. The median of a few runs, each with fresh ids, in CPU
// milliseconds of this process (the machine may be shared).

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
const RUNS = 7;
const URL = "ws://127.0.0.1:9/";

const { NextAuthSocket } = await loadLibrary();

function cpuMs(since) {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

function check(ws) {
  if (ws.sent !== COUNT) throw new Error(`bench: sent ${ws.sent}`);
}

function libraryAtOpen() {
  const server = createFakeServer({ answer: false, manual: true });
  const sessions = makeSessions(COUNT);

  const startedAt = process.cpuUsage();
  const socket = new NextAuthSocket({
    url: URL,
    WebSocket: server.WebSocket,
    sessions,
  });
  server.last.accept();
  const elapsedMs = cpuMs(startedAt);

  check(server.last);
  socket.close();
  return elapsedMs;
}

function libraryOneByOne() {
  const server = createFakeServer({ answer: false, manual: true });
  const sessions = makeSessions(COUNT);
  const socket = new NextAuthSocket({ url: URL, WebSocket: server.WebSocket });
  server.last.accept();

  const startedAt = process.cpuUsage();
  for (const session of sessions) socket.register(session);
  const elapsedMs = cpuMs(startedAt);

  check(server.last);
  socket.close();
  return elapsedMs;
}

function snippetAtOpen() {
  const server = createFakeServer({ answer: false, manual: true });
  const triples = toTriples(makeSessions(COUNT));
  const { nextAuth, stop } = quietSnippet(server.WebSocket);

  const startedAt = process.cpuUsage();
  nextAuth.wsinit(triples, URL);
  server.last.accept();
  const elapsedMs = cpuMs(startedAt);

  check(server.last);
  stop();
  return elapsedMs;
}

function runs(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i += 1) times.push(fn());
  return median(times);
}

const atOpen = { library: runs(libraryAtOpen), snippet: runs(snippetAtOpen) };
const oneByOne = runs(libraryOneByOne);
log(`register: at open ${JSON.stringify(atOpen)}; one by one ${oneByOne}`);

emit([
  {
    measure: "register 10 000 sessions: constructor/wsinit + open (CPU)",
    unit: "ms",
    library: atOpen.library,
    baseline: atOpen.snippet,
    goal: "",
    met: null,
  },
  {
    measure: "register 10 000 sessions: register() × 10 000, open (CPU)",
    unit: "ms",
    library: oneByOne,
    baseline: null,
    goal: "",
    met: null,
  },
]);
