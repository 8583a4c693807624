/**
 * The SqliteWriter for `synchronous=NORMAL`: commits on the relay's own connection, on the
 * event loop.
 *
 * Why not the writer thread here: with NORMAL a commit is a write(2) of a few pages into the
 * WAL (page cache) and no fsync, about 40 µs of CPU for a batch of one update on this machine.
 * Handing the same batch to a thread cost more than the commit itself: a structured clone of
 * the batch each way, two thread wake-ups and their context switches (bench:sync, 2,500
 * updates/s: postMessage alone was ~5% of the main thread, and the writer thread another ~9%
 * of a core). What made SQLite on the event loop stall (100-300 ms) was the automatic WAL
 * checkpoint inside a commit, and checkpoints run on their own thread (wal-checkpointer.ts).
 * With FULL every commit waits for an fsync, which the event loop must not do: that mode keeps
 * the thread (sqlite-writer.ts).
 */
import type Database from 'better-sqlite3';
import type { SqliteWriter } from './sqlite-writer.ts';

export function inlineSqliteWriter(db: Database.Database): SqliteWriter {
  const insert = db.prepare<[string, Uint8Array]>('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)');
  const deleteUpTo = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?');
  const commit = db.transaction((docIds: string[], updates: Uint8Array[]) => {
    for (let i = 0; i < docIds.length; i++) insert.run(docIds[i]!, updates[i]!);
  });
  const swap = db.transaction((docId: string, upTo: number, state: Uint8Array) => {
    deleteUpTo.run(docId, upTo);
    insert.run(docId, state);
  });
  // Same contract as the thread: a failure is a rejection, never a synchronous throw.
  const settle = (work: () => void): Promise<void> => {
    try {
      work();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(new Error(`SQLite commit failed: ${String(error)}`));
    }
  };
  return {
    commit: (docIds, updates) => settle(() => commit(docIds, updates)),
    swap: (docId, upTo, state) => settle(() => swap(docId, upTo, state)),
    stop: () => Promise.resolve(),
  };
}
