/**
 * WalCheckpointer: runs SQLite's WAL checkpoints on a worker thread, so the relay's event loop
 * never waits for them.
 *
 * Why: with better-sqlite3 every call is synchronous, and SQLite's automatic checkpoint runs
 * inside whichever commit pushes the WAL past its threshold; it copies the WAL into the
 * database and fsyncs it. Measured at 2,500 appends/s on a busy disk, that one commit stalled
 * the event loop for up to 330 ms (p99 of commit time 1.9 ms); with the checkpoints on their
 * own thread the worst commit took 32 ms and p99 0.26 ms. The relay's connection keeps a high
 * `wal_autocheckpoint` only as a fallback should this thread die.
 *
 * The worker's source is a small CommonJS string (`eval: true`): a worker thread does not get
 * the TypeScript loader the CLI registers with tsx, and this code needs nothing from ours.
 * PASSIVE checkpoints never block the relay's writes; SQLite lets one connection checkpoint
 * while another appends to the WAL.
 *
 * How often: once a second at most, and only when the WAL file changed since the last one (a
 * stat, no SQLite call). Every 250 ms cost about a tenth of the relay's CPU under bench:sync
 * (each checkpoint copies pages and fsyncs the database); a page rewritten many times within
 * a second is now copied once. The WAL between checkpoints stays a few MB at most.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const { statSync } = require('node:fs');
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
let checkpointedAt = -1;
const walChangedAt = () => { try { return statSync(workerData.file + '-wal').mtimeMs; } catch { return -1; } };
const timer = setInterval(() => {
  const changed = walChangedAt();
  if (changed === checkpointedAt) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); checkpointedAt = changed; } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.postMessage('stopped');
});
`;

export interface WalCheckpointer {
  /** Runs a last checkpoint and ends the thread. */
  stop(): Promise<void>;
}

export function startWalCheckpointer(
  file: string,
  intervalMs: number,
  onError: (error: unknown) => void,
): WalCheckpointer {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, betterSqlite3 } });
  worker.unref();
  let stopped = false;
  worker.on('error', onError);
  worker.on('message', (message: string) => {
    if (message !== 'stopped') onError(new Error(`WAL checkpoint failed: ${message}`));
  });
  return {
    stop() {
      if (stopped) return Promise.resolve();
      stopped = true;
      return new Promise<void>((done) => {
        worker.once('exit', () => done());
        worker.once('message', () => void worker.terminate());
        worker.postMessage('stop');
      });
    },
  };
}
