// A WebSocket stub and the server behind it, for the fake-time and
// throughput benches. Events go out on microtasks, as a real socket's
// would, to both addEventListener listeners and on<type> properties, so
// the library and the snippet see the same thing.

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/**
 * A server that is up or down. While down, every new connection fails at
 * once (error, then close 1006). While up, it opens and, when `answer` is
 * set, answers every `REGISTER hsid serverId` with `LOGOUT hsid serverId`.
 */
export function createFakeServer({
  up = true,
  answer = true,
  manual = false,
} = {}) {
  const server = {
    up,
    answer,
    /** When true, sockets open only when `accept()` is called on them. */
    manual,
    /** WebSocket constructor calls: connection attempts. */
    attempts: 0,
    /** Sockets that are open now. */
    open: new Set(),
    /** The socket constructed last. */
    last: undefined,
    WebSocket: undefined,

    /** Drops every open connection, as a server that dies would. */
    drop() {
      for (const socket of server.open) socket._fail(1006);
      server.open.clear();
    },
  };

  class FakeWebSocket {
    static CONNECTING = CONNECTING;
    static OPEN = OPEN;
    static CLOSING = 2;
    static CLOSED = CLOSED;

    constructor(url) {
      server.attempts += 1;
      this.url = url;
      this.readyState = CONNECTING;
      this.onopen = null;
      this.onmessage = null;
      this.onerror = null;
      this.onclose = null;
      this.sent = 0;
      this._listeners = new Map();
      server.last = this;
      if (server.manual) return;
      queueMicrotask(() => this.accept());
    }

    /** Opens the socket now (or fails it, while the server is down). */
    accept() {
      if (this.readyState !== CONNECTING) return;
      if (!server.up) {
        this._fail(1006);
        return;
      }

      this.readyState = OPEN;
      server.open.add(this);
      this._emit("open", { type: "open" });
    }

    addEventListener(type, listener) {
      const list = this._listeners.get(type) ?? [];
      list.push(listener);
      this._listeners.set(type, list);
    }

    removeEventListener(type, listener) {
      const list = this._listeners.get(type) ?? [];
      this._listeners.set(
        type,
        list.filter((item) => item !== listener),
      );
    }

    /** The function that handles a message: for the throughput bench. */
    messageHandler() {
      const listeners = this._listeners.get("message") ?? [];
      if (listeners.length === 1 && !this.onmessage) return listeners[0];
      if (listeners.length === 0 && this.onmessage) return this.onmessage;
      return (event) => this._emit("message", event);
    }

    send(data) {
      if (this.readyState !== OPEN) throw new Error("not open");

      this.sent += 1;
      if (!server.answer) return;
      const [type, hsid, serverId] = String(data).split(" ");
      if (type !== "REGISTER") return;
      queueMicrotask(() => {
        if (this.readyState !== OPEN) return;
        const frame = `LOGOUT ${hsid} ${serverId}`;
        this._emit("message", { type: "message", data: frame });
      });
    }

    close(code = 1000, reason = "") {
      if (this.readyState === CLOSED) return;

      this.readyState = CLOSED;
      server.open.delete(this);
      queueMicrotask(() => {
        this._emit("close", { type: "close", code, reason, wasClean: true });
      });
    }

    _fail(code) {
      this.readyState = CLOSED;
      const close = { type: "close", code, reason: "", wasClean: false };
      queueMicrotask(() => {
        this._emit("error", { type: "error" });
        this._emit("close", close);
      });
    }

    _emit(type, event) {
      for (const listener of this._listeners.get(type) ?? []) {
        listener(event);
      }
      const handler = this[`on${type}`];
      if (typeof handler === "function") handler.call(this, event);
    }
  }

  server.WebSocket = FakeWebSocket;
  return server;
}
