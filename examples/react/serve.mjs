// Runs the React example on the nextAuth simulator of this repository:
// the app at /, the simulated phone at /phone/, the WebSocket and the
// control API on the same port of 127.0.0.1 (PORT, default 8090).
//
//   npm run build && npm run build -w examples/react
//   npm start -w examples/react
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const HOST = "127.0.0.1";
/** The serverId of the example site, "react-demo" in base64url. */
const SERVER_ID = "cmVhY3QtZGVtbw";

const FILES = {
  "/": [path.join(HERE, "index.html"), "text/html"],
  "/dist/app.js": [path.join(HERE, "dist/app.js"), "text/javascript"],
  "/dist/app.js.map": [path.join(HERE, "dist/app.js.map"), "application/json"],
  "/phone/": [path.join(ROOT, "examples/phone/index.html"), "text/html"],
  "/phone/phone.js": [
    path.join(ROOT, "examples/phone/phone.js"),
    "text/javascript",
  ],
  "/phone/style.css": [path.join(ROOT, "examples/phone/style.css"), "text/css"],
};

for (const file of [
  path.join(ROOT, "dist/simulator.mjs"),
  path.join(HERE, "dist/app.js"),
]) {
  if (!existsSync(file)) {
    console.error(
      `${path.relative(ROOT, file)} is missing. From the repository root: ` +
        "npm run build && npm run build -w examples/react",
    );
    process.exit(1);
  }
}

const { startSimulator } = await import(
  pathToFileURL(path.join(ROOT, "dist/simulator.mjs")).href
);
const simulator = await startSimulator({
  port: Number(process.env.PORT ?? 8090),
  host: HOST,
  onRequest: serve,
});

console.log(`React example on the nextAuth simulator

  App     http://${HOST}:${simulator.port}/
  Phone   http://${HOST}:${simulator.port}/phone/

Open both side by side. Ctrl-C stops it.`);

process.on("SIGINT", () => {
  simulator.close().then(() => process.exit(0));
});

/** The pages, the bundle, and /demo-config: a fresh session per load. */
function serve(request, response) {
  const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
  if (pathname === "/demo-config") {
    // What a site's back end does: a random hsid for this page load. The
    // simulator records a login in it before, so a push is possible.
    const hsid = randomBytes(16).toString("base64url");
    simulator.seed(SERVER_ID, hsid);
    const config = {
      serverId: SERVER_ID,
      hsid,
      loggedIn: false,
      wsUrl: simulator.wsUrl,
    };
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(config));
    return;
  }

  const file = FILES[pathname];
  if (!file || !existsSync(file[0])) {
    response.statusCode = 404;
    response.end("Not found\n");
    return;
  }

  response.setHeader("content-type", `${file[1]}; charset=utf-8`);
  response.end(readFileSync(file[0]));
}
