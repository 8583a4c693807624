/**
 * Durable acknowledgements: the relay tells its clients what of a document is safely stored, so
 * a client can say "Saved on server" only when it is true (issue 11).
 *
 * Frame: [messageDurable, varUint8Array stateVector] — the document's state vector as it stood
 * when a change was accepted, sent once every change accepted up to then is committed (appends
 * are chained per document, so "this one is committed" means "all before it are too"). Sent to
 * the connections that wrote, after a commit (at most one frame per DURABLE_ACK_INTERVAL_MS
 * per document; see DurableAcks), and to a connection once its first
 * exchange is durable (so a client that reconnects after a crash learns what survived).
 * A stock y-websocket client without a handler for the kind logs it and carries on; the app's
 * client registers one (src/platform/sync/durable-state.ts).
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export { MESSAGE_DURABLE as messageDurable } from '../../src/core/sync/durable-message.ts';
import { MESSAGE_DURABLE as messageDurable } from '../../src/core/sync/durable-message.ts';

export function encodeDurable(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageDurable);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

interface AckTarget {
  send(frame: Uint8Array): void;
}

/**
 * How often a busy document acknowledges one writer at most. Per update, an acknowledgement to
 * every connection doubled the relay's socket writes (every update already goes to every other
 * connection); a save badge needs no more than a few answers a second.
 */
export const DURABLE_ACK_INTERVAL_MS = 100;

/**
 * The acknowledgements of one document, coalesced and addressed: only the connections that
 * wrote since the last acknowledgement get one (a reader needs none: the relay broadcasts an
 * update only after its commit, so what a client receives is durable by construction, and the
 * client counts it as confirmed). The first commit after a quiet spell is acknowledged at once;
 * commits within the next `intervalMs` are acknowledged together at its end, with the newest
 * state vector (commits land in order, so the newest covers the rest).
 */
export class DurableAcks<T extends AckTarget> {
  private newest: Uint8Array | null = null;
  private readonly writers = new Set<T>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** The connections attached now (a writer that left gets nothing). */
    private readonly attached: () => Iterable<T>,
    private readonly intervalMs = DURABLE_ACK_INTERVAL_MS,
  ) {}

  /**
   * Call when `writer`'s change is accepted, before its append: returns what to call once the
   * append is committed (the state vector is taken now: later changes may not be committed then).
   * A change the relay makes itself (`writer` null) is acknowledged to nobody: it reaches every
   * client as a broadcast after its commit.
   */
  afterCommit(doc: Y.Doc, writer: T | null): () => void {
    if (writer === null) return () => {};
    const stateVector = Y.encodeStateVector(doc);
    return () => {
      this.newest = stateVector;
      this.writers.add(writer);
      if (this.timer === null) this.flush();
    };
  }

  /** Stops the timer (the document is leaving memory; its connections are gone). */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.newest = null;
    this.writers.clear();
  }

  private readonly flush = (): void => {
    this.timer = null;
    const stateVector = this.newest;
    if (stateVector === null) return;
    this.newest = null;
    const frame = encodeDurable(stateVector);
    for (const t of this.attached()) if (this.writers.has(t)) t.send(frame);
    this.writers.clear();
    this.timer = setTimeout(this.flush, this.intervalMs);
  };
}

/** Tells one connection what is durable once everything accepted so far is committed. */
export function ackWhenDurable(doc: Y.Doc, durable: () => Promise<void>, target: AckTarget): void {
  const frame = encodeDurable(Y.encodeStateVector(doc));
  durable().then(
    () => target.send(frame),
    () => {
      /* a failed write is reported by the relay itself */
    },
  );
}
