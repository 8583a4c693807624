/**
 * mergeToState: a document's log of Yjs updates merged into one state update. Shared by every
 * DocPersistence that compacts (SQLite, memory), so none of them has to load another's module.
 */
import * as Y from 'yjs';

/** Merges a list of updates into one state update, dropping deleted content (GC). */
export function mergeToState(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
