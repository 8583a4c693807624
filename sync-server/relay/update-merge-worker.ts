/**
 * UpdateMergeWorker: merges a list of Yjs updates into one state update (what mergeToState does)
 * on a worker thread. Merging costs about as much as applying every update again, a second or
 * more for a log of a hundred thousand small updates, which on the relay's event loop would hold
 * every client, commit and fan-out read of the process for that long. The caller reads the log
 * (PostgreSQL: postgres-persistence.ts) and writes the state back; the thread only merges.
 * SQLite's compaction has its own worker that also reads the file (merge-worker.ts).
 *
 * Threading: the updates are copied into one ArrayBuffer that is transferred, not the callers'
 * buffers (a small Buffer can be a slice of Node's shared pool, which must not be detached);
 * the state comes back transferred. One merge at a time per worker, in order; the thread's
 * lifecycle is RequestWorker's (started on the first merge, idle without keeping the process up).
 */
import { createRequire } from 'node:module';
import { RequestWorker, type WorkerReply } from './request-worker.ts';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, bytes, lengths }) => {
  try {
    const doc = new Y.Doc();
    let at = 0;
    doc.transact(() => {
      for (const length of lengths) {
        Y.applyUpdate(doc, new Uint8Array(bytes, at, length));
        at += length;
      }
    });
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    parentPort.postMessage({ id, ok: true, state }, [state.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error) });
  }
});
`;

interface MergeReply extends WorkerReply {
  state: Uint8Array;
}

export class UpdateMergeWorker {
  private readonly worker = new RequestWorker<MergeReply>(
    WORKER_SOURCE,
    { yjs: createRequire(import.meta.url).resolve('yjs') },
    'merging updates',
  );

  /** `updates` merged into one state update, deleted content dropped (GC), as mergeToState. */
  async merge(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    const lengths = updates.map((update) => update.byteLength);
    const bytes = new Uint8Array(lengths.reduce((sum, length) => sum + length, 0));
    let at = 0;
    for (const update of updates) {
      bytes.set(update, at);
      at += update.byteLength;
    }
    return (await this.worker.request({ bytes: bytes.buffer, lengths }, [bytes.buffer])).state;
  }

  /** Ends the thread; merges in flight reject. */
  stop(): Promise<void> {
    return this.worker.stop();
  }
}
