/**
 * Updates that can never be integrated: each builds on the one before it, and the first is
 * never sent, so the relay holds all of them in Yjs's pending store (issue 8, defect 2).
 */
import * as Y from 'yjs';

/** `count` updates of about `bytes` each from one client; element 0 is the one to withhold. */
export function chainedUpdates(count: number, bytes: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  // Map entries on distinct keys: each update still needs the one before (the client's clocks
  // must be contiguous), and generating them stays linear (text appends would merge into one item).
  const entries = doc.getMap<string>('m');
  for (let i = 0; i < count; i++) entries.set(`k${i}`, String.fromCharCode(97 + (i % 26)).repeat(bytes));
  doc.destroy();
  return updates;
}
