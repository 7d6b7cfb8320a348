/* global document, window, location, nextAuth, NextAuthWS */
// Runs on a page served with a strict Content Security Policy: the old
// usage of the pasted script and the typed API, each through one push
// login, recorded into window.cspResults.
(function () {
  "use strict";

  var serverId = "c2VydmVy";
  var url = "ws://" + location.host + "/ws";
  var results = { legacy: [], typed: [], done: false };
  var status = document.getElementById("status");
  window.cspResults = results;

  function note(list, entry) {
    list.push(entry);
    // textContent, never markup: the page runs under Trusted Types.
    status.textContent = entry;
    results.done = results.legacy.length === 3 && results.typed.length === 2;
  }

  // The old usage: wsreceive replaced, then wsinit and provoke.
  var defaultReceive = nextAuth.wsreceive;
  nextAuth.wsreceive = function (msg, sessiondata) {
    note(results.legacy, msg);
    defaultReceive(msg, sessiondata);
    if (msg.indexOf("CANPROVOKE ") === 0) {
      nextAuth.provoke(serverId, "bGVnYWN5");
    }
  };
  nextAuth.wsinit([[serverId, "bGVnYWN5", false]], url);

  // The typed API, on a socket of its own.
  var socket = new NextAuthWS.NextAuthSocket({
    url: url,
    sessions: { serverId: serverId, hsid: "dHlwZWQ", loggedIn: false },
  });
  socket.addEventListener("canprovoke", function (event) {
    note(results.typed, event.type);
    socket.provoke().then(function (confirmed) {
      note(results.typed, confirmed.raw);
    });
  });
})();
