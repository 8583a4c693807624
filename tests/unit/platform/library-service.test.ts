/**
 * The library service as pages use it, in Node: documents in a MemoryDocStore, the index in
 * Dexie over fake-indexeddb (a complete IndexedDB in JavaScript). Features list and watch rows
 * through the service only, never through Dexie.
 */
// First: Dexie reads the IndexedDB globals when it loads.
import 'fake-indexeddb/auto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LibraryEntry } from '../../../src/core/documents/library-entry.ts';
import { MemoryDocStore } from '../../../src/platform/docs/memory-doc-store.ts';
import { LibraryDatabase } from '../../../src/platform/library/library-db.ts';
import { makeLibraryService } from '../../../src/platform/library/library-service.ts';

let n = 0;
/** A library of its own (a fresh index database and store) for each test. */
function fresh() {
  const store = new MemoryDocStore();
  const db = new LibraryDatabase(`library-test-${++n}`);
  return { store, db, library: makeLibraryService({ store, db }) };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('list gives the rows of created documents; trash and purge show in it', async () => {
  const { library, store } = fresh();
  const a = await library.create({ kind: 'console-config', name: 'Show A' });
  const b = await library.create({ kind: 'analysis-report', name: 'Mix B' });
  assert.equal((await library.list()).map((e) => e.name).sort(), ['Mix B', 'Show A']);
  await library.trash(a);
  assert.ok((await library.list()).find((e) => e.id === a)!.deletedAt !== null);
  await library.purge(a);
  assert.equal(
    (await library.list()).map((e) => e.id),
    [b],
  );
  assert.equal(await store.listStored(), [b]);
});

test('watch reports the rows now and after every change, until stopped', async () => {
  const { library } = fresh();
  const seen: LibraryEntry[][] = [];
  const stop = library.watch(
    (rows) => seen.push(rows),
    (error) => {
      throw error;
    },
  );
  await until(() => seen.length >= 1, 'the first report');
  assert.is(seen.at(-1)!.length, 0);
  const id = await library.create({ kind: 'console-config', name: 'Watched' });
  await until(() => seen.at(-1)!.some((e) => e.id === id), 'the created row');
  await library.update(id, { name: 'Renamed' });
  await until(() => seen.at(-1)!.some((e) => e.name === 'Renamed'), 'the rename');
  stop();
  const count = seen.length;
  await library.create({ kind: 'console-config', name: 'After stop' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.is(seen.length, count);
});

test.run();
