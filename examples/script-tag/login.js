// The script-tag demo: a server-rendered login page on the NextAuthWS
// global of dist/nextauth-ws.min.js. A real site would reload the page on
// login; this one switches its view, so the demo keeps its socket.
(() => {
  "use strict";

  const { NextAuthSocket, ProvokeError } = window.NextAuthWS;
  const page = document.body.dataset;
  const $ = (id) => document.getElementById(id);

  const socket = new NextAuthSocket({
    url: page.wsUrl,
    sessions: {
      serverId: page.serverId,
      hsid: page.hsid,
      loggedIn: page.loggedIn === "true",
    },
  });
  $("qr-hsid").textContent = page.hsid.slice(0, 8) + "…";

  function say(text) {
    $("message").textContent = text;
  }

  function showLoggedIn(loggedIn) {
    $("logged-in").hidden = !loggedIn;
    $("logged-out").hidden = loggedIn;
    document.body.dataset.view = loggedIn ? "logged-in" : "logged-out";
  }

  function enablePush() {
    $("push").disabled = !socket.sessions[0].canProvoke;
  }

  socket.addEventListener("statechange", (event) => {
    const labels = {
      connecting: "Connecting…",
      open: "Connected to nextAuth.",
      reconnecting: "Connection lost; reconnecting…",
      closed: "Disconnected.",
    };
    $("status").textContent = labels[event.state];
  });
  socket.addEventListener("canprovoke", () => {
    enablePush();
    if (!$("message").textContent) {
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

  $("push").addEventListener("click", () => {
    $("push").disabled = true;
    say("Sending the login request…");
    socket.provoke().catch((error) => {
      const reason = error instanceof ProvokeError ? error.code : "error";
      say(`The phone did not answer (${reason}). Try again.`);
      enablePush();
    });
  });
  $("logout").addEventListener("click", () => socket.logout());

  showLoggedIn(page.loggedIn === "true");
})();
