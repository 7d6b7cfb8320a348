/**
 * The sessions one socket watches, and what it knows of each.
 *
 * @packageDocumentation
 */

import { assertValidId } from "./protocol";

/** A session to watch, as given to the socket. */
export interface SessionInit {
  /** The nextAuth server configuration id. */
  serverId: string;
  /** The session id (nonce, register id). */
  hsid: string;
  /**
   * Whether the page was rendered for a logged-in session; leave it out
   * when unknown.
   */
  loggedIn?: boolean;
}

/** What the socket knows of one session. Frozen; replaced on change. */
export interface SessionSnapshot {
  /** The nextAuth server configuration id. */
  readonly serverId: string;
  /** The session id (nonce, register id). */
  readonly hsid: string;
  /** `true` or `false` once known, `undefined` until then. */
  readonly loggedIn: boolean | undefined;
  /**
   * Whether the server announced `CANPROVOKE`. It stays true: a session
   * that saw a login can always be pushed to again.
   */
  readonly canProvoke: boolean;
}

/** The key of a session in maps; a space can never occur in an id. */
export function sessionKey(serverId: string, hsid: string): string {
  return `${serverId} ${hsid}`;
}

/**
 * Validates a session given by the caller and returns its first snapshot.
 * Throws a `TypeError` naming the field.
 */
export function createSnapshot(input: unknown): SessionSnapshot {
  // Typed callers cannot get this wrong; JavaScript callers can.
  if (typeof input !== "object" || input === null) {
    throw new TypeError("nextauth-ws: session must be an object");
  }

  const init = input as Partial<Record<keyof SessionInit, unknown>>;
  const serverId = assertValidId(init.serverId, "serverId");
  const hsid = assertValidId(init.hsid, "hsid");
  const { loggedIn } = init;
  if (loggedIn !== undefined && typeof loggedIn !== "boolean") {
    throw new TypeError("nextauth-ws: loggedIn must be a boolean");
  }

  return Object.freeze({ serverId, hsid, loggedIn, canProvoke: false });
}

/**
 * The ordered set of sessions. Snapshots and the list keep their identity
 * until something changes, so a UI can compare them by reference. Adding
 * and updating cost the same with ten sessions or ten thousand: the list
 * is rebuilt only when read after a change.
 */
export class SessionRegistry {
  // A Map keeps insertion order, and set() on a present key keeps its
  // place: the order sessions were added is the order REGISTER goes out.
  private _byKey = new Map<string, SessionSnapshot>();
  private _list: readonly SessionSnapshot[] | undefined;

  /** Every session in the order it was added. */
  get list(): readonly SessionSnapshot[] {
    this._list ??= Object.freeze([...this._byKey.values()]);
    return this._list;
  }

  get size(): number {
    return this._byKey.size;
  }

  get(serverId: string, hsid: string): SessionSnapshot | undefined {
    return this._byKey.get(sessionKey(serverId, hsid));
  }

  /** Adds a session; returns false when it was there already. */
  add(snapshot: SessionSnapshot): boolean {
    const key = sessionKey(snapshot.serverId, snapshot.hsid);
    if (this._byKey.has(key)) return false;

    this._byKey.set(key, snapshot);
    this._list = undefined;
    return true;
  }

  /**
   * Replaces the snapshot of an existing session with `changes` applied,
   * and returns the new one (the old one when nothing changed).
   */
  update(
    current: SessionSnapshot,
    changes: Partial<Pick<SessionSnapshot, "loggedIn" | "canProvoke">>,
  ): SessionSnapshot {
    const loggedIn = changes.loggedIn ?? current.loggedIn;
    const canProvoke = changes.canProvoke ?? current.canProvoke;
    if (loggedIn === current.loggedIn && canProvoke === current.canProvoke) {
      return current;
    }

    const next = Object.freeze({ ...current, loggedIn, canProvoke });
    this._byKey.set(sessionKey(current.serverId, current.hsid), next);
    this._list = undefined;
    return next;
  }
}
