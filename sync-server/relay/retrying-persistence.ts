/**
 * RetryingPersistence: a DocPersistence over a network database (PostgreSQL) that rides out a
 * short outage (a restart, a failover, a dropped connection) instead of failing the documents
 * that write meanwhile (issue 16).
 *
 * Without it the first failed append drops the document from memory and closes its
 * connections; clients reconnect at once into loads that fail too, over and over, and read
 * "Offline" although only the database is away. With it an append or a load that fails is
 * tried again with backoff for up to `retryForMs`: the connections stay open, nothing is
 * acknowledged (the relay acknowledges and broadcasts only after the commit), so each client
 * says "N changes waiting to upload" until the database is back, then everything commits in
 * order and is acknowledged. Past `retryForMs` the error goes up as before (the document is
 * dropped, its clients keep their changes and re-send them after reconnecting).
 *
 * Retrying an append is safe: if the first attempt committed but its answer was lost, the
 * update is stored twice, which a CRDT log ignores. Only appends and loads retry; compaction,
 * listing and deleting are background or admin work that reports its own failures.
 */
import type { DocPersistence } from './persistence.ts';

export interface RetryOptions {
  /** How long one operation is retried before its error goes up (default 20 s). */
  retryForMs?: number;
  /** First pause between tries, doubled up to `maxDelayMs` (defaults 100 ms, 1 s). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Told about each failed try that will be retried (log it, at most now and then). */
  onRetry?: (error: unknown, what: string) => void;
}

export class RetryingPersistence implements DocPersistence {
  private readonly retryForMs: number;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private closed = false;

  constructor(
    private readonly inner: DocPersistence,
    private readonly options: RetryOptions = {},
  ) {
    this.retryForMs = options.retryForMs ?? 20_000;
    this.firstDelayMs = options.firstDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
  }

  load(docId: string): Promise<Uint8Array[]> {
    return this.retry(() => this.inner.load(docId), `loading '${docId}'`);
  }

  appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    return this.retry(() => this.inner.appendUpdate(docId, update), `storing an update of '${docId}'`);
  }

  compact(docId: string): Promise<void> {
    return this.inner.compact(docId);
  }

  list(): Promise<string[]> {
    return this.inner.list();
  }

  delete(docId: string): Promise<void> {
    return this.inner.delete(docId);
  }

  logSize(docId: string): Promise<{ updates: number; bytes: number }> {
    return this.inner.logSize(docId);
  }

  /** Stops retrying (an operation waiting for its next try fails with its last error) and closes the store. */
  close(): Promise<void> {
    this.closed = true;
    return this.inner.close();
  }

  private async retry<T>(work: () => Promise<T>, what: string): Promise<T> {
    const deadline = Date.now() + this.retryForMs;
    let delay = this.firstDelayMs;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (this.closed || Date.now() + delay > deadline) throw error;
        this.options.onRetry?.(error, what);
        await new Promise((next) => setTimeout(next, delay));
        delay = Math.min(delay * 2, this.maxDelayMs);
      }
    }
  }
}
