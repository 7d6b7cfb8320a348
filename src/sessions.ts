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

/** Where a session's current snapshot lives; updated in place. */
interface Slot {
  snapshot: SessionSnapshot;
}

/**
 * The ordered set of sessions. Snapshots and the list keep their identity
 * until something changes, so a UI can compare them by reference. A
 * lookup, an add and an update cost the same with ten sessions or ten
 * thousand: the list is rebuilt only when read after a change, and no
 * key string is built per frame.
 */
export class SessionRegistry {
  private _byServer = new Map<string, Map<string, Slot>>();
  // In the order sessions were added: the order REGISTER goes out.
  private _slots: Slot[] = [];
  private _list: readonly SessionSnapshot[] | undefined;

  /** Every session in the order it was added. */
  get list(): readonly SessionSnapshot[] {
    this._list ??= Object.freeze(this._slots.map((slot) => slot.snapshot));
    return this._list;
  }

  /** The snapshot of a session, or `undefined` when not registered. */
  get(serverId: string, hsid: string): SessionSnapshot | undefined {
    return this._byServer.get(serverId)?.get(hsid)?.snapshot;
  }

  /** Adds a session; returns false when it was there already. */
  add(snapshot: SessionSnapshot): boolean {
    const { serverId, hsid } = snapshot;
    let byHsid = this._byServer.get(serverId);
    if (byHsid?.has(hsid)) return false;

    if (!byHsid)
      this._byServer.set(serverId, (byHsid = new Map<string, Slot>()));
    const slot = { snapshot };
    byHsid.set(hsid, slot);
    this._slots.push(slot);
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
    const { serverId, hsid } = current;
    const loggedIn = changes.loggedIn ?? current.loggedIn;
    const canProvoke = changes.canProvoke ?? current.canProvoke;
    const slot = this._byServer.get(serverId)?.get(hsid);
    if (
      !slot ||
      (loggedIn === current.loggedIn && canProvoke === current.canProvoke)
    ) {
      return current;
    }

    slot.snapshot = Object.freeze({ serverId, hsid, loggedIn, canProvoke });
    this._list = undefined;
    return slot.snapshot;
  }
}
