/**
 * SqlitePersistence: the embedded default DocPersistence, one SQLite file (better-sqlite3)
 * in the server's data folder.
 *
 * Durability: WAL journal with `synchronous=FULL` by default, so a commit is on disk (fsync of
 * the WAL) before `appendUpdate` resolves and survives power loss as well as SIGKILL. To keep
 * that affordable under load, appends are group-committed: every append made during one turn
 * of the event loop goes into one transaction (one fsync), and all their promises resolve
 * after it. `synchronous: 'NORMAL'` skips that fsync (still safe against a process crash,
 * which only loses nothing because the WAL is in the OS page cache) for machines with slow
 * disks.
 *
 * Compaction: once a document's log passes `compactAfter` (updates or bytes), its rows up to
 * the current last sequence number are merged into one state in the background. The merge
 * runs outside any transaction; the swap (delete the merged rows, insert the state) is one
 * transaction bounded by that sequence number, so appends made meanwhile are kept.
 *
 * Threading: one instance per process; better-sqlite3 is synchronous, so each call runs to
 * completion on the event loop. Other processes may open the same file (WAL, busy timeout).
 */
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { DocPersistence } from './persistence.ts';

export interface SqlitePersistenceOptions {
  /** Path of the database file (created when missing). */
  file: string;
  /** `FULL` (default) fsyncs each group commit; `NORMAL` relies on the OS to write the WAL. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Compact a document's log when it has more updates or bytes than this. */
  compactAfter?: { updates: number; bytes: number };
  /** Where background compaction failures go (default: stderr). */
  onError?: (error: unknown, docId: string) => void;
}

interface PendingAppend { docId: string; update: Uint8Array; done: () => void; fail: (e: unknown) => void }

/** Merges a list of updates into one state update, dropping deleted content (GC). */
export function mergeToState(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => { for (const update of updates) Y.applyUpdate(doc, update); });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

export class SqlitePersistence implements DocPersistence {
  private readonly db: Database.Database;
  private readonly compactAfter: { updates: number; bytes: number };
  private readonly onError: (error: unknown, docId: string) => void;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly compacting = new Map<string, Promise<void>>();
  private closed = false;
  private readonly sql: {
    insert: Database.Statement<[string, Uint8Array]>;
    load: Database.Statement<[string], { seq: number; data: Buffer }>;
    size: Database.Statement<[string], { updates: number; bytes: number | null }>;
    list: Database.Statement<[], { doc_id: string }>;
    deleteDoc: Database.Statement<[string]>;
    deleteUpTo: Database.Statement<[string, number]>;
  };
  private readonly insertBatch: (batch: PendingAppend[]) => void;
  private readonly swapCompacted: (docId: string, upTo: number, state: Uint8Array) => void;

  constructor(options: SqlitePersistenceOptions) {
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS doc_updates (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON doc_updates (doc_id, seq);`);
    this.compactAfter = options.compactAfter ?? { updates: 1000, bytes: 4 * 1024 * 1024 };
    this.onError = options.onError ?? ((error, docId) => console.error(`relay: compaction of '${docId}' failed:`, error));
    this.sql = {
      insert: this.db.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)'),
      load: this.db.prepare('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq'),
      size: this.db.prepare('SELECT count(*) AS updates, sum(length(data)) AS bytes FROM doc_updates WHERE doc_id = ?'),
      list: this.db.prepare('SELECT DISTINCT doc_id FROM doc_updates ORDER BY doc_id'),
      deleteDoc: this.db.prepare('DELETE FROM doc_updates WHERE doc_id = ?'),
      deleteUpTo: this.db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?'),
    };
    this.insertBatch = this.db.transaction((batch: PendingAppend[]) => {
      for (const item of batch) this.sql.insert.run(item.docId, item.update);
    });
    this.swapCompacted = this.db.transaction((docId: string, upTo: number, state: Uint8Array) => {
      this.sql.deleteUpTo.run(docId, upTo);
      this.sql.insert.run(docId, state);
    });
  }

  load(docId: string): Promise<Uint8Array[]> {
    return this.guard(() => {
      this.flush();
      return this.sql.load.all(docId).map((row) => new Uint8Array(row.data));
    });
  }

  appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('SqlitePersistence is closed'));
    return new Promise<void>((done, fail) => {
      this.pending.push({ docId, update, done, fail });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  compact(docId: string): Promise<void> {
    const running = this.compacting.get(docId);
    if (running) return running;
    const job = this.runCompaction(docId).finally(() => this.compacting.delete(docId));
    this.compacting.set(docId, job);
    return job;
  }

  list(): Promise<string[]> {
    return this.guard(() => { this.flush(); return this.sql.list.all().map((row) => row.doc_id); });
  }

  delete(docId: string): Promise<void> {
    return this.guard(() => { this.flush(); this.sql.deleteDoc.run(docId); });
  }

  logSize(docId: string): Promise<{ updates: number; bytes: number }> {
    return this.guard(() => this.sizeNow(docId));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await Promise.allSettled([...this.compacting.values()]);
    this.db.close();
  }

  /** Commits every queued append in one transaction, then resolves their promises. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.insertBatch(batch);
    } catch (error) {
      for (const item of batch) item.fail(error);
      return;
    }
    for (const item of batch) item.done();
    const touched = new Set(batch.map((item) => item.docId));
    for (const docId of touched) {
      const size = this.sizeNow(docId);
      if (size.updates > this.compactAfter.updates || size.bytes > this.compactAfter.bytes) {
        this.compact(docId).catch((error) => this.onError(error, docId));
      }
    }
  }

  private async runCompaction(docId: string): Promise<void> {
    if (this.closed) return;
    this.flush();
    const rows = this.sql.load.all(docId);
    const last = rows[rows.length - 1];
    if (rows.length < 2 || !last) return;
    // Yield a full event-loop turn so that appends may land while we merge: they get higher
    // sequence numbers and are left alone by the bounded delete below.
    await new Promise<void>((next) => setTimeout(next, 0));
    const state = mergeToState(rows.map((row) => new Uint8Array(row.data)));
    if (this.closed) return;
    this.swapCompacted(docId, last.seq, state);
  }

  private sizeNow(docId: string): { updates: number; bytes: number } {
    const row = this.sql.size.get(docId);
    return { updates: row?.updates ?? 0, bytes: row?.bytes ?? 0 };
  }

  private guard<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('SqlitePersistence is closed'));
    try { return Promise.resolve(work()); } catch (error) { return Promise.reject(error); }
  }
}
