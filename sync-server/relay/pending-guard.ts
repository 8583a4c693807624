/**
 * PendingGuard: bounds what a document holds in Yjs's pending store.
 *
 * An update that depends on structs (or deletes structs) the relay has never received cannot be
 * integrated; Yjs keeps it in `store.pendingStructs` / `store.pendingDs` and, on EVERY later
 * update to the document, merges the new rest into that pile and re-reads the pending deletes.
 * A client that only ever sends such updates makes each update cost more than the last
 * (quadratic) and freezes the event loop for everyone. Honest clients cause pending data only
 * for a moment (an edit sent before the sync step 2 that carries what it builds on).
 *
 * So: the connections whose updates added pending data are remembered; when the pending data
 * passes `maxBytes`, or more than `maxUpdates` updates added to it, or it is still there
 * `maxWaitMs` after it appeared, it is discarded (it was
 * never integrated, so nothing else depends on it, and no honest client has seen it) and those
 * connections are closed with 1008. An honest one reconnects and its sync handshake re-sends
 * whatever the relay lacks.
 */
import type * as Y from 'yjs';

export interface PendingLimits {
  /** Bytes of unintegrated updates a document may hold. */
  maxBytes: number;
  /**
   * Updates that may add to the pile before it empties again: each one costs a re-merge of the
   * whole pile, so the count bounds the work even when every update is tiny.
   */
  maxUpdates: number;
  /** How long a document may wait for the data its pending updates depend on. */
  maxWaitMs: number;
  /** Bytes that may wait while one large update is applied slice by slice. */
  maxSlicedBytes: number;
}

/**
 * Measured (Yjs 13.6, one core): 1,000 one-struct updates that each build on the one before,
 * about 20 KB in all, took 0.4-0.9 s to apply (every one re-merges the pile); 32 take about a
 * millisecond. The old 64 KiB byte bound alone let that through, and with 2 KB updates let 33 in
 * (30-70 ms of merging per connection). Honest clients leave a handful of updates waiting for one
 * round trip (edits sent before their sync step 2), far under both bounds.
 */
export const DEFAULT_PENDING_LIMITS: PendingLimits = {
  maxBytes: 16 * 1024,
  maxUpdates: 32,
  maxWaitMs: 5000,
  maxSlicedBytes: 1024 * 1024,
};

export class PendingGuard<Peer> {
  private readonly contributors = new Set<Peer>();
  /** Updates that added to the pile since it was last empty. */
  private additions = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly doc: Y.Doc,
    private readonly limits: PendingLimits,
    /** Closes the connections that left the document waiting; `reason` says why. */
    private readonly onViolation: (peers: Peer[], reason: string) => void,
  ) {}

  pendingBytes(): number {
    const { pendingStructs, pendingDs } = this.doc.store;
    return (pendingStructs?.update.byteLength ?? 0) + (pendingDs?.byteLength ?? 0);
  }

  /**
   * Call after applying an update from `peer`, with pendingBytes() from before it. `partial`:
   * the update was one slice of a larger one (update-slices.ts) and later slices may bring what
   * it waits for, so only the larger `maxSlicedBytes` bound applies (it keeps each later slice's
   * re-merge of the pile short) and the waiting clock is not started yet.
   */
  checkAfter(peer: Peer, before: number, partial = false): void {
    const after = this.pendingBytes();
    if (after === 0) {
      this.reset();
      return;
    }
    if (after > before) this.contributors.add(peer);
    const limit = partial ? this.limits.maxSlicedBytes : this.limits.maxBytes;
    if (after > limit) {
      this.violate(`updates depend on ${after} bytes of data the relay never received (limit ${limit})`);
      return;
    }
    if (partial) return;
    if (after > before && ++this.additions > this.limits.maxUpdates) {
      this.violate(
        `${this.additions} updates that depend on data the relay never received (limit ${this.limits.maxUpdates})`,
      );
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (this.pendingBytes() > 0)
          this.violate(`updates waited over ${this.limits.maxWaitMs} ms for data that was never sent`);
        else this.reset();
      }, this.limits.maxWaitMs);
      this.timer.unref();
    }
  }

  dispose(): void {
    this.reset();
  }

  private violate(reason: string): void {
    const peers = [...this.contributors];
    this.doc.store.pendingStructs = null;
    this.doc.store.pendingDs = null;
    this.reset();
    this.onViolation(peers, reason);
  }

  private reset(): void {
    this.contributors.clear();
    this.additions = 0;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
