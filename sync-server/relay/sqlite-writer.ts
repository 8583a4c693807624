/**
 * SqliteWriter: commits batches of appended updates. This is the worker-thread writer, used with
 * `synchronous=FULL`, so the relay's event loop never waits for an fsync into a busy disk
 * (NORMAL commits on the event loop: sqlite-inline-writer.ts).
 *
 * Why: the relay broadcasts an update only after its commit, and better-sqlite3 commits
 * synchronously. Benchmarked on a shared 2-core machine (bench:sync, 500 clients), the same
 * relay kept its p99 with in-memory storage but got tail stalls of 100-300 ms from SQLite
 * writes on the event loop. Here a commit only delays the updates in it.
 *
 * One batch is in flight at a time; appends arriving meanwhile form the next batch (group
 * commit that grows with disk latency). The worker's source is a small CommonJS string
 * (`eval: true`) because a worker thread does not get the TypeScript loader the CLI registers.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

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
const commit = db.transaction((docIds, updates) => {
  for (let i = 0; i < docIds.length; i++) insert.run(docIds[i], updates[i]);
});
const swap = db.transaction((docId, upTo, state) => {
  deleteUpTo.run(docId, upTo);
  insert.run(docId, state);
});
parentPort.on('message', (message) => {
  if (message.type === 'stop') { db.close(); parentPort.postMessage({ id: message.id, ok: true }); return; }
  try {
    if (message.type === 'swap') swap(message.docId, message.upTo, message.state);
    else commit(message.docIds, message.updates);
    parentPort.postMessage({ id: message.id, ok: true });
  }
  catch (error) { parentPort.postMessage({ id: message.id, ok: false, error: String(error) }); }
});
`;

export interface SqliteWriter {
  /** Commits the rows in one transaction; resolves after the commit. */
  commit(docIds: string[], updates: Uint8Array[]): Promise<void>;
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
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, synchronous, betterSqlite3 } });
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
    commit: (docIds, updates) => request({ type: 'commit', docIds, updates }),
    swap: (docId, upTo, state) => request({ type: 'swap', docId, upTo, state }),
    async stop() {
      if (stopped) return;
      await request({ type: 'stop' });
      await worker.terminate();
    },
  };
}
