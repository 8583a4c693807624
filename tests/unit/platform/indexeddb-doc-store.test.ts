/**
 * IndexedDbDocStore against the DocStore contract, in Node: fake-indexeddb is a complete
 * IndexedDB implementation in JavaScript (the W3C test suite's), so y-indexeddb and our own
 * reads run their real code paths. Each fixture gets a fresh, empty IndexedDB.
 */
import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { DOC_DB_PREFIX, IndexedDbDocStore } from '../../../src/platform/docs/indexeddb-doc-store.ts';
import { runDocStoreTests } from '../../support/doc-store-suite.ts';

/** Appends bytes that are no Yjs update to the document's y-indexeddb 'updates' store. */
function addGarbage(id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DOC_DB_PREFIX + id);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const transaction = db.transaction('updates', 'readwrite');
      transaction.objectStore('updates').add(new Uint8Array([0, 255, 255, 255, 7]));
      transaction.oncomplete = () => {
        db.close();
        resolve();
      };
      transaction.onerror = () => {
        db.close();
        reject(transaction.error);
      };
    };
  });
}

runDocStoreTests('IndexedDbDocStore (fake-indexeddb)', async () => {
  globalThis.indexedDB = new IDBFactory();
  return {
    store: new IndexedDbDocStore(),
    async reopen() {
      return new IndexedDbDocStore();
    },
    corrupt: addGarbage,
    async teardown() {},
  };
});
