/**
 * MergeWorker: reads a document's log of updates from the relay database and merges it into
 * one state update, on a worker thread. Merging costs about as much as applying every update
 * again (a second or more for a document of a hundred thousand structs), and reading a large
 * log costs tens of ms, so compaction must do neither on the relay's event loop. The thread
 * holds nothing but the merge: its own read-only connection, and a Y.Doc per merge that is
 * dropped after it. The swap (delete the merged rows, insert the state) is the writer
 * thread's (sqlite-writer.ts). The source is a small CommonJS string (`eval: true`), like sqlite-writer.ts,
 * because a worker thread does not get the TypeScript loader the CLI registers.
 */
import { createRequire } from 'node:module';
import { RequestWorker, type WorkerReply } from './request-worker.ts';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const load = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq');
parentPort.on('message', ({ id, docId }) => {
  try {
    const rows = load.all(docId);
    if (rows.length < 2) { parentPort.postMessage({ id, ok: true, state: null, upTo: 0 }); return; }
    const doc = new Y.Doc();
    doc.transact(() => { for (const row of rows) Y.applyUpdate(doc, row.data); });
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    parentPort.postMessage({ id, ok: true, state, upTo: rows[rows.length - 1].seq }, [state.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error) });
  }
});
`;

/** A document's committed log merged into one state; `upTo` is the last merged row's sequence number. */
export interface MergedLog {
  state: Uint8Array;
  upTo: number;
}

interface MergeReply extends WorkerReply {
  state?: Uint8Array | null;
  upTo?: number;
}

export class MergeWorker {
  private readonly worker: RequestWorker<MergeReply>;

  constructor(file: string) {
    const require = createRequire(import.meta.url);
    this.worker = new RequestWorker(
      WORKER_SOURCE,
      { yjs: require.resolve('yjs'), betterSqlite3: require.resolve('better-sqlite3'), file },
      'merging updates',
    );
  }

  /**
   * Merges every row of `docId` committed so far (deleted content dropped); null when there is
   * nothing to merge (fewer than two rows).
   */
  async merge(docId: string): Promise<MergedLog | null> {
    const reply = await this.worker.request({ docId });
    return reply.state ? { state: reply.state, upTo: reply.upTo ?? 0 } : null;
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }
}
