/**
 * Push logins on their way: each one waits for `CONFIRMPROVOKE`, a
 * timeout, an abort, or the end of the connection it went out on.
 *
 * @packageDocumentation
 */

import { ProvokeError } from "./errors";
import type { ProvokeErrorCode } from "./errors";
import type { CommandEvent } from "./events";

/** The options of one {@link NextAuthSocket.provoke} call. */
export interface ProvokeOptions {
  /**
   * How long to wait for `CONFIRMPROVOKE`, in milliseconds.
   * @default the socket's provokeTimeoutMs (60000)
   */
  timeoutMs?: number;
  /** Aborts the wait; a `PROVOKE` not yet sent is then never sent. */
  signal?: AbortSignal;
}

/** One push login waiting for its confirmation. @internal */
export interface PendingProvoke {
  /** The session's key, see `sessionKey`. */
  readonly key: string;
  /** Whether the `PROVOKE` went out on the current connection. */
  sent: boolean;
}

interface Entry extends PendingProvoke {
  resolve(event: CommandEvent): void;
  reject(error: ProvokeError): void;
  timer: ReturnType<typeof setTimeout>;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * The set of pending push logins. Settling an entry clears its timer and
 * its abort listener, so nothing outlives it.
 *
 * @internal
 */
export class ProvokeTracker {
  private _entries = new Set<Entry>();

  /** How many are waiting. */
  get size(): number {
    return this._entries.size;
  }

  /**
   * Starts waiting for the confirmation of a push to session `key`. The
   * promise is marked handled, so a caller that ignores it never sees an
   * unhandled rejection.
   */
  start(
    key: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): { entry: PendingProvoke; promise: Promise<CommandEvent> } {
    let resolve!: (event: CommandEvent) => void;
    let reject!: (error: ProvokeError) => void;
    const promise = new Promise<CommandEvent>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    promise.catch(() => undefined);

    const entry: Entry = {
      key,
      sent: false,
      resolve,
      reject,
      signal,
      timer: setTimeout(() => this.fail(entry, "timeout"), timeoutMs),
      onAbort: () => this.fail(entry, "aborted"),
    };
    this._entries.add(entry);
    signal?.addEventListener("abort", entry.onAbort, { once: true });

    return { entry, promise };
  }

  /** Whether `entry` still waits. */
  isPending(entry: PendingProvoke): boolean {
    return this._entries.has(entry as Entry);
  }

  /** Resolves every push waiting for session `key`. */
  confirm(key: string, event: CommandEvent): void {
    for (const entry of this._entries) {
      if (entry.key !== key) continue;

      this._settle(entry);
      entry.resolve(event);
    }
  }

  /** Rejects one entry with `code`, if it still waits. */
  fail(entry: PendingProvoke, code: ProvokeErrorCode): void {
    const known = entry as Entry;
    if (!this._entries.has(known)) return;

    this._settle(known);
    known.reject(new ProvokeError(code));
  }

  /**
   * Rejects with `closed` every entry that went out on the connection
   * that just ended, or every entry when `all` is set.
   */
  failClosed(all: boolean): void {
    for (const entry of this._entries) {
      if (all || entry.sent) this.fail(entry, "closed");
    }
  }

  private _settle(entry: Entry): void {
    this._entries.delete(entry);
    clearTimeout(entry.timer);
    entry.signal?.removeEventListener("abort", entry.onAbort);
  }
}
