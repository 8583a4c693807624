/**
 * SqlitePersistence: the embedded default DocPersistence, one SQLite file (better-sqlite3)
 * in the server's data folder.
 *
 * Durability: WAL journal, `synchronous=NORMAL` by default. A commit has then been written
 * (write(2)) into the WAL before `appendUpdate` resolves, so an update the relay broadcast
 * survives the relay being killed (SIGKILL, crash, OOM): the OS writes the page cache out
 * anyway. What NORMAL gives up is the fsync per commit, so a power loss or kernel crash can
 * lose the last commits (never corrupt the file). We accept that because every client keeps
 * the whole document itself (IndexedDB) and the sync handshake re-sends whatever the relay
 * lacks on reconnect. `synchronous: 'FULL'` adds the fsync for deployments that want
 * power-loss durability on the server alone.
 *
 * Appends are committed in batches, one in flight at a time, at most one per COMMIT_SPACING_MS
 * while they keep coming: appends made meanwhile form the next batch, so one commit (and, with
 * FULL, one fsync) serves many updates. With NORMAL the commit runs on the event loop (a write
 * into the page cache; sqlite-inline-writer.ts says why), with FULL on a worker thread so an
 * fsync never stalls the event loop (sqlite-writer.ts). WAL checkpoints run on a thread of
 * their own (wal-checkpointer.ts). Reads and compaction swaps use a connection on the main
 * thread, after waiting for the appends made before them.
 *
 * Compaction: once a document's log has grown by `compactAfter` (updates or bytes) past its
 * base row (the last compacted state), its rows up to the current last sequence number are
 * merged into one state on a thread of its own (merge-worker.ts). The merge runs outside any
 * transaction; the swap (delete the merged rows, insert the state) is one
 * transaction bounded by that sequence number, so appends made meanwhile are kept.
 */
import Database from 'better-sqlite3';
import { CompactionQueue } from './compaction-queue.ts';
import { MergeWorker } from './merge-worker.ts';
import type { DocPersistence } from './persistence.ts';
import { inlineSqliteWriter } from './sqlite-inline-writer.ts';
import { startSqliteWriter, type SqliteWriter } from './sqlite-writer.ts';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';

export interface SqlitePersistenceOptions {
  /** Path of the database file (created when missing). */
  file: string;
  /** `NORMAL` (default) relies on the OS to write the WAL out; `FULL` fsyncs each commit. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Compact a document's log when it has more updates or bytes than this. */
  compactAfter?: { updates: number; bytes: number };
  /** Where background compaction failures go (default: stderr). */
  onError?: (error: unknown, docId: string) => void;
}

/**
 * Appends commit at most once per this many ms while they keep coming; the first
 * append after a quiet spell commits on the next event-loop turn. Why: a commit costs ~35 µs
 * of CPU whatever it holds and a row ~5 µs, so at 2,500 updates/s one commit per update was
 * ~10% of a core; spaced by 1 ms, a commit holds a few updates. The cost is at most 1 ms more
 * before an update of a busy relay is broadcast (drain(), used by reads, never waits).
 */
const COMMIT_SPACING_MS = 1;

interface PendingAppend {
  docId: string;
  update: Uint8Array;
  done: () => void;
  fail: (e: unknown) => void;
}

export class SqlitePersistence implements DocPersistence {
  private readonly db: Database.Database;
  private readonly compactAfter: { updates: number; bytes: number };
  private readonly onError: (error: unknown, docId: string) => void;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** True while a batch is being committed by the writer thread. */
  private busy = false;
  /** Appends handed in, and appends whose commit finished (batches settle in order). */
  private appended = 0;
  private settledCount = 0;
  private drainWaiters: { target: number; done: () => void }[] = [];
  private closing = false;
  private readonly writer: SqliteWriter;
  private readonly compactions = new CompactionQueue((docId) => this.runCompaction(docId));
  private readonly merger: MergeWorker;
  /**
   * Growth of each document's log since its base row (the oldest: the last compacted state),
   * kept in memory so appends cost no query. The base is left out so that a document whose
   * compacted state alone passes `compactAfter.bytes` is not compacted again on every append.
   */
  private readonly sizes = new Map<string, { updates: number; bytes: number }>();

  private closed = false;
  /** When the last batch went to the writer (performance.now()), for COMMIT_SPACING_MS. */
  private lastCommitAt = -Infinity;
  private readonly checkpointer: WalCheckpointer;
  private readonly sql: {
    insert: Database.Statement<[string, Uint8Array]>;
    load: Database.Statement<[string], { seq: number; data: Buffer }>;
    size: Database.Statement<[string], { updates: number; bytes: number | null }>;
    baseBytes: Database.Statement<[string], { bytes: number }>;
    list: Database.Statement<[], { doc_id: string }>;
    deleteDoc: Database.Statement<[string]>;
  };

  constructor(options: SqlitePersistenceOptions) {
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    const synchronous = options.synchronous ?? 'NORMAL';
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    // Checkpoints run on their own thread; this is only the fallback should it stop.
    this.db.pragma('wal_autocheckpoint = 50000');
    this.db.pragma('journal_size_limit = 67108864');
    this.db.exec(`CREATE TABLE IF NOT EXISTS doc_updates (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON doc_updates (doc_id, seq);`);
    this.compactAfter = options.compactAfter ?? { updates: 1000, bytes: 4 * 1024 * 1024 };
    this.onError =
      options.onError ?? ((error, docId) => console.error(`relay: compaction of '${docId}' failed:`, error));
    this.checkpointer = startWalCheckpointer(options.file, 1000, (error) => this.onError(error, '(checkpoint)'));
    this.sql = {
      insert: this.db.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)'),
      load: this.db.prepare('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq'),
      size: this.db.prepare('SELECT count(*) AS updates, sum(length(data)) AS bytes FROM doc_updates WHERE doc_id = ?'),
      baseBytes: this.db.prepare('SELECT length(data) AS bytes FROM doc_updates WHERE doc_id = ? ORDER BY seq LIMIT 1'),
      list: this.db.prepare('SELECT DISTINCT doc_id FROM doc_updates ORDER BY doc_id'),
      deleteDoc: this.db.prepare('DELETE FROM doc_updates WHERE doc_id = ?'),
    };
    this.merger = new MergeWorker(options.file);
    this.writer =
      synchronous === 'FULL'
        ? startSqliteWriter(options.file, synchronous, (error) => this.onError(error, '(writer)'))
        : inlineSqliteWriter(this.db);
  }

  async load(docId: string): Promise<Uint8Array[]> {
    await this.drain();
    return this.guard(() => this.sql.load.all(docId).map((row) => new Uint8Array(row.data)));
  }

  appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    if (this.closed || this.closing) return Promise.reject(new Error('SqlitePersistence is closed'));
    return new Promise<void>((done, fail) => {
      this.pending.push({ docId, update, done, fail });
      this.appended++;
      if (!this.flushScheduled && !this.busy) {
        this.flushScheduled = true;
        const wait = this.lastCommitAt + COMMIT_SPACING_MS - performance.now();
        if (wait > 0) setTimeout(() => this.flush(), wait);
        else setImmediate(() => this.flush());
      }
    });
  }

  /** Covers every append made before the call: one that finds a merge running queues one more after it. */
  compact(docId: string): Promise<void> {
    return this.compactions.run(docId);
  }

  async list(): Promise<string[]> {
    await this.drain();
    return this.guard(() => this.sql.list.all().map((row) => row.doc_id));
  }

  async delete(docId: string): Promise<void> {
    await this.drain();
    return this.guard(() => {
      this.sql.deleteDoc.run(docId);
      this.sizes.delete(docId);
    });
  }

  async logSize(docId: string): Promise<{ updates: number; bytes: number }> {
    await this.drain();
    return this.guard(() => this.sizeNow(docId));
  }

  async close(): Promise<void> {
    if (this.closed || this.closing) return;
    this.closing = true;
    await this.drain();
    await this.compactions.settled();
    this.closed = true;
    await this.merger.stop();
    await this.writer.stop().catch((error) => this.onError(error, '(writer)'));
    await this.checkpointer.stop();
    this.db.close();
  }

  /**
   * Resolves once every append made before the call is committed (or failed). Appends made
   * later are not waited for, so a read never starves under a steady stream of writes.
   */
  private drain(): Promise<void> {
    const target = this.appended;
    if (this.settledCount >= target) return Promise.resolve();
    if (!this.busy && !this.flushScheduled) this.flush();
    return new Promise<void>((done) => this.drainWaiters.push({ target, done }));
  }

  /** Hands every queued append to the writer thread as one transaction, unless one is in flight. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.busy || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.busy = true;
    this.lastCommitAt = performance.now();
    void this.writer
      .commit(
        batch.map((item) => item.docId),
        batch.map((item) => item.update),
      )
      .then(
        () => this.committed(batch),
        (error: unknown) => {
          for (const item of batch) item.fail(error);
        },
      )
      .finally(() => {
        this.busy = false;
        this.settledCount += batch.length;
        const ready = this.drainWaiters.filter((waiter) => waiter.target <= this.settledCount);
        this.drainWaiters = this.drainWaiters.filter((waiter) => waiter.target > this.settledCount);
        for (const waiter of ready) waiter.done();
        if (this.pending.length > 0) this.flush();
      });
  }

  private committed(batch: PendingAppend[]): void {
    for (const item of batch) item.done();
    const touched = new Set<string>();
    for (const item of batch) {
      let size = this.sizes.get(item.docId);
      if (!size) {
        size = this.growthNow(item.docId);
        this.sizes.set(item.docId, size);
      } else {
        size.updates++;
        size.bytes += item.update.byteLength;
      }
      touched.add(item.docId);
    }
    for (const docId of touched) {
      const size = this.sizes.get(docId)!;
      if (size.updates > this.compactAfter.updates || size.bytes > this.compactAfter.bytes) {
        this.compact(docId).catch((error) => this.onError(error, docId));
      }
    }
  }

  private async runCompaction(docId: string): Promise<void> {
    if (this.closed) return;
    await this.drain();
    if (this.closed) return;
    // Read and merge on the merge thread, swap on the writer thread: a large document takes
    // seconds to merge and tens of ms to read and write, which the event loop must not wait.
    // Appends made meanwhile get higher sequence numbers and are left alone by the bounded swap.
    const merged = await this.merger.merge(docId);
    if (this.closed || !merged) return;
    await this.writer.swap(docId, merged.upTo, merged.state);
    if (this.closed) return;
    this.sizes.set(docId, this.growthNow(docId));
  }

  private sizeNow(docId: string): { updates: number; bytes: number } {
    const row = this.sql.size.get(docId);
    return { updates: row?.updates ?? 0, bytes: row?.bytes ?? 0 };
  }

  /** The log's size without its base row (see `sizes`). */
  private growthNow(docId: string): { updates: number; bytes: number } {
    const size = this.sizeNow(docId);
    if (size.updates === 0) return size;
    return { updates: size.updates - 1, bytes: size.bytes - (this.sql.baseBytes.get(docId)?.bytes ?? 0) };
  }

  private guard<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SqlitePersistence is closed'));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
