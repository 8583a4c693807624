/**
 * DocumentPresence: the presence (awareness) states of one loaded document and who owns them.
 *
 * - A connection may set and remove only the client ids it introduced; an entry for an id
 *   another connection owns (or the relay's own) is refused and logged, not applied.
 * - At most `maxClientsPerConnection` ids per connection, each state bounded in bytes and
 *   depth (presence-update.ts); a read-only connection shows `user` only, never a selection.
 * - The states of a connection that closed are removed at once, and their bookkeeping freed.
 *   When that connection had a presence identity (an account, or a secret presence key from
 *   its URL: see presence-identity.ts), its client ids stay reserved to that identity for
 *   `reserveMs`, so nobody else can take one before its owner reconnects; an entry for a
 *   reserved id from another connection is refused and logged like any foreign id.
 * - Changes are batched per document per tick and encoded once for every subscriber.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { AccessLevel } from './hooks.ts';
import {
  readOnlyPresence,
  readPresenceUpdate,
  PresenceViolation,
  type PresenceEntry,
  type PresenceLimits,
} from './presence-update.ts';

/** What presence needs to know about a connection. */
export interface PresencePeer {
  readonly serial: number;
  readonly access: AccessLevel;
  /** Who the connection is, for reserving its client ids after it leaves (null: anonymous). */
  readonly presenceIdentity: string | null;
}

/** Origin of changes applied from another relay process (not owned here, not re-published). */
export const REMOTE_PRESENCE = Symbol('remote presence');

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export class DocumentPresence {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly owners = new Map<number, PresencePeer>();
  private readonly idsOf = new Map<PresencePeer, Set<number>>();
  /** Client ids of departed identities, in expiry order (every entry lives `reserveMs`). */
  private readonly reserved = new Map<number, { identity: string; until: number }>();
  private readonly changed = new Set<number>();
  private flushScheduled = false;
  private destroyed = false;

  constructor(
    doc: Y.Doc,
    private readonly limits: PresenceLimits,
    /** Receives each batch, encoded once (a y-protocols awareness update). */
    private readonly publish: (payload: Uint8Array) => void,
    /** Told when a peer's entry for someone else's client id was refused. */
    private readonly onRefused: (peer: PresencePeer, reason: string) => void,
    /** Told when publishing a batch failed. */
    private readonly onError: (error: unknown) => void,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.onUpdate(change, origin));
  }

  /** Applies a client's awareness update within its limits; throws PresenceViolation past them. */
  apply(peer: PresencePeer, payload: Uint8Array): void {
    const entries = readPresenceUpdate(payload, this.limits);
    let mine = this.idsOf.get(peer);
    const accepted: PresenceEntry[] = [];
    for (const entry of entries) {
      const owner = entry.clientId === this.awareness.clientID ? null : this.owners.get(entry.clientId);
      // Entries for ids this peer may not set are refused; only those that would have changed
      // something are logged. The stock y-websocket provider sends back every change it receives
      // (its awareness handler ignores the origin), at the clock it got: an echo, not an attempt.
      if (entry.clientId === this.awareness.clientID || (owner !== undefined && owner !== peer)) {
        if (this.wouldChange(entry))
          this.onRefused(peer, `presence for client id ${entry.clientId}, which another connection owns, refused`);
        continue;
      }
      if (owner === undefined) {
        if (entry.state === null) continue; // removing a state it never set
        if (!this.mayTake(peer, entry.clientId)) {
          if (this.wouldChange(entry))
            this.onRefused(
              peer,
              `presence for client id ${entry.clientId}, reserved for the connection that left it, refused`,
            );
          continue;
        }
        if (!mine) {
          mine = new Set();
          this.idsOf.set(peer, mine);
        }
        if (mine.size >= this.limits.maxClientsPerConnection) {
          throw new PresenceViolation(
            `more than ${this.limits.maxClientsPerConnection} presence client ids on one connection`,
          );
        }
        mine.add(entry.clientId);
        this.owners.set(entry.clientId, peer);
      }
      accepted.push(peer.access === 'read-only' ? { ...entry, state: readOnlyPresence(entry.state) } : entry);
    }
    if (accepted.length > 0) this.store(accepted);
  }

  /**
   * y-protocols' applyAwarenessUpdate rules (a newer clock wins; a null state at the same clock
   * removes), on the states already parsed and checked: applying the update itself would parse
   * every state a second time and deep-compare it with the previous one, for nothing.
   */
  private store(entries: PresenceEntry[]): void {
    const { states, meta } = this.awareness;
    const lastUpdated = Date.now();
    const change: AwarenessChange = { added: [], updated: [], removed: [] };
    for (const entry of entries) {
      if (!this.wouldChange(entry)) continue;
      const { clientId, clock, state } = entry;
      const known = meta.get(clientId);
      if (state === null) states.delete(clientId);
      else states.set(clientId, state as Record<string, unknown>);
      meta.set(clientId, { clock, lastUpdated });
      if (state === null) {
        this.disown(clientId);
        if (known !== undefined) change.removed.push(clientId);
      } else {
        (known === undefined ? change.added : change.updated).push(clientId);
      }
    }
    this.onUpdate(change, null);
  }

  /** Whether `entry` is newer than what is known of its client id (y-protocols' rule; see `store`). */
  private wouldChange({ clientId, clock, state }: PresenceEntry): boolean {
    const current = this.awareness.meta.get(clientId)?.clock ?? 0;
    return current < clock || (current === clock && state === null && this.awareness.states.has(clientId));
  }

  /** Applies what another relay process accepted (it owns and checked those ids). */
  applyRemote(payload: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, REMOTE_PRESENCE);
  }

  /** Removes every state `peer` introduced (its connection closed); reserves its ids to its identity. */
  release(peer: PresencePeer): void {
    const ids = this.idsOf.get(peer);
    if (!ids) return;
    this.idsOf.delete(peer);
    this.expireReservations();
    for (const id of ids) {
      this.owners.delete(id);
      if (peer.presenceIdentity !== null && this.limits.reserveMs > 0) {
        this.reserved.delete(id); // re-inserted at the end: the map stays in expiry order
        this.reserved.set(id, { identity: peer.presenceIdentity, until: Date.now() + this.limits.reserveMs });
      }
    }
    if (!this.destroyed) awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], peer);
  }

  /** Every current state, for a connection that just joined (null when nobody is present). */
  snapshot(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()];
    return clients.length === 0 ? null : awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients);
  }

  destroy(): void {
    this.destroyed = true;
    this.awareness.destroy();
  }

  /** False when `clientId` is reserved to an identity other than `peer`'s; taking it ends the reservation. */
  private mayTake(peer: PresencePeer, clientId: number): boolean {
    const reservation = this.reserved.get(clientId);
    if (!reservation) return true;
    if (reservation.until <= Date.now()) {
      this.reserved.delete(clientId);
      return true;
    }
    if (reservation.identity !== peer.presenceIdentity) return false;
    this.reserved.delete(clientId);
    return true;
  }

  /** Drops expired reservations (they are in expiry order, so only the front is looked at). */
  private expireReservations(): void {
    const now = Date.now();
    for (const [id, reservation] of this.reserved) {
      if (reservation.until > now) break;
      this.reserved.delete(id);
    }
  }

  private disown(clientId: number): void {
    const owner = this.owners.get(clientId);
    if (!owner) return;
    this.owners.delete(clientId);
    this.idsOf.get(owner)?.delete(clientId);
  }

  private onUpdate(change: AwarenessChange, origin: unknown): void {
    if (origin === REMOTE_PRESENCE) return;
    // States the awareness timed out (no renewal for 30 s) no longer belong to anyone.
    if (origin === 'timeout') for (const id of change.removed) this.disown(id);
    for (const id of change.added) this.changed.add(id);
    for (const id of change.updated) this.changed.add(id);
    for (const id of change.removed) this.changed.add(id);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.destroyed || this.changed.size === 0) return;
    const ids = [...this.changed].filter((id) => this.awareness.meta.has(id));
    this.changed.clear();
    try {
      if (ids.length > 0) this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
    } catch (error) {
      this.onError(error);
    }
    // Forget removed clients entirely, so ids that come and go do not accumulate.
    for (const id of ids) if (!this.awareness.states.has(id) && !this.owners.has(id)) this.awareness.meta.delete(id);
  }
}
