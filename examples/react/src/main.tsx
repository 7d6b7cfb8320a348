// The React example: the app asks its back end for the session (here
// /demo-config, as `npm start` and the tests serve it), opens one socket
// outside React, and renders the panel, which follows the socket through
// useSyncExternalStore.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { NextAuthSocket } from "nextauth-ws";

import { LoginPanel } from "./LoginPanel";

interface DemoConfig {
  serverId: string;
  hsid: string;
  loggedIn?: boolean;
  wsUrl: string;
}

async function start(): Promise<void> {
  const response = await fetch("/demo-config");
  if (!response.ok) throw new Error(`/demo-config: ${response.status}`);
  const config = (await response.json()) as DemoConfig;

  // One socket for the page's life, made outside React so that
  // StrictMode's double renders and effects never open a second one.
  const socket = new NextAuthSocket({
    url: config.wsUrl,
    sessions: {
      serverId: config.serverId,
      hsid: config.hsid,
      loggedIn: config.loggedIn,
    },
  });
  addEventListener("pagehide", () => socket.close());

  const root = document.getElementById("root");
  if (!root) throw new Error("the page has no #root");
  createRoot(root).render(
    <StrictMode>
      <LoginPanel socket={socket} />
    </StrictMode>,
  );
}

void start();
