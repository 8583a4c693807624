/**
 * SqliteWriter: the thread that writes the relay database: batches of appended updates (with
 * the journal mark they reach, see update-journal.ts) and compaction swaps, in the order given.
 *
 * Why a thread: better-sqlite3 commits synchronously, and a commit stalls now and then (a
 * WAL growing, a disk busy with a checkpoint; with `synchronous=FULL` every commit waits for
 * an fsync). Benchmarked on a shared 2-core machine (bench:sync, 500 clients), commits on the
 * event loop gave the relay tail stalls of 100-300 ms; here a commit delays nothing but the
 * rows in it. With the journal in front (`NORMAL`), a batch comes every INGEST_INTERVAL_MS
 * and holds hundreds of rows, so handing it over (one buffer of every row's bytes, moved rather than
 * copied, and two wake-ups) costs far less than the commits it saves; with FULL, one batch is in flight at a time and
 * appends arriving meanwhile form the next (group commit that grows with disk latency).
 * The thread is a RequestWorker (request-worker.ts): started with the first commit, and started
 * again by the next one if it dies (the journal still holds every row it did not commit).
 */
import { createRequire } from 'node:module';
import { RequestWorker, type WorkerReply } from './request-worker.ts';
import { SAVE_JOURNAL_MARK, type JournalMark } from './update-journal.ts';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 50000');
const insert = db.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)');
const deleteUpTo = db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?');
const saveMark = db.prepare(workerData.saveMark);
// A document's rows go in together (its order kept): the index's pages are then touched once
// per document rather than per row, which made a 600-row commit about a third cheaper.
const byDocument = (docIds) => docIds.map((_, i) => i).sort((a, b) => (docIds[a] < docIds[b] ? -1 : docIds[a] > docIds[b] ? 1 : a - b));
// Row i's bytes are bytes[ends[i - 1] .. ends[i]) of the one buffer the rows came in.
const commit = db.transaction((docIds, bytes, ends, mark) => {
  for (const i of byDocument(docIds)) {
    const start = i === 0 ? 0 : ends[i - 1];
    insert.run(docIds[i], Buffer.from(bytes, start, ends[i] - start));
  }
  if (mark) saveMark.run(mark.generation, mark.offset);
});
const swap = db.transaction((docId, upTo, state) => {
  deleteUpTo.run(docId, upTo);
  insert.run(docId, state);
});
parentPort.on('message', (message) => {
  try {
    if (message.type === 'stop') db.close();
    else if (message.type === 'swap') swap(message.docId, message.upTo, message.state);
    else commit(message.docIds, message.bytes, message.ends, message.mark);
    parentPort.postMessage({ id: message.id, ok: true });
  }
  catch (error) { parentPort.postMessage({ id: message.id, ok: false, error: String(error) }); }
});
`;

export interface SqliteWriter {
  /**
   * Commits the rows in one transaction, with the journal mark they take the database to
   * (null without a journal); resolves after the commit.
   */
  commit(docIds: string[], updates: Uint8Array[], mark: JournalMark | null): Promise<void>;
  /**
   * Replaces the rows of `docId` up to `upTo` with its compacted `state`, in one transaction
   * (rows appended after `upTo` are kept); ordered with the commits.
   */
  swap(docId: string, upTo: number, state: Uint8Array): Promise<void>;
  /** Closes the worker's connection and ends the thread. */
  stop(): Promise<void>;
}

/** Every row's bytes in one buffer (moved to the thread, not cloned row by row), and where each ends. */
function packRows(updates: Uint8Array[]): { bytes: ArrayBuffer; ends: Uint32Array<ArrayBuffer> } {
  const ends = new Uint32Array(new ArrayBuffer(updates.length * 4));
  let total = 0;
  updates.forEach((update, i) => (ends[i] = total += update.byteLength));
  const bytes = new ArrayBuffer(total);
  const view = new Uint8Array(bytes);
  updates.forEach((update, i) => view.set(update, i === 0 ? 0 : ends[i - 1]));
  return { bytes, ends };
}

export function startSqliteWriter(file: string, synchronous: 'NORMAL' | 'FULL'): SqliteWriter {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new RequestWorker<WorkerReply>(
    WORKER_SOURCE,
    { file, synchronous, betterSqlite3, saveMark: SAVE_JOURNAL_MARK },
    'SQLite commit',
  );
  let stopped = false;
  const request = async (message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<void> => {
    if (stopped) throw new Error('SQLite writer thread is stopped');
    await worker.request(message, transfer);
  };
  return {
    commit(docIds, updates, mark) {
      const { bytes, ends } = packRows(updates);
      return request({ type: 'commit', docIds, bytes, ends, mark }, [bytes, ends.buffer]);
    },
    swap: (docId, upTo, state) => request({ type: 'swap', docId, upTo, state }),
    async stop() {
      if (stopped) return;
      // Close the thread's connection first (a clean close), unless the thread never started.
      if (worker.running) await request({ type: 'stop' }).catch(() => {});
      stopped = true;
      await worker.stop();
    },
  };
}
