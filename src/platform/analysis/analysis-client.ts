/**
 * Main-thread side of the analysis: `analyse(file)` runs in a Web Worker behind comlink and
 * returns a handle with the outcome and a `cancel()`. Progress (0-100) arrives through a
 * comlink.proxy callback. WAV, AIFF and FLAC are read by the worker slice by slice; compressed
 * formats are first decoded by the browser here (OfflineAudioContext is main-thread only) at
 * the header's sample rate, then the decoded channels are transferred to the worker.
 * When a Worker cannot start, the same code runs on the main thread, so callers see no
 * difference but `usesWorker`.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { AnalysisOutcome, AnalysisWorkerApi, ProgressCallback } from './analysis-api.ts';
import { CannotDecodeHereError, decodeInBrowser } from './browser-decode.ts';
import { sniffCompressed } from './compressed-header.ts';
import { AnalysisJobs, analyseBlob, analysePlanar } from './run-analysis.ts';

export interface AnalysisRun {
  readonly outcome: Promise<AnalysisOutcome>;
  /** Stops the analysis at its next chunk; `outcome` then resolves with `cancelled: true`. */
  cancel(): void;
}

export interface AnalysisClient {
  analyse(file: Blob, name: string, onProgress: ProgressCallback, onPhase?: (phase: 'decoding' | 'measuring') => void): AnalysisRun;
  /** True while analyses run in a worker (false after falling back to the main thread). */
  readonly usesWorker: boolean;
  dispose(): void;
}

/** How long a worker may take to acknowledge a cancel before it is terminated (and replaced). */
const CANCEL_GRACE_MS = 2000;

/** The calls a job makes, either through comlink or directly on this thread. */
type Api = Pick<AnalysisWorkerApi, 'analyseBlob' | 'analysePlanar' | 'cancel'>;

function localApi(): Api {
  const jobs = new AnalysisJobs();
  return {
    analyseBlob: (job, file, name, onProgress) => jobs.run(job, (signal) => analyseBlob(file, name, onProgress, signal)),
    analysePlanar: (job, name, stream, planar, onProgress) => jobs.run(job, (signal) => analysePlanar(name, stream, planar, onProgress, signal)),
    cancel: (job) => jobs.cancel(job),
  };
}

async function readBytes(file: Blob, from: number, to: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(Math.max(0, from), Math.min(file.size, to)).arrayBuffer());
}

/** The worker, written as Vite's literal `new Worker(new URL(...))` pattern so it is bundled. */
function startWorker(): Worker {
  return new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), { type: 'module' });
}

/** `makeWorker` lets a caller (or a test) choose the worker; returning null forces the main thread. */
export function createAnalysisClient(makeWorker: () => Worker | null = startWorker): AnalysisClient {
  let worker: Worker | null = null;
  let remote: Remote<AnalysisWorkerApi> | null = null;
  let died: Promise<never> = new Promise<never>(() => {});
  const local = localApi();
  let nextJob = 1;

  function start(): void {
    try {
      worker = makeWorker();
      if (!worker) return;
      remote = wrap<AnalysisWorkerApi>(worker);
      const w = worker;
      died = new Promise<never>((_, reject) => w.addEventListener('error', (e) => reject(new Error(e.message || 'the analysis worker failed to start'))));
      died.catch(() => {});
    } catch {
      worker = null;
      remote = null;
    }
  }

  function stop(): void {
    worker?.terminate();
    worker = null;
    remote = null;
  }

  /** Runs one call in the worker; if the worker fails, on this thread from then on. */
  async function call(viaWorker: (api: Api) => Promise<AnalysisOutcome>): Promise<AnalysisOutcome> {
    if (remote) {
      try {
        return await Promise.race([viaWorker(remote as unknown as Api), died]);
      } catch (error) {
        if (!(error instanceof Error) || !/worker/i.test(error.message)) throw error;
        stop();
      }
    }
    return viaWorker(local);
  }

  start();

  return {
    get usesWorker() { return remote !== null; },
    analyse(file, name, onProgress, onPhase) {
      const job = nextJob++;
      let cancelled = false;
      /** Set when the job has been posted to the worker (or started locally): only then can it be told to stop. */
      let handedOver = false;
      let cancelRequested: (outcome: AnalysisOutcome) => void = () => {};
      const cancelledOutcome: AnalysisOutcome = { ok: false, cancelled: true, message: `${name}: analysis cancelled` };
      // Returns nothing: comlink sends a callback's return value back, and it must be serialisable.
      const progress = proxy((percent: number): void => { onProgress(percent); });
      const work = (async (): Promise<AnalysisOutcome> => {
        const head = await readBytes(file, 0, 65536);
        const tailNeeded = String.fromCharCode(...head.subarray(4, 8)) === 'ftyp';
        const header = sniffCompressed(head, tailNeeded ? await readBytes(file, file.size - 262144, file.size) : undefined);
        if (cancelled) return cancelledOutcome;
        if (!header) {
          onPhase?.('measuring');
          handedOver = true;
          return call((api) => api.analyseBlob(job, file, name, progress));
        }
        onPhase?.('decoding');
        let decoded;
        try {
          decoded = await decodeInBrowser(file, name, header);
        } catch (error) {
          if (error instanceof CannotDecodeHereError) return { ok: false, cancelled: false, message: error.message };
          throw error;
        }
        if (cancelled) return cancelledOutcome;
        onPhase?.('measuring');
        const planar = decoded.planar;
        handedOver = true;
        return call((api) => api === local
          ? api.analysePlanar(job, name, decoded.stream, planar, progress)
          : api.analysePlanar(job, name, decoded.stream, transfer(planar, planar.map((c) => c.buffer as ArrayBuffer)), progress));
      })().catch((error: unknown): AnalysisOutcome => ({ ok: false, cancelled: false, message: `${name}: ${error instanceof Error ? error.message : String(error)}` }));
      const outcome = Promise.race([work, new Promise<AnalysisOutcome>((resolve) => { cancelRequested = resolve; })]);
      return {
        outcome,
        cancel() {
          if (cancelled) return;
          cancelled = true;
          // Not in the worker yet (reading the header, or the browser still decoding): done at once.
          if (!handedOver) { cancelRequested(cancelledOutcome); return; }
          if (remote) void (remote.cancel(job) as Promise<void>).catch(() => {}); else local.cancel(job);
          // The job normally acknowledges within one chunk; a stuck worker is replaced.
          const timer = setTimeout(() => { stop(); start(); cancelRequested(cancelledOutcome); }, CANCEL_GRACE_MS);
          void work.finally(() => clearTimeout(timer));
        },
      };
    },
    dispose: stop,
  };
}
