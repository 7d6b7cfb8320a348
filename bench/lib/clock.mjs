// A virtual clock for the fake-time benches: it replaces the global timer
// functions and Date.now, so that the library and the snippet (which both
// use the global timers) run minutes of simulated time in milliseconds,
// and it counts every timer callback it fires: each one is a wakeup.

const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  dateNow: Date.now,
};

/** Lets every queued microtask (and what it queues) run. */
export function drain() {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Installs the virtual clock and returns it. Call `uninstall()` after:
 * nothing else in the process should run on fake time.
 */
export function installClock(startMs = 1_700_000_000_000) {
  const timers = new Map();
  let nowMs = startMs;
  let nextId = 1;

  const schedule = (callback, delayMs, args, repeat) => {
    const ms = Math.max(repeat ? 1 : 0, Number(delayMs) || 0);
    const id = nextId++;
    timers.set(id, { id, atMs: nowMs + ms, ms, callback, args, repeat });
    return id;
  };
  const cancel = (id) => {
    timers.delete(id);
  };

  const clock = {
    /** Timer callbacks fired since install (or the last reset). */
    fired: 0,
    get now() {
      return nowMs;
    },
    /** Timers scheduled and not yet fired or cleared. */
    get pending() {
      return timers.size;
    },

    /** Runs every timer due in the next `ms`, in order, then stops. */
    async advance(ms) {
      const targetMs = nowMs + ms;
      await drain();
      for (;;) {
        let next;
        for (const timer of timers.values()) {
          if (timer.atMs > targetMs) continue;
          if (!next || timer.atMs < next.atMs) next = timer;
        }
        if (!next) break;

        nowMs = next.atMs;
        if (next.repeat) next.atMs += next.ms;
        else timers.delete(next.id);
        clock.fired += 1;
        next.callback(...next.args);
        await drain();
      }
      nowMs = targetMs;
    },

    /** Advances until `predicate()` holds, in steps; false on timeout. */
    async advanceUntil(predicate, limitMs, stepMs = 1) {
      const endMs = nowMs + limitMs;
      while (!predicate()) {
        if (nowMs >= endMs) return false;
        await clock.advance(stepMs);
      }
      return true;
    },

    uninstall() {
      Object.assign(globalThis, {
        setTimeout: real.setTimeout,
        clearTimeout: real.clearTimeout,
        setInterval: real.setInterval,
        clearInterval: real.clearInterval,
      });
      Date.now = real.dateNow;
    },
  };

  Object.assign(globalThis, {
    setTimeout: (callback, delayMs, ...args) =>
      schedule(callback, delayMs, args, false),
    clearTimeout: cancel,
    setInterval: (callback, delayMs, ...args) =>
      schedule(callback, delayMs, args, true),
    clearInterval: cancel,
  });
  Date.now = () => nowMs;
  return clock;
}
