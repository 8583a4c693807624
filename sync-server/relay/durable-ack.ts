/**
 * Durable acknowledgements: the relay tells its clients what of a document is safely stored, so
 * a client can say "Saved on server" only when it is true (issue 11).
 *
 * Frame: [messageDurable, varUint8Array stateVector] — the document's state vector as it stood
 * when a change was accepted, sent once every change accepted up to then is committed (appends
 * are chained per document, so "this one is committed" means "all before it are too"). Sent to
 * every local connection of the document after each commit, and to a connection once its first
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
 * Call when a change is accepted, before its append: returns what to call once the append is
 * committed, which tells `targets()` (read then) what is durable.
 */
export function durableAfterCommit(doc: Y.Doc, targets: () => Iterable<AckTarget>): () => void {
  const frame = encodeDurable(Y.encodeStateVector(doc));
  return () => {
    for (const t of targets()) t.send(frame);
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
