// The simulated phone: lists the simulator's sessions and pending push
// logins, and acts on them through the control API. Polls twice a second;
// a button press posts at once.
(() => {
  "use strict";

  const POLL_MS = 500;
  const $ = (id) => document.getElementById(id);
  let lastRendered = "";

  const short = (id) => (id.length > 8 ? `${id.slice(0, 8)}…` : id);

  function apiPath(session, action) {
    const ids = [session.serverId, session.hsid].map(encodeURIComponent);
    return `/api/sessions/${ids.join("/")}/${action}`;
  }

  function button(action, label, session) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = action;
    element.dataset.action = action;
    element.dataset.serverId = session.serverId;
    element.dataset.hsid = session.hsid;
    element.textContent = label;
    return element;
  }

  function row(session, text, buttons) {
    const item = document.createElement("li");
    item.dataset.serverId = session.serverId;
    item.dataset.hsid = session.hsid;
    const label = document.createElement("span");
    label.textContent = text;
    item.append(label, ...buttons);
    return item;
  }

  function describe(session) {
    const parts = [session.loggedIn ? "logged in" : "logged out"];
    if (session.scanned) parts.push("scanned");
    if (session.pendingPush) parts.push("push waiting");
    parts.push(`${session.sockets} page(s)`);
    return `${short(session.hsid)}: ${parts.join(", ")}`;
  }

  function sessionButtons(session) {
    if (session.scanned) {
      return [
        button("approve", "Approve", session),
        button("deny", "Deny", session),
      ];
    }
    const buttons = [
      button("scan", "Scan", session),
      button("noaccounts", "No accounts", session),
    ];
    if (session.loggedIn) buttons.push(button("logout", "Log out", session));
    return buttons;
  }

  function render(sessions, pushes) {
    const snapshot = JSON.stringify([sessions, pushes]);
    if (snapshot === lastRendered) return;
    lastRendered = snapshot;

    $("pushes").replaceChildren(
      ...pushes.map((push) =>
        row(push, `Log in to session ${short(push.hsid)}?`, [
          button("approve", "Approve", push),
          button("deny", "Deny", push),
        ]),
      ),
    );
    $("no-pushes").hidden = pushes.length > 0;
    // Only the sessions a page watches: every demo page load makes one.
    const open = sessions.filter((session) => session.sockets > 0);
    $("sessions").replaceChildren(
      ...open.map((session) =>
        row(session, describe(session), sessionButtons(session)),
      ),
    );
    $("no-sessions").hidden = open.length > 0;
  }

  async function getJson(path) {
    const response = await fetch(path, { cache: "no-store" });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error);
    return body;
  }

  async function refresh() {
    try {
      const [{ sessions }, { pushes }] = await Promise.all([
        getJson("/api/sessions"),
        getJson("/api/pushes"),
      ]);
      render(sessions, pushes);
      if ($("phone-status").dataset.kind !== "result") {
        $("phone-status").textContent = "Connected to the simulator.";
      }
    } catch (error) {
      $("phone-status").textContent = `Simulator unreachable: ${error.message}`;
    }
  }

  async function act(target) {
    const { action, serverId, hsid } = target.dataset;
    target.disabled = true;
    const response = await fetch(apiPath({ serverId, hsid }, action), {
      method: "POST",
    });
    const body = await response.json();
    $("phone-status").dataset.kind = "result";
    $("phone-status").textContent = response.ok
      ? `Sent ${body.sent} for ${short(hsid)} to ${body.sockets} page(s).`
      : `Refused: ${body.error}`;
    await refresh();
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-action]");
    if (target)
      act(target).catch((error) => {
        $("phone-status").textContent = `Failed: ${error.message}`;
      });
  });

  refresh();
  setInterval(refresh, POLL_MS);
})();
