/**
 * DocStore in memory: each document's stored data is its log of Yjs updates in a Map, which
 * the caller may keep and hand to a new store to "reopen" the same storage. For tests and for
 * places with no IndexedDB; it keeps the same contract as IndexedDbDocStore
 * (tests/support/doc-store-suite.ts), including reporting a damaged log instead of loading it.
 */
import * as Y from 'yjs';
import { checkStoredUpdates } from '../../core/documents/stored-updates.ts';
import type { DocHandle, DocStore } from './doc-store.ts';

interface OpenDoc { doc: Y.Doc; whenSynced: Promise<void>; handles: number; stopSaving: () => void }

export class MemoryDocStore implements DocStore {
  private readonly openDocs = new Map<string, OpenDoc>();

  /** @param logs the stored updates per document id; pass the same map to a new store to reopen. */
  constructor(private readonly logs: Map<string, Uint8Array[]> = new Map()) {}

  open(id: string): DocHandle {
    let entry = this.openDocs.get(id);
    if (!entry) {
      const doc = new Y.Doc({ guid: id });
      const log = this.logs.get(id) ?? [];
      this.logs.set(id, log);
      const stored = [...log];
      // Every change from now on is stored; the stored state applied below is not stored twice.
      const save = (update: Uint8Array, origin: unknown) => { if (origin !== this) log.push(update); };
      doc.on('update', save);
      const created: OpenDoc = { doc, handles: 0, whenSynced: Promise.resolve(), stopSaving: () => doc.off('update', save) };
      // Asynchronous like a real store: callers must wait for whenSynced before reading.
      created.whenSynced = Promise.resolve().then(() => {
        checkStoredUpdates(id, stored);
        if (doc.isDestroyed) return;
        Y.transact(doc, () => { for (const update of stored) Y.applyUpdate(doc, update, this); }, this);
      });
      entry = created;
      this.openDocs.set(id, entry);
    }
    entry.handles++;
    const opened = entry;
    let closed = false;
    return {
      id, doc: opened.doc, whenSynced: opened.whenSynced,
      close: async () => {
        if (closed) return;
        closed = true;
        if (--opened.handles > 0) return;
        this.openDocs.delete(id);
        await opened.whenSynced.catch(() => undefined);
        opened.stopSaving();
        opened.doc.destroy();
      },
    };
  }

  async destroy(id: string): Promise<void> {
    const entry = this.openDocs.get(id);
    if (entry) {
      this.openDocs.delete(id);
      entry.stopSaving();
      entry.doc.destroy();
    }
    this.logs.delete(id);
  }

  async listStored(): Promise<string[]> {
    return [...this.logs.keys()];
  }
}
