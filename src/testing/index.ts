/**
 * `nextauth-ws/testing`: a fake nextAuth server for a site's own tests.
 *
 * It runs in memory on [mock-socket](https://github.com/thoov/mock-socket),
 * which the site installs as a dev dependency. The test plays the server
 * and the phone: the status each `REGISTER` gets, `CANPROVOKE`, the
 * confirmation of a push, approval, denial, logout.
 *
 * @example
 * ```ts
 * import { NextAuthSocket } from "nextauth-ws";
 * import { createFakeNextAuth } from "nextauth-ws/testing";
 *
 * const server = createFakeNextAuth({
 *   sessions: { serverId: "c2VydmVy", hsid: "aHNpZA", canProvoke: true },
 * });
 * const socket = new NextAuthSocket({
 *   url: server.url,
 *   WebSocket: server.WebSocket,
 *   sessions: { serverId: "c2VydmVy", hsid: "aHNpZA", loggedIn: false },
 * });
 * await server.waitForFrame("PROVOKE"); // after the page asks for a push
 * server.confirmProvoke("aHNpZA");
 * server.approve("aHNpZA");
 * await server.close();
 * ```
 *
 * @module nextauth-ws/testing
 */

export { FakeNextAuth, createFakeNextAuth } from "./fake-server";
export type { FakeNextAuthOptions, FakeSession } from "./fake-server";
