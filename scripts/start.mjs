// npm start: the demo on the built-in simulator. Builds what is missing,
// then serves, on one port of 127.0.0.1 (PORT, default 8080; 0 for a
// free one), the simulated nextAuth WebSocket, its control API under
// /api/, and the example pages. Ctrl-C stops it.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";
/** The serverId of the demo site, "demo-server" in base64url. */
const DEMO_SERVER_ID = "ZGVtby1zZXJ2ZXI";

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
};

// URL prefix → folder. Only these folders are served, nothing above them.
const STATIC_ROOTS = [
  ["/dist/", path.join(ROOT, "dist")],
  ["/script-tag/", path.join(ROOT, "examples/script-tag")],
  ["/spa/", path.join(ROOT, "examples/spa")],
  ["/phone/", path.join(ROOT, "examples/phone")],
];

const port = readPort(process.env.PORT);
await buildWhatIsMissing();

const simulatorUrl = pathToFileURL(path.join(ROOT, "dist/simulator.mjs"));
const { startSimulator } = await import(simulatorUrl.href);
let simulator;
try {
  simulator = await startSimulator({ port, host: HOST, onRequest: serveDemo });
} catch (error) {
  if (error.code !== "EADDRINUSE") throw error;

  console.error(
    `Port ${port} of ${HOST} is taken: stop what uses it, or choose ` +
      `another port, for example: PORT=${port + 1} npm start`,
  );
  process.exit(1);
}

const base = `http://${HOST}:${simulator.port}`;
console.log(`nextauth-ws demo, on the built-in nextAuth simulator

  Demo, script tag   ${base}/script-tag/
  Demo, SPA          ${base}/spa/
  Phone              ${base}/phone/
  Control API        ${base}/api/sessions
  WebSocket          ${simulator.wsUrl}

Open a demo and the phone side by side. Ctrl-C stops it.`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;

    console.log("\nStopping.");
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

function readPort(text = "8080") {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) {
    console.error(`PORT must be a port number, 0 to 65535, not "${text}"`);
    process.exit(1);
  }
  return value;
}

async function buildWhatIsMissing() {
  const needed = ["nextauth-ws.min.js", "index.mjs", "simulator.mjs"];
  if (needed.some((file) => !existsSync(path.join(ROOT, "dist", file)))) {
    console.log("Building the package (npm run build)…");
    run("npm", ["run", "build"]);
  }

  if (!existsSync(path.join(ROOT, "examples/spa/dist/app.js"))) {
    console.log("Building the SPA example…");
    await buildSpa();
  }
}

/**
 * Builds examples/spa/dist/ from the example's own rollup config. Each
 * file is written under a temporary name, then renamed: two starts at
 * once (parallel tests) never serve a half-written bundle.
 */
async function buildSpa() {
  const { rollup } = await import("rollup");
  const configFile = path.join(ROOT, "examples/spa/rollup.config.mjs");
  const { default: config } = await import(pathToFileURL(configFile).href);
  const bundle = await rollup(config);
  const { output } = await bundle.generate(config.output);
  await bundle.close();

  const folder = path.dirname(config.output.file);
  mkdirSync(folder, { recursive: true });
  for (const item of output) {
    // The code already ends with its sourceMappingURL comment.
    if (item.type === "chunk" && item.map) {
      writeAtomically(path.join(folder, `${item.fileName}.map`), item.map);
    }
    const text = item.type === "chunk" ? item.code : item.source;
    writeAtomically(path.join(folder, item.fileName), text);
  }
}

function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(
    temporary,
    typeof content === "string" || content instanceof Uint8Array
      ? content
      : content.toString(),
  );
  renameSync(temporary, file);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status === 0) return;

  console.error(`${command} ${args.join(" ")} failed; see above.`);
  process.exit(1);
}

/** Everything outside /api/: the pages, the bundles, the demo config. */
function serveDemo(request, response) {
  const { pathname } = new URL(request.url ?? "/", "http://localhost");
  if (request.method !== "GET" && request.method !== "HEAD") {
    send(response, 405, "text/plain; charset=utf-8", "Method not allowed\n");
    return;
  }

  if (pathname === "/") {
    send(response, 200, CONTENT_TYPES[".html"], landingPage());
  } else if (pathname === "/demo-config") {
    const config = { ...newDemoSession(), wsUrl: wsUrlFor(request) };
    send(response, 200, CONTENT_TYPES[".json"], JSON.stringify(config));
  } else if (pathname === "/script-tag/") {
    const session = newDemoSession();
    send(
      response,
      200,
      CONTENT_TYPES[".html"],
      renderLoginPage(
        readFileSync(path.join(ROOT, "examples/script-tag/index.html"), "utf8"),
        { ...session, wsUrl: wsUrlFor(request) },
      ),
      cspFor(request),
    );
  } else {
    serveFile(request, response, pathname);
  }
}

/**
 * A fresh session for one page load, as a site's back end would make:
 * a random hsid, recorded in the simulator as one that saw a login
 * before, so that a push login is possible at once.
 */
function newDemoSession() {
  const hsid = randomBytes(16).toString("base64url");
  simulator.seed(DEMO_SERVER_ID, hsid);
  return { serverId: DEMO_SERVER_ID, hsid, loggedIn: false };
}

function wsUrlFor(request) {
  const host = /^[\w.:[\]-]+$/.test(request.headers.host ?? "")
    ? request.headers.host
    : `${HOST}:${simulator.port}`;
  return `ws://${host}/`;
}

/** Fills the {{name}} slots of a server-rendered page, HTML-escaped. */
function renderLoginPage(template, values) {
  return template.replace(/\{\{(\w+)\}\}/g, (slot, name) =>
    name in values ? escapeHtml(String(values[name])) : slot,
  );
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function serveFile(request, response, pathname) {
  const file = resolveStatic(pathname);
  if (!file) {
    send(response, 404, "text/plain; charset=utf-8", "Not found\n");
    return;
  }

  const type = CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";
  send(response, 200, type, readFileSync(file), cspFor(request));
}

function resolveStatic(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }

  for (const [prefix, folder] of STATIC_ROOTS) {
    if (!decoded.startsWith(prefix)) continue;
    let file = path.join(folder, decoded.slice(prefix.length));
    if (file !== folder && !file.startsWith(folder + path.sep))
      return undefined;
    if (existsSync(file) && statSync(file).isDirectory()) {
      file = path.join(file, "index.html");
    }
    if (existsSync(file) && statSync(file).isFile()) return file;
    return undefined;
  }
  return undefined;
}

/** A strict policy: the pages must work with no inline script or style. */
function cspFor(request) {
  return (
    "default-src 'self'; script-src 'self'; style-src 'self'; " +
    `connect-src 'self' ${wsUrlFor(request)}; img-src 'self' data:; ` +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
  );
}

function send(response, status, type, body, csp) {
  const headers = {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
  if (csp) headers["content-security-policy"] = csp;
  response.writeHead(status, headers);
  response.end(body);
}

function landingPage() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>nextauth-ws demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/phone/style.css">
</head>
<body>
<main>
<h1>nextauth-ws demo</h1>
<p>A login page on the built-in nextAuth simulator. Open a demo and the
phone side by side.</p>
<ul>
<li><a href="/script-tag/">Demo, with the script tag</a></li>
<li><a href="/spa/">Demo, as a single-page app</a></li>
<li><a href="/phone/">The simulated phone</a></li>
<li><a href="/api/sessions">The control API: sessions</a></li>
</ul>
</main>
</body>
</html>
`;
}
