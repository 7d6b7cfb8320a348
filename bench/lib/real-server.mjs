// A real nextAuth-like server on 127.0.0.1 (the ws package) that can be
// stopped and started again on the same port, as an outage would. It
// answers every `REGISTER hsid serverId` with `LOGOUT hsid serverId`.

import { createServer } from "node:http";

import { WebSocket, WebSocketServer } from "ws";

export function createRealServer() {
  let port = 0;
  let http;
  let wss;

  const server = {
    get url() {
      return `ws://127.0.0.1:${port}/`;
    },

    async start() {
      http = createServer();
      wss = new WebSocketServer({ server: http });
      wss.on("connection", (socket) => {
        socket.on("message", (data) => {
          const [type, hsid, serverId] = String(data).split(" ");
          if (type === "REGISTER") socket.send(`LOGOUT ${hsid} ${serverId}`);
        });
      });
      await new Promise((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, "127.0.0.1", resolve);
      });
      port = http.address().port;
    },

    /** Kills every connection and stops listening. */
    async stop() {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}

/** The ws WebSocket, counting its constructor calls in `attempts`. */
export function countingWebSocket() {
  const counter = { attempts: 0, WebSocket: undefined };
  counter.WebSocket = class CountingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      counter.attempts += 1;
    }
  };
  return counter;
}
