/**
 * The control API: HTTP and JSON under `/api/`, playing the phone.
 * Loopback clients only; a browser page from another origin is refused.
 *
 * @packageDocumentation
 */

/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from "node:http";

import { isValidId } from "../protocol";
import type { SimulatorCore } from "./core";
import { HTTP_STATUS, SimulatorError } from "./errors";
import type { PhoneAction } from "./types";

/** The largest request body the control API reads, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

const PHONE_ACTIONS: ReadonlySet<string> = new Set<PhoneAction>([
  "scan",
  "approve",
  "deny",
  "noaccounts",
  "logout",
]);
const SESSION_ACTIONS = [...PHONE_ACTIONS, "login"].join(", ");

type JsonBody = Record<string, unknown>;

interface Route {
  method: "GET" | "POST";
  answer: (body: JsonBody) => unknown;
}

/** Whether a request is for the control API. */
export function isApiRequest(request: IncomingMessage): boolean {
  const path = (request.url ?? "/").split("?")[0];
  return path === "/api" || path.startsWith("/api/");
}

/** Answers one control API request. Never throws. */
export async function handleApi(
  core: SimulatorCore,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const refusal = checkClient(request);
    if (refusal) {
      sendJson(response, 403, { error: refusal });
      return;
    }

    const route = findRoute(core, request.url ?? "/");
    if (!route) {
      sendJson(response, 404, { error: "no such endpoint; see GET /api" });
      return;
    }
    if (request.method !== route.method) {
      response.setHeader("allow", route.method);
      sendJson(response, 405, { error: `use ${route.method}` });
      return;
    }

    const body = route.method === "POST" ? await readBody(request) : {};
    sendJson(response, 200, route.answer(body));
  } catch (error) {
    if (error instanceof SimulatorError) {
      const status = HTTP_STATUS[error.code];
      sendJson(response, status, { error: error.message, code: error.code });
      return;
    }
    sendJson(response, 500, { error: String(error) });
  }
}

function checkClient(request: IncomingMessage): string | undefined {
  const address = request.socket.remoteAddress ?? "";
  const loopback =
    address === "::1" ||
    address.startsWith("127.") ||
    address.startsWith("::ffff:127.");
  if (!loopback) return "the control API answers loopback clients only";

  // A page of another origin must not approve logins: browsers send
  // Origin on cross-origin requests, curl and Node's fetch do not.
  const { origin, host } = request.headers;
  if (origin === undefined) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (originHost !== host) {
    return "the control API refuses requests from pages of another origin";
  }
  return undefined;
}

function findRoute(core: SimulatorCore, url: string): Route | undefined {
  let path = url.split("?")[0];
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  const parts = path.split("/").slice(2).map(decodeSegment);

  const [collection, serverId, hsid, action] = parts;
  if (parts.length === 0) {
    return { method: "GET", answer: () => describeApi() };
  }
  if (parts.length === 1 && collection === "sessions") {
    return { method: "GET", answer: () => ({ sessions: core.sessions() }) };
  }
  if (parts.length === 1 && collection === "pushes") {
    return { method: "GET", answer: () => ({ pushes: core.pushes() }) };
  }
  if (parts.length === 1 && collection === "stats") {
    return { method: "GET", answer: () => ({ stats: core.stats() }) };
  }
  if (collection !== "sessions" || parts.length < 3 || parts.length > 4) {
    return undefined;
  }

  checkIds(serverId, hsid);
  if (parts.length === 3) {
    return {
      method: "GET",
      answer: () => {
        const session = core.session(serverId, hsid);
        if (session) return { session };

        throw new SimulatorError("unknown-session", "no such session");
      },
    };
  }
  if (action === "login") {
    return {
      method: "POST",
      answer: (body) => ({
        session: core.seed(serverId, hsid, { loggedIn: readLoggedIn(body) }),
      }),
    };
  }
  if (!PHONE_ACTIONS.has(action)) {
    throw new SimulatorError(
      "not-found",
      `no such action; use one of ${SESSION_ACTIONS}`,
    );
  }
  return {
    method: "POST",
    answer: () => core.phone(action as PhoneAction, serverId, hsid),
  };
}

function describeApi(): unknown {
  return {
    endpoints: [
      "GET /api/sessions",
      "GET /api/sessions/:serverId/:hsid",
      "GET /api/pushes",
      "GET /api/stats",
      ...SESSION_ACTIONS.split(", ").map(
        (action) => `POST /api/sessions/:serverId/:hsid/${action}`,
      ),
    ],
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new SimulatorError("bad-request", "the path is not valid UTF-8");
  }
}

function checkIds(serverId: string, hsid: string): void {
  if (isValidId(serverId) && isValidId(hsid)) return;

  throw new SimulatorError(
    "bad-id",
    "serverId and hsid must be 1 to 512 characters from " +
      "A-Z a-z 0-9 - _ + / = (URL-encode / as %2F)",
  );
}

function readLoggedIn(body: JsonBody): boolean | undefined {
  const { loggedIn } = body;
  if (loggedIn === undefined || typeof loggedIn === "boolean") return loggedIn;

  throw new SimulatorError("bad-request", "loggedIn must be true or false");
}

async function readBody(request: IncomingMessage): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: leaving the loop early would
  // destroy the socket before the 413 goes out.
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) {
    throw new SimulatorError(
      "too-large",
      `the body is over ${MAX_BODY_BYTES} bytes`,
    );
  }

  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SimulatorError("bad-request", "the body is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new SimulatorError("bad-request", "the body must be a JSON object");
  }
  return body as JsonBody;
}

/** Writes a JSON answer. @internal */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
): void {
  if (response.headersSent) {
    response.end();
    return;
  }

  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  response.end(text);
}
