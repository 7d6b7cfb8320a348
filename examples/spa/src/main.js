// The SPA demo: the same login page as the script-tag one, built from
// `import { NextAuthSocket } from "nextauth-ws"`. The app asks its back
// end for the session (here /demo-config of `npm start`), then renders.
import { NextAuthSocket, ProvokeError } from "nextauth-ws";

const STATE_LABELS = {
  connecting: "Connecting…",
  open: "Connected to nextAuth.",
  reconnecting: "Connection lost; reconnecting…",
  closed: "Disconnected.",
};

/** Creates an element with properties and children. */
function h(tag, props = {}, ...children) {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children);
  return element;
}

function renderApp(root, config) {
  const status = h("p", { id: "status", className: "status" }, "Connecting…");
  const message = h("p", { id: "message", className: "message" });
  const push = h(
    "button",
    { id: "push", type: "button", disabled: true },
    "Send a login request to my phone",
  );
  const logout = h("button", { id: "logout", type: "button" }, "Log out");
  const loggedOut = h(
    "section",
    { id: "logged-out" },
    h("h2", {}, "Log in with your phone"),
    h(
      "div",
      { className: "qr" },
      h("span", {}, "QR code for session"),
      h("code", { id: "qr-hsid" }, `${config.hsid.slice(0, 8)}…`),
      h("small", {}, "Scan it from the phone page."),
    ),
    push,
  );
  const loggedIn = h(
    "section",
    { id: "logged-in", hidden: true },
    h("h2", {}, "Welcome back"),
    h("p", {}, "You are logged in."),
    logout,
  );
  root.replaceChildren(
    h("h1", {}, "Example app"),
    status,
    loggedOut,
    loggedIn,
    message,
  );
  message.setAttribute("aria-live", "polite");
  status.setAttribute("role", "status");
  document.body.dataset.hsid = config.hsid;
  document.body.dataset.serverId = config.serverId;

  return { status, message, push, logout, loggedOut, loggedIn };
}

function connect(view, config) {
  const socket = new NextAuthSocket({
    url: config.wsUrl,
    sessions: {
      serverId: config.serverId,
      hsid: config.hsid,
      loggedIn: config.loggedIn,
    },
  });
  const say = (text) => {
    view.message.textContent = text;
  };
  const enablePush = () => {
    view.push.disabled = !socket.sessions[0].canProvoke;
  };
  const showLoggedIn = (loggedIn) => {
    view.loggedIn.hidden = !loggedIn;
    view.loggedOut.hidden = loggedIn;
    document.body.dataset.view = loggedIn ? "logged-in" : "logged-out";
  };

  socket.addEventListener("statechange", (event) => {
    view.status.textContent = STATE_LABELS[event.state];
  });
  socket.addEventListener("canprovoke", () => {
    enablePush();
    if (!view.message.textContent) {
      say("Your phone can receive a login request.");
    }
  });
  socket.addEventListener("confirmprovoke", () => {
    say("Check your phone: approve the login request there.");
  });
  socket.addEventListener("confirmscan", () => {
    say("QR code scanned: confirm the login on your phone.");
  });
  socket.addEventListener("cancel", () => {
    say("Cancelled on the phone.");
    enablePush();
  });
  socket.addEventListener("noaccounts", () => {
    say("Your phone holds no account for this site.");
  });
  socket.addEventListener("login", () => {
    say("");
    showLoggedIn(true);
  });
  socket.addEventListener("logout", (event) => {
    showLoggedIn(false);
    enablePush();
    if (event.changed) say("You are logged out.");
  });

  view.push.addEventListener("click", async () => {
    view.push.disabled = true;
    say("Sending the login request…");
    try {
      await socket.provoke();
    } catch (error) {
      const reason = error instanceof ProvokeError ? error.code : "error";
      say(`The phone did not answer (${reason}). Try again.`);
      enablePush();
    }
  });
  view.logout.addEventListener("click", () => socket.logout());

  showLoggedIn(config.loggedIn === true);
  return socket;
}

async function main() {
  const root = document.getElementById("app");
  const response = await fetch("/demo-config");
  if (!response.ok) throw new Error(`/demo-config: ${response.status}`);
  const config = await response.json();

  connect(renderApp(root, config), config);
}

main().catch((error) => {
  document.getElementById("status").textContent =
    `Could not start: ${error.message}`;
});
