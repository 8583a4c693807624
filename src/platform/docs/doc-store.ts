/**
 * The document lifecycle behind one small interface, so features never know how documents
 * are stored or synced, and tests and the sync layer can plug in beside it.
 *
 * A handle owns one open Y.Doc. Opening the same id twice returns handles that share the
 * Y.Doc; the doc is destroyed when the last handle closes.
 */
import type * as Y from 'yjs';

export { DamagedDocumentError } from '../../core/documents/stored-updates.ts';

export interface DocHandle {
  readonly id: string;
  readonly doc: Y.Doc;
  /** Resolves when the stored state is loaded into `doc`; rejects with DamagedDocumentError. */
  readonly whenSynced: Promise<void>;
  /** Releases this handle; stored data stays. */
  close(): Promise<void>;
}

export interface DocStore {
  open(id: string): DocHandle;
  /** Deletes a document's stored data for good (purge from Trash). */
  destroy(id: string): Promise<void>;
  /** Ids of every document with stored data, whether or not the library index knows it. */
  listStored(): Promise<string[]>;
}

export function newDocumentId(): string {
  // Lower-case letters and digits only: safe in URLs, IndexedDB names and the relay's docId alphabet.
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('') + Date.now().toString(36);
}
