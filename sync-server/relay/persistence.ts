/**
 * DocPersistence: where the relay keeps every document, as an append-only log of Yjs updates
 * that is now and then compacted into one state.
 *
 * Contract (checked for every implementation by tests/support/relay-persistence-suite.ts):
 * - `appendUpdate` resolves only once the update is durable; the relay broadcasts an update
 *   only after that, so nothing another client saw can be lost by a crash.
 * - `compact` merges the log into one update without losing appends made while it runs.
 * - Updates are CRDT updates: their order in the log does not matter, only that all are kept.
 */
export interface DocPersistence {
  /** Every stored update of `docId` (empty when the document is unknown). */
  load(docId: string): Promise<Uint8Array[]>;
  /** Stores one update durably; resolves after the commit. */
  appendUpdate(docId: string, update: Uint8Array): Promise<void>;
  /** Merges the log of `docId` into a single state update. */
  compact(docId: string): Promise<void>;
  /** Ids of all stored documents. */
  list(): Promise<string[]>;
  /** Removes a document and its whole log. */
  delete(docId: string): Promise<void>;
  /** Size of the log, for compaction policy and tests. */
  logSize(docId: string): Promise<{ updates: number; bytes: number }>;
  /** Flushes pending work and releases the store; later calls reject. */
  close(): Promise<void>;
}
