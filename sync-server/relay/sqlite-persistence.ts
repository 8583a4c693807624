/**
 * SqlitePersistence: the embedded default DocPersistence, one SQLite file (better-sqlite3)
 * in the server's data folder.
 *
 * Durability: with `synchronous=NORMAL` (the default) an append is durable once its batch is
 * written to the update journal beside the database (update-journal.ts: one write(2), no
 * SQLite on the update's path); the rows reach the database in bulk on the writer thread
 * every INGEST_INTERVAL_MS, and the journal is replayed at start-up into a database that
 * lacks some of it. Either way the bytes are in the OS's page cache before `appendUpdate`
 * resolves, so an update the relay broadcast survives the relay being killed (SIGKILL, crash,
 * OOM); what NORMAL gives up is the fsync, so a power loss or kernel crash can lose the last
 * writes (never corrupt what came before). We accept that because every client keeps the
 * whole document itself (IndexedDB) and the sync handshake re-sends whatever the relay lacks
 * on reconnect. `synchronous: 'FULL'` has no journal: each batch is committed with an fsync
 * on the writer thread before its appends resolve, for deployments that want power-loss
 * durability on the server alone.
 *
 * Appends are written in batches: every append of one task (a socket read and the frames in
 * it), written when the task ends (a journal write is cheap enough not to wait for more; with
 * FULL, appends made during a commit form the next batch). Reads (load, list, logSize) and compaction
 * first wait until the appends made before them are in the database. WAL checkpoints run on
 * a thread of their own (wal-checkpointer.ts).
 *
 * Compaction: once a document's log has grown by `compactAfter` (updates or bytes) past its
 * base row (the last compacted state), its rows up to the current last sequence number are
 * merged into one state on a thread of its own (merge-worker.ts). The merge runs outside any
 * transaction; the swap (delete the merged rows, insert the state) is one transaction on the
 * writer thread bounded by that sequence number, so appends made meanwhile are kept.
 */
import Database from 'better-sqlite3';
import { CompactionQueue } from './compaction-queue.ts';
import { MergeWorker } from './merge-worker.ts';
import type { DocPersistence } from './persistence.ts';
import { lockDatabase } from './database-lock.ts';
import { startSqliteWriter, type LogGrowth, type SqliteWriter } from './sqlite-writer.ts';
import { JournalWriter, replayUpdateJournal, type JournalMark } from './update-journal.ts';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';

export interface SqlitePersistenceOptions {
  /** Path of the database file (created when missing). */
  file: string;
  /** `NORMAL` (default): durable in the journal, in the page cache; `FULL` fsyncs each commit. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Compact a document's log when it has more updates or bytes than this. */
  compactAfter?: { updates: number; bytes: number };
  /** Where background compaction failures go (default: stderr). */
  onError?: (error: unknown, docId: string) => void;
  /** Journal file size at which a new generation starts (default ROTATE_BYTES; tests use a small one). */
  journalRotateBytes?: number;
}

/**
 * How often the journal's new records are taken into the database. A commit costs ~35 µs of
 * the writer thread whatever it holds; a row costs less the more rows a commit holds, because
 * a document's rows then sit together on the index's pages (SQLite, 100 documents, rows of 70
 * bytes: 7.4 µs a row at 625 rows a commit, 5.6 µs at 2,500, 4.5 µs at 10,000). Under
 * bench:sync (2,500 updates/s) a second makes batches of 2,500 rows; at a quarter of a second
 * the writer thread took 1.6% of a core, at two seconds 1.4%. Reads never wait for it: they
 * take the journal in at once (drain).
 */
const INGEST_INTERVAL_MS = 1000;

/** Take the journal in at once when this many rows wait, whatever the interval. */
const INGEST_BATCH_ROWS = 8192;

/**
 * Appends are not written (so not acknowledged: the clients show "waiting to upload") while
 * this many bytes of the journal wait to be taken into the database, which only happens when
 * the database keeps failing: memory stays bounded, and nothing is lost (the journal and the
 * clients keep it).
 */
const MAX_WAITING_BYTES = 64 * 1024 * 1024;

/** After a failed commit of journal rows, try again after this long. */
const INGEST_RETRY_MS = 1000;

interface PendingAppend {
  docId: string;
  update: Uint8Array;
  done: () => void;
  fail: (e: unknown) => void;
}

/** An append handed to the writer thread (FULL): it resolves once committed. */
interface IngestRow {
  docId: string;
  update: Uint8Array;
  settle: { done: () => void; fail: (e: unknown) => void };
}

export class SqlitePersistence implements DocPersistence {
  private readonly db: Database.Database;
  private readonly compactAfter: { updates: number; bytes: number };
  private readonly onError: (error: unknown, docId: string) => void;
  /** Appends not yet written (journal) or handed to the writer (FULL). */
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** The journal (NORMAL); null with FULL, where appends go straight to the writer. */
  private readonly journal: JournalWriter | null;
  /** FULL: appends flushed and not yet committed. */
  private toIngest: IngestRow[] = [];
  /**
   * NORMAL: appends written to the journal and not yet in the database, between `ingestedMark`
   * and `lastMark`. Only counts are kept: the writer thread reads the records back from the
   * journal (SqliteWriter.ingestJournal), so the event loop holds no update once it is written.
   */
  private journaled = { rows: 0, bytes: 0 };
  /** The journal mark the database has taken in up to, and the mark just past the last write. */
  private ingestedMark: JournalMark | null = null;
  private lastMark: JournalMark | null = null;
  /** True while a batch is being committed by the writer thread. */
  private ingesting = false;
  private ingestTimer: ReturnType<typeof setTimeout> | null = null;
  /** Appends handed in, and appends that reached the database or failed (in order). */
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
  private readonly checkpointer: WalCheckpointer;
  /** Releases the database's one-process lock (database-lock.ts). */
  private readonly unlock: () => void;
  private readonly sql: {
    load: Database.Statement<[string], { seq: number; data: Buffer }>;
    size: Database.Statement<[string], { updates: number; bytes: number | null }>;
    baseBytes: Database.Statement<[string], { bytes: number }>;
    list: Database.Statement<[], { doc_id: string }>;
    deleteDoc: Database.Statement<[string]>;
  };

  constructor(options: SqlitePersistenceOptions) {
    this.unlock = lockDatabase(options.file);
    try {
      this.db = new Database(options.file);
    } catch (error) {
      this.unlock();
      throw error;
    }
    try {
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
      // Whatever a killed relay left in the journal goes into the database before anything is read.
      const { nextGeneration, replayed } = replayUpdateJournal(this.db, options.file, (message) =>
        this.onError(new Error(message), '(journal)'),
      );
      if (replayed > 0) console.error(`relay: took ${replayed} updates from the journal into ${options.file}`);
      this.journal =
        synchronous === 'NORMAL' ? new JournalWriter(options.file, nextGeneration, options.journalRotateBytes) : null;
      this.ingestedMark = this.lastMark = this.journal?.start ?? null;
      this.checkpointer = startWalCheckpointer(options.file, 1000, (error) => this.onError(error, '(checkpoint)'));
      this.sql = {
        load: this.db.prepare('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq'),
        size: this.db.prepare(
          'SELECT count(*) AS updates, sum(length(data)) AS bytes FROM doc_updates WHERE doc_id = ?',
        ),
        baseBytes: this.db.prepare(
          'SELECT length(data) AS bytes FROM doc_updates WHERE doc_id = ? ORDER BY seq LIMIT 1',
        ),
        list: this.db.prepare('SELECT DISTINCT doc_id FROM doc_updates ORDER BY doc_id'),
        deleteDoc: this.db.prepare('DELETE FROM doc_updates WHERE doc_id = ?'),
      };
      this.merger = new MergeWorker(options.file);
      this.writer = startSqliteWriter(options.file, synchronous, (error) => this.onError(error, '(writer)'));
    } catch (error) {
      this.db.close();
      this.unlock();
      throw error;
    }
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
      if (!this.flushScheduled) {
        // The appends of one task (one socket read: every frame in it) go as one batch when
        // the task ends. Not at the end of the event-loop turn (setImmediate): a turn reads
        // every socket that is ready, so each update then waited for all the others of the
        // turn before its broadcast. Under bench:sync that was the relay's latency tail (time
        // from accepting an update to broadcasting it: p50 6.9 ms, p99 320 ms on a loaded
        // machine, against 0.02 and 3 ms without the batching); a write(2) per read costs ~3 µs.
        this.flushScheduled = true;
        process.nextTick(() => this.flush());
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
    if (this.ingestTimer !== null) clearTimeout(this.ingestTimer);
    // Only appends held back while the database kept failing can be left; they were never acknowledged.
    for (const item of this.pending.splice(0))
      item.fail(new Error('SqlitePersistence closed before the append was stored'));
    await this.merger.stop();
    await this.writer.stop().catch((error) => this.onError(error, '(writer)'));
    // The journal files go only when the database has every record in them.
    this.journal?.close(this.waitingRows() === 0 && this.pending.length === 0);
    await this.checkpointer.stop();
    this.db.close();
    this.unlock();
  }

  /**
   * Resolves once every append made before the call is in the database (or failed, or the
   * database is failing: a read then sees what is there). Appends made later are not waited
   * for, so a read never starves under a steady stream of writes.
   */
  private drain(): Promise<void> {
    const target = this.appended;
    if (this.settledCount >= target) return Promise.resolve();
    return new Promise<void>((done) => {
      this.drainWaiters.push({ target, done });
      this.flush();
      this.ingest();
    });
  }

  /**
   * Writes every queued append to the journal as one batch and acknowledges them (NORMAL), or
   * queues them for the writer thread, which acknowledges them after its commit (FULL).
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    if (this.journal && this.journaled.bytes > MAX_WAITING_BYTES) return; // taken up again after an ingest
    const batch = this.pending;
    this.pending = [];
    if (!this.journal) {
      for (const { docId, update, done, fail } of batch) this.toIngest.push({ docId, update, settle: { done, fail } });
      this.ingest();
      return;
    }
    try {
      this.lastMark = this.journal.append(batch);
    } catch (error) {
      const failure = new Error(`writing the update journal failed: ${String(error)}`);
      for (const item of batch) item.fail(failure);
      this.settle(batch.length);
      return;
    }
    for (const { update, done } of batch) {
      done();
      this.journaled.rows++;
      this.journaled.bytes += update.byteLength;
    }
    if (this.journaled.rows >= INGEST_BATCH_ROWS || this.drainWaiters.length > 0) this.ingest();
    else this.ingestTimer ??= setTimeout(() => this.ingest(), INGEST_INTERVAL_MS);
  }

  /** Appends flushed (journaled, or handed over with FULL) and not yet in the database. */
  private waitingRows(): number {
    return this.journal ? this.journaled.rows : this.toIngest.length;
  }

  /** Commits every row waiting for the database, on the writer thread; one batch in flight at a time. */
  private ingest(): void {
    if (this.ingestTimer !== null) clearTimeout(this.ingestTimer);
    this.ingestTimer = null;
    if (this.ingesting || this.waitingRows() === 0 || this.closed) return;
    this.ingesting = true;
    const committed = this.journal ? this.ingestJournal(this.journal) : this.ingestRows();
    void committed.finally(() => {
      this.ingesting = false;
      if (this.pending.length > 0 && !this.flushScheduled) this.flush();
      if (this.waitingRows() === 0) return;
      if (!this.journal || this.drainWaiters.length > 0 || this.waitingRows() >= INGEST_BATCH_ROWS) this.ingest();
      else this.ingestTimer ??= setTimeout(() => this.ingest(), INGEST_INTERVAL_MS);
    });
  }

  /** NORMAL: the writer thread takes the journal in from the database's mark to the last write. */
  private async ingestJournal(journal: JournalWriter): Promise<void> {
    const taken = this.journaled;
    const from = this.ingestedMark!;
    const to = this.lastMark!;
    this.journaled = { rows: 0, bytes: 0 };
    let growth: LogGrowth;
    try {
      growth = await this.writer.ingestJournal(journal.spans(from, to), to);
    } catch (error) {
      // The rows are safe in the journal: the next attempt reads the same span again, and
      // reads waiting for them see what the database has meanwhile.
      this.onError(error, '(writer)');
      this.journaled.rows += taken.rows;
      this.journaled.bytes += taken.bytes;
      this.wakeDrainWaiters(Infinity);
      this.ingestTimer ??= setTimeout(() => this.ingest(), INGEST_RETRY_MS);
      return;
    }
    // Committed with its mark, so never to be read again; a count that differs is a bug to report.
    const rows = growth.reduce((sum, [, added]) => sum + added, 0);
    if (rows !== taken.rows)
      this.onError(new Error(`took ${rows} rows in from the journal; ${taken.rows} were written`), '(writer)');
    this.ingestedMark = to;
    journal.removeBefore(to);
    this.settle(taken.rows);
    this.grew(growth);
  }

  /** FULL: the rows go to the writer thread, and each append resolves with their commit. */
  private async ingestRows(): Promise<void> {
    const batch = this.toIngest;
    this.toIngest = [];
    let growth: LogGrowth;
    try {
      growth = await this.writer.commit(
        batch.map((row) => row.docId),
        batch.map((row) => row.update),
        null,
      );
    } catch (error) {
      for (const row of batch) row.settle.fail(error);
      this.settle(batch.length);
      return;
    }
    for (const row of batch) row.settle.done();
    this.settle(batch.length);
    this.grew(growth);
  }

  /** `count` more appends reached the database or failed. */
  private settle(count: number): void {
    this.settledCount += count;
    this.wakeDrainWaiters(this.settledCount);
  }

  private wakeDrainWaiters(upTo: number): void {
    const ready = this.drainWaiters.filter((waiter) => waiter.target <= upTo);
    this.drainWaiters = this.drainWaiters.filter((waiter) => waiter.target > upTo);
    for (const waiter of ready) waiter.done();
  }

  /** Tallies the rows now in the database, and compacts the documents that grew past `compactAfter`. */
  private grew(growth: LogGrowth): void {
    for (const [docId, rows, bytes] of growth) {
      let size = this.sizes.get(docId);
      if (!size) {
        // Counted from the database, which has these rows already.
        size = this.growthNow(docId);
        this.sizes.set(docId, size);
      } else {
        size.updates += rows;
        size.bytes += bytes;
      }
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
