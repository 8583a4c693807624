/**
 * PostgresPersistence: the DocPersistence of a scaled-out deployment (MIXDESK_DATABASE_URL),
 * each document's log as rows of `doc_updates` (BYTEA), shared by every relay process.
 *
 * Durability: `appendUpdate` resolves only after PostgreSQL has committed its row (and, with the
 * server's default synchronous_commit=on, flushed its WAL); the relay broadcasts an update only
 * after that. Appends are committed in batches, group commit on the client side: at most
 * APPEND_BATCHES statements are in flight, and appends that arrive meanwhile go together in the
 * next (one multi-row INSERT, at most APPEND_BATCH_ROWS rows). An idle relay sends each append
 * at once; a busy one sends fewer, larger commits. One INSERT per append held a connection per
 * commit: at 600 appends/s on a busy disk the pool could not keep up and bench:sync's p50 grew
 * to 2 s (1 process, PostgreSQL, 120 clients).
 *
 * Compaction is one transaction: it reads the rows of the document, merges them into one state
 * (the same GC'd state the SQLite store writes) on a worker thread (update-merge-worker.ts: a
 * merge of a long log takes a second or more, which on the event loop would hold every client
 * of the process), deletes exactly the ids it read and inserts the state. Deleting by id, not "up to the largest id", matters: ids come from
 * a sequence taken at INSERT, and a smaller id can commit after a larger one, so a range delete
 * could remove an append that committed while the merge ran and was never merged. A
 * transaction-level advisory lock per document keeps two processes from compacting one document
 * at once (both would read the same rows and the second's delete would remove nothing while
 * its insert duplicated the state; harmless for a CRDT but wasteful).
 */
import type pg from 'pg';
import { inTransaction } from '../postgres/pg-pool.ts';
import { migratePostgres } from '../postgres/migrations.ts';
import { CompactionQueue } from './compaction-queue.ts';
import type { DocPersistence } from './persistence.ts';
import { UpdateMergeWorker } from './update-merge-worker.ts';

export interface PostgresPersistenceOptions {
  /** The deployment's pool; not ended by close() (the server owns it). */
  pool: pg.Pool;
  /** Compact a document's log once this process has appended this many updates or bytes to it. */
  compactAfter?: { updates: number; bytes: number };
  /** Where background compaction failures go (default: stderr). */
  onError?: (error: unknown, docId: string) => void;
}

/** Append statements in flight at once; the rest of the pool serves loads, compactions and accounts. */
const APPEND_BATCHES = 4;
/** Rows per append statement (bounded, so one statement stays small). */
const APPEND_BATCH_ROWS = 500;

interface QueuedAppend {
  docId: string;
  data: Buffer;
  committed: () => void;
  failed: (error: unknown) => void;
}

/** First key of the two-key advisory lock taken by compactions (the second is the document's hash). */
const COMPACTION_LOCK = 0x636f_6d70; // 'comp'

export class PostgresPersistence implements DocPersistence {
  private readonly pool: pg.Pool;
  private readonly compactAfter: { updates: number; bytes: number };
  private readonly onError: (error: unknown, docId: string) => void;
  /** Growth of each document's log through this process since its last compaction here (no query per append). */
  private readonly growth = new Map<string, { updates: number; bytes: number }>();
  private readonly compactions = new CompactionQueue((docId) => this.track(() => this.runCompaction(docId)));
  private readonly merger = new UpdateMergeWorker();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly appendQueue: QueuedAppend[] = [];
  private appendBatchesInFlight = 0;
  private closed = false;

  /** Applies the schema's migrations first; use this rather than the constructor. */
  static async open(options: PostgresPersistenceOptions): Promise<PostgresPersistence> {
    await migratePostgres(options.pool);
    return new PostgresPersistence(options);
  }

  constructor(options: PostgresPersistenceOptions) {
    this.pool = options.pool;
    this.compactAfter = options.compactAfter ?? { updates: 1000, bytes: 4 * 1024 * 1024 };
    this.onError =
      options.onError ?? ((error, docId) => console.error(`relay: compaction of '${docId}' failed:`, error));
  }

  load(docId: string): Promise<Uint8Array[]> {
    return this.track(async () => {
      const result = await this.pool.query<{ data: Buffer }>(
        'SELECT data FROM doc_updates WHERE doc_id = $1 ORDER BY id',
        [docId],
      );
      return result.rows.map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
    });
  }

  appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    return this.track(async () => {
      await new Promise<void>((committed, failed) => {
        this.appendQueue.push({ docId, data: Buffer.from(update), committed, failed });
        this.sendAppends();
      });
      const size = this.growth.get(docId) ?? { updates: 0, bytes: 0 };
      size.updates++;
      size.bytes += update.byteLength;
      this.growth.set(docId, size);
      if (!this.closed && (size.updates > this.compactAfter.updates || size.bytes > this.compactAfter.bytes)) {
        this.compact(docId).catch((error: unknown) => this.onError(error, docId));
      }
    });
  }

  /** Sends what is queued, as many batches as may be in flight; each settles its own appends. */
  private sendAppends(): void {
    while (this.appendBatchesInFlight < APPEND_BATCHES && this.appendQueue.length > 0) {
      const batch = this.appendQueue.splice(0, APPEND_BATCH_ROWS);
      this.appendBatchesInFlight++;
      this.pool
        .query('INSERT INTO doc_updates (doc_id, data) SELECT * FROM unnest($1::text[], $2::bytea[])', [
          batch.map((a) => a.docId),
          batch.map((a) => a.data),
        ])
        .then(
          () => {
            for (const append of batch) append.committed();
          },
          (error: unknown) => {
            for (const append of batch) append.failed(error);
          },
        )
        .finally(() => {
          this.appendBatchesInFlight--;
          this.sendAppends();
        });
    }
  }

  /** Covers every append made before the call: one that finds a compaction running queues one more after it. */
  compact(docId: string): Promise<void> {
    return this.compactions.run(docId);
  }

  list(): Promise<string[]> {
    return this.track(async () => {
      const result = await this.pool.query<{ doc_id: string }>(
        'SELECT DISTINCT doc_id FROM doc_updates ORDER BY doc_id',
      );
      return result.rows.map((row) => row.doc_id);
    });
  }

  delete(docId: string): Promise<void> {
    return this.track(async () => {
      await this.pool.query('DELETE FROM doc_updates WHERE doc_id = $1', [docId]);
      this.growth.delete(docId);
    });
  }

  logSize(docId: string): Promise<{ updates: number; bytes: number }> {
    return this.track(async () => {
      const result = await this.pool.query<{ updates: number; bytes: number }>(
        'SELECT count(*) AS updates, coalesce(sum(octet_length(data)), 0)::bigint AS bytes FROM doc_updates WHERE doc_id = $1',
        [docId],
      );
      return result.rows[0] ?? { updates: 0, bytes: 0 };
    });
  }

  /** Waits for the work already started (appends resolve only after their commit); later calls reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compactions.settled();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.merger.stop();
  }

  private async runCompaction(docId: string): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [COMPACTION_LOCK, docId]);
      const rows = (
        await client.query<{ id: number; data: Buffer }>(
          'SELECT id, data FROM doc_updates WHERE doc_id = $1 ORDER BY id',
          [docId],
        )
      ).rows;
      if (rows.length <= 1) return;
      // The transaction (and its lock) stays open while the thread merges: the rows read are
      // exactly the rows deleted.
      const state = await this.merger.merge(rows.map((row) => row.data));
      await client.query('DELETE FROM doc_updates WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      await client.query('INSERT INTO doc_updates (doc_id, data) VALUES ($1, $2)', [docId, Buffer.from(state)]);
    });
    this.growth.delete(docId);
  }

  /** Runs `work` unless closed, and remembers it until it settles so close() can wait for it. */
  private track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('PostgresPersistence is closed'));
    const job = work();
    this.inFlight.add(job);
    void job.then(
      () => this.inFlight.delete(job),
      () => this.inFlight.delete(job),
    );
    return job;
  }
}
