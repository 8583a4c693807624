/**
 * RequestWorker: a worker thread asked one question at a time by id, answered in replies that
 * carry the same id; the plumbing the relay's merge workers share (merge-worker.ts for SQLite,
 * update-merge-worker.ts for PostgreSQL).
 *
 * Threading: the thread is started on the first request from `source` (CommonJS, `eval: true`:
 * a worker thread does not get the TypeScript loader the CLI registers) and keeps the process
 * alive only while a request is in flight. Its source must answer every `{ id, ... }` message
 * with `{ id, ok: true, ... }` or `{ id, ok: false, error }`. If the thread dies, every request
 * in flight rejects and the next request starts a new one.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';

/** A reply as the thread sends it: `ok` with the answer's fields, or not with `error`. */
export interface WorkerReply {
  id: number;
  ok: boolean;
  error?: string;
}

export class RequestWorker<Reply extends WorkerReply> {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { done: (reply: Reply) => void; fail: (error: Error) => void }>();
  private nextId = 0;

  constructor(
    private readonly source: string,
    private readonly workerData: unknown,
    /** Names the work in the error of a failed request ("merging updates failed: ..."). */
    private readonly what: string,
  ) {}

  /** Sends `message` (plus its id) and resolves with the thread's `ok` reply. */
  request(message: Record<string, unknown>, transfer: TransferListItem[] = []): Promise<Reply> {
    const worker = this.worker ?? this.start();
    return new Promise((done, fail) => {
      const id = this.nextId++;
      this.waiting.set(id, { done, fail });
      worker.ref(); // keep the process up while a request is in flight
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Ends the thread; requests in flight reject. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll(new Error(`${this.what}: worker stopped`));
  }

  private start(): Worker {
    const worker = new Worker(this.source, { eval: true, workerData: this.workerData });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const entry = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.ok) entry?.done(reply);
      else entry?.fail(new Error(`${this.what} failed: ${reply.error}`));
    });
    const gone = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(error);
    };
    worker.on('error', gone);
    worker.on('exit', () => gone(new Error(`${this.what}: worker exited`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const entry of this.waiting.values()) entry.fail(error);
    this.waiting.clear();
  }
}
