import { useSyncExternalStore } from "react";
import type { NextAuthSocket, SocketSnapshot } from "nextauth-ws";

/**
 * The socket's state and sessions, re-rendering on every change.
 * `subscribe` and `getSnapshot` are the pair `useSyncExternalStore`
 * takes, and may be passed unbound; the snapshot keeps its identity until
 * something changes, so React renders only then.
 */
export function useNextAuth(socket: NextAuthSocket): SocketSnapshot {
  return useSyncExternalStore(socket.subscribe, socket.getSnapshot);
}
