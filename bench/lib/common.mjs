// What every bench shares: ids, the two clients side by side, statistics
// and the way a bench hands its rows to bench/run.mjs.

import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { createSnippet } from "../snippet.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DIST = new URL("../../dist/index.mjs", import.meta.url);

/**
 * The library, from dist (bench/run.mjs builds it first), or from the
 * file BENCH_LIBRARY names, to compare a candidate change.
 */
export async function loadLibrary() {
  const override = process.env.BENCH_LIBRARY;
  if (override) return import(pathToFileURL(resolve(override)).href);

  if (!existsSync(DIST)) {
    throw new Error("dist/index.mjs is missing: run npm run build first");
  }
  return import(DIST.href);
}

/** A random id of 128 bits in base64url, as the protocol asks for. */
export function randomId() {
  return randomBytes(16).toString("base64url");
}

/** One site (serverId) with `count` sessions, as the page renders them. */
export function makeSessions(count) {
  const serverId = randomId();
  const sessions = [];
  for (let i = 0; i < count; i += 1) {
    sessions.push({ serverId, hsid: randomId(), loggedIn: false });
  }
  return sessions;
}

/** The snippet's sessiondata: `[serverid, hsid, loggedin]` triples. */
export function toTriples(sessions) {
  return sessions.map((s) => [s.serverId, s.hsid, s.loggedIn]);
}

/** A `location` stand-in: the snippet reloads and navigates through it. */
export function fakeLocation() {
  return {
    reloads: 0,
    navigations: 0,
    reload() {
      this.reloads += 1;
    },
    set href(_value) {
      this.navigations += 1;
    },
  };
}

/**
 * The snippet, silent (its logmsg writes every frame to the console,
 * which the benches skip: that only favours the snippet), on the given
 * WebSocket. `onframe(msg)` sees every frame it handles. The snippet
 * cannot be stopped; `stop()` clears its poll and closes its socket so
 * that a bench can end.
 */
export function quietSnippet(WebSocket, onframe) {
  const location = fakeLocation();
  const nextAuth = createSnippet({ WebSocket, location });
  let intervalId;
  nextAuth.logmsg = () => {};
  if (onframe) {
    const wsreceive = nextAuth.wsreceive;
    nextAuth.wsreceive = (msg, sessiondata) => {
      onframe(msg);
      wsreceive(msg, sessiondata);
    };
  }
  const wsinit = nextAuth.wsinit;
  nextAuth.wsinit = (sessiondata, host) => {
    const setInterval = globalThis.setInterval;
    globalThis.setInterval = (...args) => (intervalId = setInterval(...args));
    try {
      wsinit(sessiondata, host);
    } finally {
      globalThis.setInterval = setInterval;
    }
  };

  const stop = () => {
    globalThis.clearInterval(intervalId);
    nextAuth.ws?.close();
  };
  return { nextAuth, location, stop };
}

/**
 * Tracks which sessions have been answered since `reset()`: resynced
 * once every one of them has. `doneAt` is `now()` at that frame.
 */
export function resyncTracker(count, now = () => performance.now()) {
  const seen = new Set();
  const tracker = {
    doneAt: undefined,
    frame(msg) {
      seen.add(String(msg).split(" ")[1]);
      if (tracker.doneAt === undefined && seen.size >= count) {
        tracker.doneAt = now();
      }
    },
    reset() {
      seen.clear();
      tracker.doneAt = undefined;
    },
    get done() {
      return tracker.doneAt !== undefined;
    },
  };
  return tracker;
}

export function mean(values) {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function max(values) {
  return Math.max(...values);
}

/** Human progress goes to stderr; stdout carries the rows. */
export function log(message) {
  process.stderr.write(`${message}\n`);
}

/**
 * Hands the rows to bench/run.mjs: one JSON line on stdout. A row is
 * `{ measure, unit, library, baseline, goal, met }`, numbers raw; with
 * `ratio: false` the table leaves out library ÷ baseline.
 */
export function emit(rows) {
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
}

/** Waits `ms` of real time. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `predicate` every `pollMs` until it holds; throws after `limitMs`. */
export async function until(predicate, limitMs, pollMs = 1) {
  const endAt = performance.now() + limitMs;
  while (!predicate()) {
    if (performance.now() > endAt) throw new Error("bench: timed out");
    await sleep(pollMs);
  }
}
