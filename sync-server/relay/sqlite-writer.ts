/**
 * SqliteWriter: the thread that writes the relay database: batches of appended updates (with
 * the journal mark they reach, see update-journal.ts) and compaction swaps, in the order given.
 * With the journal, the thread reads a batch's records back from the journal file itself (the
 * page cache has them): the event loop hands over byte ranges, not rows.
 *
 * Why a thread: better-sqlite3 commits synchronously, and a commit stalls now and then (a
 * WAL growing, a disk busy with a checkpoint; with `synchronous=FULL` every commit waits for
 * an fsync). Benchmarked on a shared 2-core machine (bench:sync, 500 clients), commits on the
 * event loop gave the relay tail stalls of 100-300 ms; here a commit delays nothing but the
 * rows in it. With the journal in front (`NORMAL`), a batch comes every INGEST_INTERVAL_MS
 * and holds thousands of rows under load. With FULL the rows themselves are handed over (a
 * structured clone); one batch is in flight at a time and appends arriving meanwhile form the
 * next (group commit that grows with disk latency).
 * The worker's source is a small CommonJS string (`eval: true`) because a worker thread does
 * not get the TypeScript loader the CLI registers.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SAVE_JOURNAL_MARK, type JournalMark, type JournalSpan } from './update-journal.ts';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { crc32 } = require('node:zlib');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 50000');
const insert = db.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)');
// Rows go in INSERT_ROWS to a statement: one statement's overhead (binding, stepping, the
// AUTOINCREMENT counter read and written) then serves many rows. VALUES rows are inserted in
// the order listed, so each document's rows keep their order.
const INSERT_ROWS = 32;
const insertMany = db.prepare('INSERT INTO doc_updates (doc_id, data) VALUES ' + Array(INSERT_ROWS).fill('(?, ?)').join(', '));
const values = new Array(2 * INSERT_ROWS);
const deleteUpTo = db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?');
const saveMark = db.prepare(workerData.saveMark);
// A document's rows go in together (its order kept): the index's pages are then touched once
// per document rather than per row, which made a 600-row commit about a third cheaper.
const byDocument = (docIds) => docIds.map((_, i) => i).sort((a, b) => (docIds[a] < docIds[b] ? -1 : docIds[a] > docIds[b] ? 1 : a - b));
// Returns what each document's log grew by ([docId, rows, bytes]), for compaction's budget.
const commit = db.transaction((docIds, updates, mark) => {
  const growth = new Map();
  const order = byDocument(docIds);
  let at = 0;
  for (; at + INSERT_ROWS <= order.length; at += INSERT_ROWS) {
    for (let k = 0; k < INSERT_ROWS; k++) {
      values[2 * k] = docIds[order[at + k]];
      values[2 * k + 1] = updates[order[at + k]];
    }
    insertMany.run(values);
  }
  for (; at < order.length; at++) insert.run(docIds[order[at]], updates[order[at]]);
  values.fill(null);
  for (const i of order) {
    const size = growth.get(docIds[i]) ?? [docIds[i], 0, 0];
    size[1]++;
    size[2] += updates[i].byteLength;
    growth.set(docIds[i], size);
  }
  if (mark) saveMark.run(mark.generation, mark.offset);
  return [...growth.values()];
});
// The records in a span of the journal, as update-journal.ts writes them (encodeRecords):
// [u32 LE payload length][u32 LE CRC-32 of payload][u8 docId length, docId, update]. The span
// holds whole records this process wrote; anything else means the file changed under us.
const readSpan = (span, docIds, updates) => {
  const bytes = Buffer.allocUnsafe(span.end - span.start);
  const fd = openSync(span.file, 'r');
  try {
    for (let got = 0; got < bytes.length; ) {
      const n = readSync(fd, bytes, got, bytes.length - got, span.start + got);
      if (n === 0) throw new Error(span.file + ' ends before byte ' + span.end);
      got += n;
    }
  } finally { closeSync(fd); }
  for (let at = 0; at < bytes.length; ) {
    const length = at + 8 <= bytes.length ? bytes.readUInt32LE(at) : 0;
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (length < 2 || body.length !== length || crc32(body) !== bytes.readUInt32LE(at + 4) || 1 + body[0] >= length)
      throw new Error(span.file + ': no whole record at byte ' + (span.start + at));
    docIds.push(body.toString('latin1', 1, 1 + body[0]));
    updates.push(body.subarray(1 + body[0]));
    at += 8 + length;
  }
};
const ingest = (spans, mark) => {
  const docIds = [];
  const updates = [];
  for (const span of spans) readSpan(span, docIds, updates);
  return commit(docIds, updates, mark);
};
const swap = db.transaction((docId, upTo, state) => {
  deleteUpTo.run(docId, upTo);
  insert.run(docId, state);
});
parentPort.on('message', (message) => {
  if (message.type === 'stop') { db.close(); parentPort.postMessage({ id: message.id, ok: true }); return; }
  try {
    let growth = [];
    if (message.type === 'swap') swap(message.docId, message.upTo, message.state);
    else if (message.type === 'ingest') growth = ingest(message.spans, message.mark);
    else growth = commit(message.docIds, message.updates, message.mark);
    parentPort.postMessage({ id: message.id, ok: true, growth });
  }
  catch (error) { parentPort.postMessage({ id: message.id, ok: false, error: String(error) }); }
});
`;

/** What one commit added to each document's log: [docId, rows, bytes]. */
export type LogGrowth = [docId: string, rows: number, bytes: number][];

export interface SqliteWriter {
  /**
   * Commits the rows in one transaction, with the journal mark they take the database to
   * (null without a journal); resolves after the commit with what each document's log grew by.
   */
  commit(docIds: string[], updates: Uint8Array[], mark: JournalMark | null): Promise<LogGrowth>;
  /**
   * Reads the records in `spans` of the journal and commits them with `mark` (the mark just
   * past them) in one transaction; resolves with what each document's log grew by. The rows never cross
   * the event loop: the main thread holds no update once it is journaled, which kept ~250 bytes
   * per update alive until the next ingest (bench:sync: 2.5x the reference's promoted bytes per
   * scavenge, and a mark-compact every 5 s, where the reference had none).
   */
  ingestJournal(spans: JournalSpan[], mark: JournalMark): Promise<LogGrowth>;
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
  const waiting = new Map<number, { done: (growth: LogGrowth) => void; fail: (error: Error) => void }>();
  let nextId = 0;
  let stopped = false;
  const failAll = (error: Error) => {
    for (const entry of waiting.values()) entry.fail(error);
    waiting.clear();
  };
  worker.on('message', (reply: { id: number; ok: boolean; growth?: LogGrowth; error?: string }) => {
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) entry?.done(reply.growth ?? []);
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
    new Promise<LogGrowth>((done, fail) => {
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
    ingestJournal: (spans, mark) => request({ type: 'ingest', spans, mark }),
    swap: async (docId, upTo, state) => void (await request({ type: 'swap', docId, upTo, state })),
    async stop() {
      if (stopped) return;
      await request({ type: 'stop' });
      await worker.terminate();
    },
  };
}
