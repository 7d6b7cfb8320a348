/**
 * Push logins on their way: each one waits for `CONFIRMPROVOKE`, a
 * timeout, an abort, or the end of the connection it went out on.
 *
 * @packageDocumentation
 */

import { ProvokeError } from "./errors";
import type { ProvokeErrorCode } from "./errors";
import type { CommandEvent } from "./events";
import { sessionKey } from "./sessions";

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
  settle(result: CommandEvent | ProvokeError): void;
}

/**
 * The set of pending push logins. Settling an entry clears its timer and
 * its abort listener, so nothing outlives it.
 *
 * @internal
 */
export class ProvokeTracker {
  private _entries = new Set<Entry>();

  /**
   * Starts waiting for the confirmation of a push to session `key`; an
   * already aborted `signal` rejects at once. The promise is marked
   * handled, so a caller that ignores it never sees an unhandled
   * rejection.
   */
  start(
    key: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): { entry: PendingProvoke; promise: Promise<CommandEvent> } {
    let entry!: Entry;
    const promise = new Promise<CommandEvent>((resolve, reject) => {
      const onAbort = (): void => {
        this.fail(entry, "aborted");
      };
      const timer = setTimeout(() => {
        this.fail(entry, "timeout");
      }, timeoutMs);
      entry = {
        key,
        sent: false,
        settle: (result) => {
          this._entries.delete(entry);
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          if (result instanceof ProvokeError) reject(result);
          else resolve(result);
        },
      };
      signal?.addEventListener("abort", onAbort);
    });
    promise.catch(() => undefined);

    this._entries.add(entry);
    if (signal?.aborted) this.fail(entry, "aborted");
    return { entry, promise };
  }

  /** Whether `entry` still waits. */
  isPending(entry: PendingProvoke): boolean {
    return this._entries.has(entry as Entry);
  }

  /** Resolves every push waiting for the session `event` names. */
  confirm(event: CommandEvent): void {
    const key = sessionKey(event.serverId, event.hsid);
    for (const entry of this._entries) {
      if (entry.key === key) entry.settle(event);
    }
  }

  /** Rejects one entry with `code`, if it still waits. */
  fail(entry: PendingProvoke, code: ProvokeErrorCode): void {
    if (this.isPending(entry)) (entry as Entry).settle(new ProvokeError(code));
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
}
