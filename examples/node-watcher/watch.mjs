// Watches many nextAuth sessions on one socket from Node and prints what
// changes, as a site's back end might.
//
//   node examples/node-watcher/watch.mjs
//       starts its own simulator, watches 12 sessions, plays the phone
//       on them through the control API, then stops.
//   node examples/node-watcher/watch.mjs --url ws://127.0.0.1:8080/ \
//       --server-id ZGVtby1zZXJ2ZXI --hsid aHNpZA --hsid b3RoZXI
//       watches sessions of a running server (npm start's) until Ctrl-C.
//
// Run `npm run build` first. In Node 20 the socket needs the ws package.
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";

import WebSocket from "ws";
import { NextAuthSocket } from "nextauth-ws";
import { startSimulator } from "nextauth-ws/simulator";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    "server-id": { type: "string", default: "ZGVtby1zZXJ2ZXI" },
    hsid: { type: "string", multiple: true },
    sessions: { type: "string", default: "12" },
    steps: { type: "string", default: "24" },
  },
});

const started = Date.now();
const short = (id) => `${id.slice(0, 6)}…`;
const log = (text) => {
  const seconds = ((Date.now() - started) / 1000).toFixed(2).padStart(6);
  console.log(`${seconds}s  ${text}`);
};

const serverId = values["server-id"];
const simulator = values.url ? undefined : await startSimulator();
const url = values.url ?? simulator.wsUrl;
const hsids =
  values.hsid ??
  Array.from({ length: Number(values.sessions) }, () =>
    randomBytes(9).toString("base64url"),
  );

const socket = new NextAuthSocket({
  url,
  WebSocket,
  sessions: hsids.map((hsid) => ({ serverId, hsid })),
});

socket.addEventListener("statechange", (event) => {
  log(`socket ${event.previous} → ${event.state}`);
});
socket.addEventListener("command", (event) => {
  const changed = event.changed ? " (changed)" : "";
  log(`${short(event.hsid)}  ${event.command}${changed}`);
});
socket.addEventListener("close", (event) => {
  if (event.code !== 1000) log(`socket closed with code ${event.code}`);
});

if (simulator) {
  await playThePhone();
  summarize();
  socket.close();
  await simulator.close();
} else {
  log(`watching ${hsids.length} session(s) on ${url}; Ctrl-C stops`);
  process.once("SIGINT", () => {
    summarize();
    socket.close();
  });
}

/**
 * Drives the simulator's control API as the phone would: logs some
 * sessions in by scan, then pushes and approves or denies.
 */
async function playThePhone() {
  // Every session's status is known once the server answered REGISTER.
  const known = () => socket.sessions.every((s) => s.loggedIn !== undefined);
  await new Promise((resolve) => {
    socket.addEventListener("command", () => known() && resolve());
  });
  log(`watching ${hsids.length} sessions on one socket`);

  const api = (hsid, action) =>
    fetch(`${simulator.url}api/sessions/${serverId}/${hsid}/${action}`, {
      method: "POST",
    }).then((response) => response.json());

  for (let step = 0; step < Number(values.steps); step += 1) {
    const hsid = hsids[step % hsids.length];
    // The simulator's own view: the socket learns canProvoke only on
    // its next REGISTER, as from the real server.
    const session = simulator.session(serverId, hsid);
    if (session.loggedIn) {
      await api(hsid, "logout");
    } else if (session.canProvoke) {
      await socket.provoke(serverId, hsid);
      await api(hsid, step % 3 === 0 ? "deny" : "approve");
    } else {
      await api(hsid, "scan");
      await api(hsid, "approve");
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function summarize() {
  const loggedIn = socket.sessions.filter((s) => s.loggedIn).length;
  log(`${loggedIn} of ${socket.sessions.length} sessions logged in`);
}
