/**
 * One analysis worker behind comlink, with the way it fails made visible: `died` rejects when
 * the worker reports an error (it could not start, or it crashed), so a call racing it never
 * hangs. `restart()` replaces a stuck or dead worker.
 */
import { wrap, type Remote } from 'comlink';
import type { AnalysisWorkerApi } from './analysis-api.ts';

export class WorkerSlot {
  private worker: Worker | null = null;
  remote: Remote<AnalysisWorkerApi> | null = null;
  died: Promise<never> = new Promise<never>(() => {});

  constructor(private readonly make: () => Worker | null) {
    this.start();
  }

  private start(): void {
    try {
      const worker = this.make();
      if (!worker) return;
      this.worker = worker;
      this.remote = wrap<AnalysisWorkerApi>(worker);
      this.died = new Promise<never>((_, reject) => worker.addEventListener('error', (e) => reject(new Error(e.message || 'the analysis worker failed to start'))));
      this.died.catch(() => {});
    } catch {
      this.stop();
    }
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }

  restart(): void {
    this.stop();
    this.start();
  }

  /** Runs `call` in this worker; a worker failure rejects with an error whose message mentions the worker. */
  run<T>(call: (api: AnalysisWorkerApi) => Promise<T>): Promise<T> {
    if (!this.remote) return Promise.reject(new Error('no analysis worker'));
    // comlink's Remote<> type distributes badly over the outcome unions; the calls are the API's.
    return Promise.race([call(this.remote as unknown as AnalysisWorkerApi), this.died]);
  }
}

/** True for errors that mean "the worker is gone", as opposed to an answer from it. */
export function isWorkerFailure(error: unknown): boolean {
  return error instanceof Error && /worker/i.test(error.message);
}
