// The baseline: a reimplementation, written here, of the browser snippet
// that nextAuth's documentation asks pages to paste, as
// /work/shared/PROTOCOL.md ("The documented browser snippet") describes
// it. Between the BEGIN and END markers is the script a page would
// carry, in its style (ES5, one global object); bench/size.mjs minifies
// that part for the size row.
//
// What it does, point by point:
// - wsinit(sessiondata, host): opens the socket, then checks every
//   500 ms, forever, whether the socket failed (readyState CLOSED), and
//   if so opens a new one;
// - on open, one `REGISTER hsid serverid` per triple;
// - every received frame goes through logmsg (the console) and
//   wsreceive(msg, sessiondata), which finds the frame's triple and
//   reloads on LOGIN when rendered logged out, goes to "/" on LOGOUT
//   when rendered logged in;
// - wssend(msg) and the push login's provoke(serverid, nonce).
//
// The wrapper only lets a bench give each copy its own WebSocket and
// location; timers and the console are the globals, as in a page.

/** A fresh copy of the snippet's `nextAuth` object. */
export function createSnippet({
  WebSocket = globalThis.WebSocket,
  location = globalThis.location,
} = {}) {
  // BEGIN SNIPPET
  var nextAuth = {
    ws: null,
    host: null,
    sessiondata: [],

    wsinit: function (sessiondata, host) {
      nextAuth.sessiondata = sessiondata;
      nextAuth.host = host;
      nextAuth.wsopen();
      setInterval(function () {
        if (nextAuth.ws.readyState === WebSocket.CLOSED) nextAuth.wsopen();
      }, 500);
    },

    wsopen: function () {
      var ws = new WebSocket(nextAuth.host);
      nextAuth.ws = ws;
      ws.onopen = function () {
        for (var i = 0; i < nextAuth.sessiondata.length; i++) {
          var session = nextAuth.sessiondata[i];
          nextAuth.wssend("REGISTER " + session[1] + " " + session[0]);
        }
      };
      ws.onmessage = function (event) {
        nextAuth.logmsg(event.data);
        nextAuth.wsreceive(event.data, nextAuth.sessiondata);
      };
      ws.onerror = function () {
        nextAuth.logmsg("websocket error");
      };
    },

    wssend: function (msg) {
      nextAuth.logmsg(msg);
      nextAuth.ws.send(msg);
    },

    wsreceive: function (msg, sessiondata) {
      var parts = msg.split(" ");
      for (var i = 0; i < sessiondata.length; i++) {
        var session = sessiondata[i];
        if (session[1] !== parts[1] || session[0] !== parts[2]) continue;
        if (parts[0] === "LOGIN" && !session[2]) location.reload();
        if (parts[0] === "LOGOUT" && session[2]) location.href = "/";
        return;
      }
    },

    provoke: function (serverid, nonce) {
      nextAuth.wssend("PROVOKE " + nonce + " " + serverid);
    },

    logmsg: function (msg) {
      console.log(msg);
    },
  };
  // END SNIPPET

  return nextAuth;
}
