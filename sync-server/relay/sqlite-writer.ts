/**
 * SqliteWriter: the thread that writes the relay database: batches of appended updates (with
 * the journal mark they reach, see update-journal.ts) and compaction swaps, in the order given.
 *
 * Why a thread: better-sqlite3 commits synchronously, and a commit stalls now and then (a
 * WAL growing, a disk busy with a checkpoint; with `synchronous=FULL` every commit waits for
 * an fsync). Benchmarked on a shared 2-core machine (bench:sync, 500 clients), commits on the
 * event loop gave the relay tail stalls of 100-300 ms; here a commit delays nothing but the
 * rows in it. With the journal in front (`NORMAL`), a batch comes every INGEST_INTERVAL_MS
 * and holds hundreds of rows, so handing it over (a structured clone, two wake-ups) costs
 * far less than the commits it saves; with FULL, one batch is in flight at a time and
 * appends arriving meanwhile form the next (group commit that grows with disk latency).
 * The worker's source is a small CommonJS string (`eval: true`) because a worker thread does
 * not get the TypeScript loader the CLI registers.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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
const commit = db.transaction((docIds, updates, mark) => {
  for (const i of byDocument(docIds)) insert.run(docIds[i], updates[i]);
  if (mark) saveMark.run(mark.generation, mark.offset);
});
const swap = db.transaction((docId, upTo, state) => {
  deleteUpTo.run(docId, upTo);
  insert.run(docId, state);
});
parentPort.on('message', (message) => {
  if (message.type === 'stop') { db.close(); parentPort.postMessage({ id: message.id, ok: true }); return; }
  try {
    if (message.type === 'swap') swap(message.docId, message.upTo, message.state);
    else commit(message.docIds, message.updates, message.mark);
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

export function startSqliteWriter(
  file: string,
  synchronous: 'NORMAL' | 'FULL',
  onError: (error: unknown) => void,
): SqliteWriter {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, synchronous, betterSqlite3, saveMark: SAVE_JOURNAL_MARK },
  });
  worker.unref();
  const waiting = new Map<number, { done: () => void; fail: (error: Error) => void }>();
  let nextId = 0;
  let stopped = false;
  const failAll = (error: Error) => {
    for (const entry of waiting.values()) entry.fail(error);
    waiting.clear();
  };
  worker.on('message', (reply: { id: number; ok: boolean; error?: string }) => {
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) entry?.done();
    else entry?.fail(new Error(`SQLite commit failed: ${reply.error}`));
  });
  worker.on('error', (error) => {
    onError(error);
    failAll(error);
  });
  worker.on('exit', () => {
    stopped = true;
    failAll(new Error('SQLite writer thread exited'));
  });
  const request = (message: Record<string, unknown>) =>
    new Promise<void>((done, fail) => {
      if (stopped) {
        fail(new Error('SQLite writer thread is stopped'));
        return;
      }
      const id = nextId++;
      waiting.set(id, { done, fail });
      worker.postMessage({ ...message, id });
    });
  return {
    commit: (docIds, updates, mark) => request({ type: 'commit', docIds, updates, mark }),
    swap: (docId, upTo, state) => request({ type: 'swap', docId, upTo, state }),
    async stop() {
      if (stopped) return;
      await request({ type: 'stop' });
      await worker.terminate();
    },
  };
}
