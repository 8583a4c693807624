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
import { checkStoredUpdates } from '../../core/documents/stored-updates.ts';
import type { DocHandle, DocStore } from './doc-store.ts';
import { OpenDocs, type OpenDoc } from './open-docs.ts';

export const DOC_DB_PREFIX = 'mixdesk-doc-';

interface IndexedDbDoc extends OpenDoc {
  persistence: IndexeddbPersistence | null;
  whenSynced: Promise<void>;
}

function readStoredUpdates(dbName: string): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName);
    let created = false;
    request.onupgradeneeded = () => {
      created = true;
    };
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
      getAll.onsuccess = () => {
        db.close();
        resolve(getAll.result as Uint8Array[]);
      };
      getAll.onerror = () => {
        db.close();
        reject(getAll.error);
      };
    };
  });
}

export class IndexedDbDocStore implements DocStore {
  private readonly openDocs = new OpenDocs<IndexedDbDoc>();

  /**
   * @param onWriteError told when a document's write to IndexedDB fails. y-indexeddb does not
   *   observe its own write transactions, and a full disk aborts the transaction at commit
   *   without failing the request, so we listen for aborts on the document's database (abort
   *   events bubble from transactions to it).
   */
  constructor(private readonly onWriteError: (error: unknown) => void = () => {}) {}

  open(id: string): DocHandle {
    return this.openDocs.handle(id, () => {
      const doc = new Y.Doc({ guid: id });
      const created: IndexedDbDoc = {
        doc,
        persistence: null,
        whenSynced: Promise.resolve(),
        release: () => created.persistence?.destroy(),
      };
      created.whenSynced = readStoredUpdates(DOC_DB_PREFIX + id)
        .then((updates) => checkStoredUpdates(id, updates))
        .then(() => {
          if (doc.isDestroyed) return;
          const persistence = new IndexeddbPersistence(DOC_DB_PREFIX + id, doc);
          created.persistence = persistence;
          return persistence.whenSynced.then(() => {
            persistence.db?.addEventListener('abort', (event) => {
              this.onWriteError(
                (event.target as IDBTransaction | null)?.error ?? new Error(`Saving document ${id} failed`),
              );
            });
          });
        });
      return created;
    });
  }

  /**
   * Writes the full state of every open document as one stored update. After a write failed
   * (a full disk), the updates that did not reach IndexedDB are in memory only, and later
   * updates that depend on them could not be applied on the next load; one full state closes
   * that gap. Rejects with the storage error while the disk is still full.
   */
  async saveAllOpen(): Promise<void> {
    for (const entry of this.openDocs.all()) {
      const db = entry.persistence?.db;
      if (!db) continue;
      const state = Y.encodeStateAsUpdate(entry.doc);
      await new Promise<void>((resolve, reject) => {
        // y-indexeddb's own store layout: an auto-keyed 'updates' store of Uint8Arrays.
        const transaction = db.transaction('updates', 'readwrite');
        transaction.objectStore('updates').add(state);
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    }
  }

  async destroy(id: string): Promise<void> {
    await this.openDocs.forget(id);
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
