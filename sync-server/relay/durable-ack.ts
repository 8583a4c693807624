/**
 * Durable acknowledgements: the relay tells its clients what of a document is safely stored, so
 * a client can say "Saved on server" only when it is true (issue 11).
 *
 * Frame: [messageDurable, varUint8Array stateVector] — a state vector of the document that is
 * all committed (commits are reported in order per document, so "this one is committed" means
 * "all before it are too"). Sent to
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
  /** Sends it with the target's next frame, or soon (a batched acknowledgement; see RelayConnection). */
  sendAck(frame: Uint8Array): void;
}

/**
 * How often a busy document acknowledges one writer at most. Per update, an acknowledgement to
 * every connection doubled the relay's socket writes (every update already goes to every other
 * connection). At 100 ms a writer editing 5 times a second still got an acknowledgement per
 * edit (bench:sync: 2,500 a second beside 10,000 broadcasts, about a tenth of the relay's main
 * thread in its profile); at 500 ms it gets two a second. A save badge needs no more: the first
 * commit after a quiet spell is still acknowledged at once, and the last of a burst within
 * half a second.
 */
export const DURABLE_ACK_INTERVAL_MS = 500;

/**
 * How long a due acknowledgement may wait for a moment when nothing of its document is being
 * committed; past it, the next accepted change has its state vector taken at once (see below).
 */
export const DURABLE_ACK_MAX_DEFER_MS = 500;

/**
 * The acknowledgements of one document, coalesced and addressed: only the connections that
 * wrote since the last acknowledgement get one (a reader needs none: the relay broadcasts an
 * update only after its commit, so what a client receives is durable by construction, and the
 * client counts it as confirmed). The first commit after a quiet spell is acknowledged at once;
 * commits within the next `intervalMs` are acknowledged together at its end.
 *
 * The state vector is taken when the acknowledgement is sent, not for every accepted change
 * (encoding one per update was a measurable share of the relay's work under load): it is the
 * document's own once every change accepted so far is committed (commits land in order). An
 * acknowledgement that falls due while a commit is in flight waits for the commit that leaves
 * none in flight, which is at most a commit or two on an ordinary document. So that a document
 * that never pauses still gets answers, once one has waited `maxDeferMs` the next accepted
 * change's state vector is taken as it is accepted, and sent when that change is committed.
 */
export class DurableAcks<T extends AckTarget> {
  /** Changes accepted, and the newest committed, by sequence number. */
  private accepted = 0;
  private committed = 0;
  private readonly writers = new Set<T>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When an acknowledgement fell due and is waiting for nothing to be in flight (null: none waits). */
  private dueSince: number | null = null;
  /** A state vector taken at acceptance, for a document that never pauses (see the class comment). */
  private fallback: Uint8Array | null = null;

  constructor(
    private readonly doc: Y.Doc,
    /** The connections attached now (a writer that left gets nothing). */
    private readonly attached: () => Iterable<T>,
    private readonly intervalMs = DURABLE_ACK_INTERVAL_MS,
    private readonly maxDeferMs = DURABLE_ACK_MAX_DEFER_MS,
  ) {}

  /**
   * Call when a change is accepted, before its append: returns what to call once the append is
   * committed. A change the relay makes itself (`writer` null) is acknowledged to nobody: it
   * reaches every client as a broadcast after its commit.
   */
  afterCommit(writer: T | null): () => void {
    const sequence = ++this.accepted;
    const taken =
      this.dueSince !== null && performance.now() - this.dueSince >= this.maxDeferMs
        ? Y.encodeStateVector(this.doc)
        : null;
    return () => {
      this.committed = sequence;
      if (taken) this.fallback = taken;
      if (writer !== null) this.writers.add(writer);
      if (this.writers.size > 0 && (this.timer === null || this.dueSince !== null)) this.flush();
    };
  }

  /** Stops the timer (the document is leaving memory; its connections are gone). */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.dueSince = null;
    this.fallback = null;
    this.writers.clear();
  }

  private readonly flush = (): void => {
    if (this.writers.size === 0) {
      this.timer = null;
      this.dueSince = null;
      return;
    }
    let stateVector: Uint8Array;
    if (this.committed === this.accepted) stateVector = Y.encodeStateVector(this.doc);
    else if (this.fallback) stateVector = this.fallback;
    else {
      // A commit is in flight: what the document holds now is not all durable yet.
      this.dueSince ??= performance.now();
      return;
    }
    this.dueSince = null;
    this.fallback = null;
    const frame = encodeDurable(stateVector);
    for (const t of this.attached()) if (this.writers.has(t)) t.sendAck(frame);
    this.writers.clear();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(this.flush, this.intervalMs);
  };
}

/** Tells one connection what is durable once everything accepted so far is committed. */
export function ackWhenDurable(
  doc: Y.Doc,
  durable: () => Promise<void>,
  target: { send(frame: Uint8Array): void },
): void {
  const frame = encodeDurable(Y.encodeStateVector(doc));
  durable().then(
    () => target.send(frame),
    () => {
      /* a failed write is reported by the relay itself */
    },
  );
}
