/**
 * DocStore on y-indexeddb: one IndexedDB database per document, named `mixdesk-doc-<id>`.
 *
 * y-indexeddb applies stored updates inside a promise chain that has no error path: a
 * corrupt update makes that chain reject unobserved and `whenSynced` never resolve. So before
 * handing a document to y-indexeddb we read its stored updates ourselves and apply them to a
 * scratch Y.Doc; if that throws or leaves structs missing, the document is damaged and we say
 * so instead of hanging. The price is decoding a document twice when it is opened.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { DamagedDocumentError, type DocHandle, type DocStore } from './doc-store.ts';

export const DOC_DB_PREFIX = 'mixdesk-doc-';

interface OpenDoc { doc: Y.Doc; persistence: IndexeddbPersistence | null; whenSynced: Promise<void>; handles: number }

function readStoredUpdates(dbName: string): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName);
    let created = false;
    request.onupgradeneeded = () => { created = true; };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      if (created || !db.objectStoreNames.contains('updates')) {
        db.close();
        // We created an empty database by looking: remove it so a missing doc stays missing.
        if (created) indexedDB.deleteDatabase(dbName);
        resolve([]);
        return;
      }
      const getAll = db.transaction('updates', 'readonly').objectStore('updates').getAll();
      getAll.onsuccess = () => { db.close(); resolve(getAll.result as Uint8Array[]); };
      getAll.onerror = () => { db.close(); reject(getAll.error); };
    };
  });
}

export function checkUpdates(id: string, updates: readonly unknown[]): void {
  const scratch = new Y.Doc();
  try {
    for (const [index, update] of updates.entries()) {
      if (!(update instanceof Uint8Array)) throw new DamagedDocumentError(id, `stored update ${index + 1} is not binary data`);
      try { Y.applyUpdate(scratch, update); }
      catch (error) { throw new DamagedDocumentError(id, `stored update ${index + 1} of ${updates.length} is corrupt (${(error as Error).message})`); }
    }
    if (scratch.store.pendingStructs || scratch.store.pendingDs) {
      throw new DamagedDocumentError(id, 'stored updates refer to changes that are missing');
    }
  } finally {
    scratch.destroy();
  }
}

export class IndexedDbDocStore implements DocStore {
  private readonly open_ = new Map<string, OpenDoc>();

  open(id: string): DocHandle {
    let entry = this.open_.get(id);
    if (!entry) {
      const doc = new Y.Doc({ guid: id });
      const created: OpenDoc = { doc, persistence: null, whenSynced: Promise.resolve(), handles: 0 };
      created.whenSynced = readStoredUpdates(DOC_DB_PREFIX + id)
        .then((updates) => checkUpdates(id, updates))
        .then(() => {
          if (doc.isDestroyed) return;
          created.persistence = new IndexeddbPersistence(DOC_DB_PREFIX + id, doc);
          return created.persistence.whenSynced.then(() => undefined);
        });
      entry = created;
      this.open_.set(id, entry);
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
        this.open_.delete(id);
        await opened.whenSynced.catch(() => undefined);
        await opened.persistence?.destroy();
        opened.doc.destroy();
      },
    };
  }

  async destroy(id: string): Promise<void> {
    const entry = this.open_.get(id);
    if (entry) {
      this.open_.delete(id);
      await entry.persistence?.destroy();
      entry.doc.destroy();
    }
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(DOC_DB_PREFIX + id);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
      // A tab that still holds it open delays deletion; it completes when that tab lets go.
      request.onblocked = () => resolve();
    });
  }

  async listStored(): Promise<string[]> {
    const databases = await indexedDB.databases();
    return databases
      .map((db) => db.name ?? '')
      .filter((name) => name.startsWith(DOC_DB_PREFIX))
      .map((name) => name.slice(DOC_DB_PREFIX.length));
  }
}
