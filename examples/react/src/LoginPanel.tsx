import { useState } from "react";
import { ProvokeError } from "nextauth-ws";
import type { NextAuthSocket, SocketState } from "nextauth-ws";

import { useNextAuth } from "./useNextAuth";

const STATE_LABELS: Record<SocketState, string> = {
  connecting: "Connecting…",
  open: "Connected to nextAuth.",
  reconnecting: "Connection lost; reconnecting…",
  closed: "Disconnected.",
};

/** The login panel of one session: its status, push login, logout. */
export function LoginPanel({ socket }: { socket: NextAuthSocket }) {
  const { state, sessions } = useNextAuth(socket);
  const [message, setMessage] = useState("");
  const session = sessions[0];

  async function push(): Promise<void> {
    setMessage("Sending a login request…");
    try {
      await socket.provoke();
      setMessage("Check your phone.");
    } catch (error) {
      const why = error instanceof ProvokeError ? error.code : "error";
      setMessage(`The login request failed (${why}).`);
    }
  }

  function logout(): void {
    setMessage("");
    socket.logout();
  }

  let status = "Checking your session…";
  if (session?.loggedIn === true) status = "You are logged in.";
  if (session?.loggedIn === false) status = "You are logged out.";

  return (
    <main>
      <h1>Example app</h1>
      <p id="state" role="status">
        {STATE_LABELS[state]}
      </p>
      <p id="session" data-logged-in={String(session?.loggedIn)}>
        {status}
      </p>
      {session?.loggedIn ? (
        <button id="logout" type="button" onClick={logout}>
          Log out
        </button>
      ) : (
        <button
          id="push"
          type="button"
          disabled={!session?.canProvoke || state !== "open"}
          onClick={() => void push()}
        >
          Send a login request to my phone
        </button>
      )}
      <p id="message" aria-live="polite">
        {session?.loggedIn ? "" : message}
      </p>
    </main>
  );
}
