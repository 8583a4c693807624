/**
 * DocStore in memory: each document's stored data is its log of Yjs updates in a Map, which
 * the caller may keep and hand to a new store to "reopen" the same storage. For tests and for
 * places with no IndexedDB; it keeps the same contract as IndexedDbDocStore
 * (tests/support/doc-store-suite.ts), including reporting a damaged log instead of loading it.
 */
import * as Y from 'yjs';
import { checkStoredUpdates } from '../../core/documents/stored-updates.ts';
import type { DocHandle, DocStore } from './doc-store.ts';
import { OpenDocs, type OpenDoc } from './open-docs.ts';

export class MemoryDocStore implements DocStore {
  private readonly openDocs = new OpenDocs<OpenDoc>();

  /** @param logs the stored updates per document id; pass the same map to a new store to reopen. */
  constructor(private readonly logs: Map<string, Uint8Array[]> = new Map()) {}

  open(id: string): DocHandle {
    return this.openDocs.handle(id, () => {
      const doc = new Y.Doc({ guid: id });
      const log = this.logs.get(id) ?? [];
      this.logs.set(id, log);
      const stored = [...log];
      // Every change from now on is stored; the stored state applied below is not stored twice.
      const save = (update: Uint8Array, origin: unknown) => {
        if (origin !== this) log.push(update);
      };
      doc.on('update', save);
      // Asynchronous like a real store: callers must wait for whenSynced before reading.
      const whenSynced = Promise.resolve().then(() => {
        checkStoredUpdates(id, stored);
        if (doc.isDestroyed) return;
        Y.transact(
          doc,
          () => {
            for (const update of stored) Y.applyUpdate(doc, update, this);
          },
          this,
        );
      });
      return { doc, whenSynced, release: () => doc.off('update', save) };
    });
  }

  async destroy(id: string): Promise<void> {
    await this.openDocs.forget(id);
    this.logs.delete(id);
  }

  async listStored(): Promise<string[]> {
    return [...this.logs.keys()];
  }
}
