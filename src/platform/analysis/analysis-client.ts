/**
 * Main-thread side of the analysis: `analyse(file)` runs in Web Workers behind comlink and
 * returns a handle with the outcome and a `cancel()`. Progress (0-100) arrives through a
 * comlink.proxy callback.
 *
 * WAV, AIFF and FLAC are read by the workers slice by slice. A WAV or AIFF long enough is
 * split by time over as many workers as the device has cores (up to 6, see defaultWorkerCount):
 * each reads only its own byte range of the File (shared, not copied) and the slices' figures
 * are merged here into the one-pass result (analysis-split.ts). Otherwise, from 3 cores up,
 * one worker runs everything but true peak and a second decodes the same File and measures
 * true peak, and the figures are joined here (true-peak-split.ts). Compressed formats are first decoded by the browser here
 * (OfflineAudioContext is main-thread only) at the header's sample rate, then the decoded
 * channels are transferred to one worker; MP3 and ADTS AAC are decoded in the worker with
 * WebCodecs where it can (webcodecs-analysis.ts). When a Worker cannot start or fails
 * (make-worker-slot.ts decides), the same core jobs run on the main thread, so callers see no
 * difference but `usesWorker`; an exception thrown by a job is that job's failure.
 */
import { proxy, transfer } from 'comlink';
import { makeAnalysisJobs } from '../../core/analysis/analysis-jobs.ts';
import { framedKind, sniffCompressed } from '../../core/analysis/compressed-header.ts';
import { mergeParts, planSlices, splitStreamOf, MAX_SLICES } from '../../core/analysis/analysis-split.ts';
import { applyTruePeaks } from '../../core/analysis/true-peak-split.ts';
import { warmUpMerge } from '../../core/analysis/warm-up.ts';
import { BlobByteSource } from '../../core/audio/byte-source.ts';
import type { AnalysisPart } from '../../core/dsp/analyser.ts';
import type {
  AnalysisOutcome,
  AnalysisWorkerApi,
  KernelChoice,
  ProgressCallback,
} from '../../core/analysis/worker-contract.ts';
import { isWorkerGone, makeWorkerSlot, type WorkerLike, type WorkerSlot } from '../workers/make-worker-slot.ts';
import { CannotDecodeHereError, decodeInBrowser } from './browser-decode.ts';

export interface AnalysisRun {
  readonly outcome: Promise<AnalysisOutcome>;
  /** Stops the analysis at its next chunk; `outcome` then resolves with `cancelled: true`. */
  cancel(): void;
}

export interface AnalysisClient {
  analyse(
    file: Blob,
    name: string,
    onProgress: ProgressCallback,
    onPhase?: (phase: 'decoding' | 'measuring') => void,
  ): AnalysisRun;
  /** True while analyses run in a worker (false after falling back to the main thread). */
  readonly usesWorker: boolean;
  /**
   * Starts the workers a split analysis would use and has each compile its kernels and run a
   * short throwaway analysis (warm-up.ts), so a file chosen a moment later neither waits for
   * worker start-up nor runs cold code (a fresh page's first analysis took ~1 s against ~0.6 s
   * warm in Chromium). Resolves when every one of them is warm; never rejects (a worker that
   * cannot start shows at the analysis). Calling it again costs nothing while they are warm.
   */
  warm(): Promise<void>;
  dispose(): void;
}

export interface AnalysisClientOptions {
  /** Makes a worker; returning null (or throwing) means analyses run on the main thread. */
  makeWorker?: () => WorkerLike | null;
  /**
   * Workers one analysis may use (default: see `defaultWorkerCount`): a long WAV/AIFF is split
   * by time over up to this many; otherwise from 3 true peak goes to a second worker.
   */
  workers?: number;
  kernels?: KernelChoice;
  /** How long the extra workers stay with no analysis (default IDLE_WORKERS_MS). */
  idleMs?: number;
  /**
   * Called when warmed workers were replaced by cold ones (a stuck cancel restarts them): what
   * warm() reported no longer holds until warm() is called again.
   */
  onCold?: () => void;
}

/**
 * The workers beyond the main one are let go after this long with no analysis running: a split
 * over a phone's or an iPad's 6 cores must not keep 5 idle workers (and their heaps) for as long
 * as the page stays open. The next analysis (or warm()) starts them again.
 */
export const IDLE_WORKERS_MS = 3 * 60_000;

/**
 * One worker per core, up to MAX_SLICES (6, an iPad's cores): a split by time gives each worker
 * an equal share of all the work (plus 4 s of pre-roll), so it pays on 2 cores too. The true-peak
 * split (for files too short to slice, and FLAC) pays only when a core is free for the second
 * worker: measured in headless Chromium on a 2-core machine, the halves take 477 and 285 ms
 * (mix-like programme) or 487 and 437 ms (loud master) alone against 575 and 709 ms for one
 * worker, but run together on two busy cores they took 795 and 702 ms. So that one starts at
 * 3 cores (TRUE_PEAK_SPLIT_FROM).
 */
export function defaultWorkerCount(): number {
  const cores = typeof navigator === 'undefined' ? 1 : (navigator.hardwareConcurrency ?? 1);
  return Math.max(1, Math.min(MAX_SLICES, Math.floor(cores) || 1));
}

/** Workers from which true peak runs in a second worker when the file is not split by time. */
const TRUE_PEAK_SPLIT_FROM = 3;

/** How long a worker may take to acknowledge a cancel before it is terminated (and replaced). */
const CANCEL_GRACE_MS = 2000;

/** The worker, written as Vite's literal `new Worker(new URL(...))` pattern so it is bundled. */
function startWorker(): Worker {
  return new Worker(new URL('../../../workers/analysis.worker.ts', import.meta.url), { type: 'module' });
}

/** The same core jobs the worker runs, on this thread (the fallback). */
function localApi() {
  return makeAnalysisJobs({
    now: () => performance.now(),
    yieldToEvents: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
  });
}

function stoppedOutcome(name: string): AnalysisOutcome {
  return { ok: false, cancelled: true, message: `${name}: analysis cancelled` };
}

async function readBytes(file: Blob, from: number, to: number): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(Math.max(0, from), Math.min(file.size, to)).arrayBuffer());
}

export function makeAnalysisClient(options: AnalysisClientOptions = {}): AnalysisClient {
  const make = options.makeWorker ?? startWorker;
  const kernels = options.kernels ?? 'wasm';
  const workerCount = () => Math.max(1, Math.min(MAX_SLICES, options.workers ?? defaultWorkerCount()));
  /** Decided at the first analysis (not when the client is made: the page warms it up earlier). */
  let decided: number | null = null;
  const workers = () => (decided ??= workerCount());
  const main = makeWorkerSlot<AnalysisWorkerApi>(make, 'the analysis worker');
  /** The workers of a split by time, started at the first split or by warm(): the main one, then more. */
  const slots: WorkerSlot<AnalysisWorkerApi>[] = [main];
  const sliceSlot = (k: number) =>
    (slots[k] ??= makeWorkerSlot<AnalysisWorkerApi>(
      make,
      k === 1 ? 'the second analysis worker' : `analysis worker ${k + 1}`,
    ));
  /** The true-peak half's worker (the second slot), from TRUE_PEAK_SPLIT_FROM workers up. */
  const secondSlot = () => (workers() >= TRUE_PEAK_SPLIT_FROM && main.alive ? sliceSlot(1) : null);
  /** False once a worker of a split failed: the one-pass path from then on. */
  let splitAllowed = true;
  const local = localApi();
  let nextJob = 1;
  /** Warm-up per worker slot (a slot let go when idle is a new slot when started again). */
  const warming = new WeakMap<WorkerSlot<AnalysisWorkerApi>, Promise<void>>();
  let mergeWarmed = false;
  const idleMs = options.idleMs ?? IDLE_WORKERS_MS;
  let active = 0;
  let disposed = false;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  const stopIdleTimer = () => {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
  };
  /** (Re)starts the idle countdown when nothing runs; at its end every worker but the main one goes. */
  const armIdleTimer = () => {
    stopIdleTimer();
    if (active > 0 || disposed || slots.length < 2) return;
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (active === 0) for (const slot of slots.splice(1)) slot.stop();
    }, idleMs);
  };

  /**
   * Fresh workers in place of stuck ones. A fresh worker is cold (its kernels not compiled, no
   * throwaway analysis run), so its slot's warm-up is forgotten: the next warm() warms it again.
   */
  const restartAll = () => {
    let wasWarm = false;
    for (const slot of slots) {
      wasWarm = warming.delete(slot) || wasWarm;
      slot.restart();
    }
    if (wasWarm) options.onCold?.();
  };

  /**
   * A WAV/AIFF split by time over the workers and merged; null when it cannot be (too short,
   * not PCM, a worker gone, a slice failed): the one-pass path then runs, and reports any problem.
   */
  async function analyseInSlices(
    job: number,
    file: Blob,
    name: string,
    progress: ProgressCallback,
  ): Promise<AnalysisOutcome | null> {
    const started = performance.now();
    const stream = await splitStreamOf(new BlobByteSource(name, file)).catch(() => null);
    if (!stream) return null;
    const plan = planSlices(stream.sampleRate, stream.frames, workers());
    if (plan.length < 2) return null;
    const percents = plan.map(() => 0);
    let lastPercent = -1;
    const onSlice = (k: number) =>
      proxy((percent: number): void => {
        percents[k] = percent;
        const done = plan.reduce((sum, s, i) => sum + (percents[i]! * (s.end - s.start)) / stream.frames, 0);
        const overall = Math.min(99, Math.floor(done));
        if (overall !== lastPercent) progress((lastPercent = overall));
      });
    let outcomes;
    try {
      outcomes = await Promise.all(
        plan.map((span, k) => sliceSlot(k).run((api) => api.analyseSlice(job, file, name, span, onSlice(k), kernels))),
      );
    } catch (error) {
      if (!isWorkerGone(error) || error.reason === 'stopped') throw error;
      // A worker that cannot start or died: no more splits, the one-pass path takes over.
      splitAllowed = false;
      for (const slot of slots.slice(2)) slot.stop();
      return null;
    }
    const cancelled = outcomes.find((o) => !o.ok && o.cancelled);
    if (cancelled && !cancelled.ok) return { ok: false, cancelled: true, message: cancelled.message };
    const parts: AnalysisPart[] = [];
    for (const o of outcomes) if (o.ok) parts.push(o.part);
    if (parts.length !== plan.length) return null;
    const result = mergeParts(stream, parts);
    result.warnings.unshift(...stream.warnings);
    const { info } = stream;
    return {
      ok: true,
      name,
      result,
      elapsedMs: performance.now() - started,
      engine: outcomes.every((o) => o.ok && o.engine === 'WASM') ? 'WASM' : 'TypeScript',
      threads: plan.length,
      slices: plan.length,
      stream: {
        format: info.format,
        encoding: info.encoding,
        sampleRate: info.sampleRate,
        channels: info.channels,
        decodedBy: 'streaming decoder',
      },
    };
  }

  /** Full analysis of a WAV/AIFF/FLAC File: split over two workers, one worker, or this thread. */
  async function analyseNative(
    job: number,
    file: Blob,
    name: string,
    progress: ProgressCallback,
  ): Promise<AnalysisOutcome> {
    if (main.alive) {
      try {
        const split = splitAllowed && workers() >= 2 ? await analyseInSlices(job, file, name, progress) : null;
        if (split) return split;
        const second = secondSlot();
        if (second?.alive) {
          const [outcome, peaks] = await Promise.all([
            main.run((api) => api.analyseBlob(job, file, name, progress, kernels, 'no-true-peak')),
            second
              .run((api) => api.truePeaks(job, file, name, kernels))
              .catch((error: unknown) => ({ ok: false as const, cancelled: false, message: String(error) })),
          ]);
          if (!outcome.ok || peaks.ok) {
            if (!outcome.ok || !peaks.ok) return outcome;
            applyTruePeaks(outcome.result, peaks.peaks);
            return { ...outcome, elapsedMs: Math.max(outcome.elapsedMs, peaks.elapsedMs), threads: 2 };
          }
          if (peaks.cancelled) return { ok: false, cancelled: true, message: peaks.message };
          second.stop();
        }
        return await main.run((api) => api.analyseBlob(job, file, name, progress, kernels));
      } catch (error) {
        if (!isWorkerGone(error)) throw error;
        // Stopped by cancel() (a stuck worker replaced): the job is over, not to be redone here.
        if (error.reason === 'stopped') return stoppedOutcome(name);
        main.stop();
        slots[1]?.stop();
      }
    }
    return local.analyseBlob(job, file, name, progress, kernels);
  }

  /** See AnalysisClient.warm. */
  function warm(): Promise<void> {
    const n = decided ?? workerCount();
    const ready: Promise<void>[] = [];
    const awaited: [WorkerSlot<AnalysisWorkerApi>, Promise<void>][] = [];
    for (let k = 0; k < n; k++) {
      const slot = sliceSlot(k);
      let warmed = warming.get(slot);
      if (!warmed) {
        warmed = slot
          .run((api) => api.warm(kernels))
          .then((parts) => {
            // This thread merges the slices' parts: its merge code is warmed once too.
            if (parts && !mergeWarmed) {
              mergeWarmed = true;
              warmUpMerge(parts);
            }
          })
          .catch(() => {});
        warming.set(slot, warmed);
      }
      ready.push(warmed);
      awaited.push([slot, warmed]);
    }
    // A slot restarted meanwhile holds a cold worker: warm that one too before saying so.
    return Promise.all(ready).then(() =>
      awaited.every(([slot, warmed]) => warming.get(slot) === warmed) ? armIdleTimer() : warm(),
    );
  }

  return {
    get usesWorker() {
      return main.alive;
    },
    warm,
    analyse(file, name, onProgress, onPhase) {
      const job = nextJob++;
      active++;
      stopIdleTimer();
      let cancelled = false;
      /** Set when the job has been posted to a worker (or started locally): only then can it be told to stop. */
      let handedOver = false;
      let cancelRequested: (outcome: AnalysisOutcome) => void = () => {};
      const cancelledOutcome: AnalysisOutcome = { ok: false, cancelled: true, message: `${name}: analysis cancelled` };
      // Returns nothing: comlink sends a callback's return value back, and it must be serialisable.
      const progress = proxy((percent: number): void => {
        onProgress(percent);
      });
      const work = (async (): Promise<AnalysisOutcome> => {
        const head = await readBytes(file, 0, 65536);
        const tailNeeded = String.fromCharCode(...head.subarray(4, 8)) === 'ftyp';
        const header = sniffCompressed(
          head,
          tailNeeded ? await readBytes(file, file.size - 262144, file.size) : undefined,
        );
        if (cancelled) return cancelledOutcome;
        if (!header) {
          onPhase?.('measuring');
          handedOver = true;
          const outcome = await analyseNative(job, file, name, progress);
          // Stopped, but not by this job's cancel: an older job that did not acknowledge its
          // cancel in time had the workers restarted under this one. Run it again on the fresh
          // workers (once: a second stop is the client being disposed).
          if (!outcome.ok && outcome.cancelled && !cancelled) return analyseNative(job, file, name, progress);
          return outcome;
        }
        if (framedKind(header) && main.alive) {
          // MP3/ADTS: decoded and measured in the worker with WebCodecs, frame by frame.
          handedOver = true;
          onPhase?.('measuring');
          const viaCodecs = await main
            .run((api) => api.analyseFramed(job, file, name, header, progress, kernels))
            .catch((error: unknown) => {
              if (!isWorkerGone(error)) throw error;
              return null;
            });
          if (viaCodecs) return viaCodecs;
          if (cancelled) return cancelledOutcome;
          handedOver = false;
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
        const { planar, stream } = decoded;
        handedOver = true;
        if (main.alive) {
          try {
            return await main.run((api) =>
              api.analysePlanar(
                job,
                name,
                stream,
                transfer(
                  planar,
                  planar.map((c) => c.buffer as ArrayBuffer),
                ),
                progress,
              ),
            );
          } catch (error) {
            if (!isWorkerGone(error)) throw error;
            if (error.reason === 'stopped') return stoppedOutcome(name);
            main.stop();
            // The channels went to the dead worker: decode again for this thread.
            return local.analysePlanar(job, name, stream, (await decodeInBrowser(file, name, header)).planar, progress);
          }
        }
        return local.analysePlanar(job, name, stream, planar, progress);
      })().catch((error: unknown): AnalysisOutcome => ({
        ok: false,
        cancelled: false,
        message: `${name}: ${error instanceof Error ? error.message : String(error)}`,
      }));
      const outcome = Promise.race([
        work,
        new Promise<AnalysisOutcome>((resolve) => {
          cancelRequested = resolve;
        }),
      ]).finally(() => {
        active--;
        armIdleTimer();
      });
      return {
        outcome,
        cancel() {
          if (cancelled) return;
          cancelled = true;
          // Not in a worker yet (reading the header, or the browser still decoding): done at once.
          if (!handedOver) {
            cancelRequested(cancelledOutcome);
            return;
          }
          for (const slot of slots) if (slot.alive) void slot.run((api) => api.cancel(job)).catch(() => {});
          local.cancel(job);
          // The job normally acknowledges within one chunk; a stuck worker is replaced.
          const timer = setTimeout(() => {
            restartAll();
            cancelRequested(cancelledOutcome);
          }, CANCEL_GRACE_MS);
          void work.finally(() => clearTimeout(timer));
        },
      };
    },
    dispose() {
      disposed = true;
      stopIdleTimer();
      for (const slot of slots) slot.stop();
    },
  };
}
