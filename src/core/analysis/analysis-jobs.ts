/**
 * The analysis jobs themselves, shared by the worker and the main-thread fallback: the worker
 * entry exposes them (plus its WebCodecs path), the client runs the very same object on the
 * main thread when no worker can. A Blob is read with `slice()` a block at a time
 * (read-ahead-source.ts) by the core's streaming decoders (never whole), or already-decoded
 * planar audio is pushed through the analyser in chunks. With 'no-true-peak' the analyser
 * skips the interpolator and `truePeaks` (in a second worker) measures it instead
 * (true-peak-split.ts). Between chunks the job yields, so a cancel request can arrive; a
 * cancelled job drops every reference to its decoder and analyser, and the garbage collector
 * takes their memory back.
 *
 * The clock and the yield come from the host (JobHost) because the core has no timers.
 */
import { analyseAudio } from '../audio/analyse-audio.ts';
import type { BlobLike } from '../audio/byte-source.ts';
import { makeAnalyser } from '../dsp/analyser.ts';
import { makeTsKernels, type KernelFactory } from '../dsp/kernels.ts';
import { compileBundledMeterKernels } from '../dsp/wasm-kernels.ts';
import type { AnalysisSpan } from '../dsp/analyser.ts';
import { analyseSlice } from './analysis-split.ts';
import { ReadAheadBlobSource } from './read-ahead-source.ts';
import { truePeakPass, withoutTruePeak } from './true-peak-split.ts';
import { warmUpAnalysis, type WarmUpParts } from './warm-up.ts';
import type {
  AnalysisOutcome,
  AnalysisParts,
  AnalysisWorkerApi,
  KernelChoice,
  ProgressCallback,
  SliceOutcome,
  StreamSummary,
  TruePeakOutcome,
} from './worker-contract.ts';

/** What a thread gives the jobs: a millisecond clock and a way to let queued messages (a cancel) run. */
export interface JobHost {
  now(): number;
  /** Resolves after the thread's event loop has had a turn (a macrotask, not a microtask). */
  yieldToEvents(): Promise<void>;
}

/** The jobs every thread can run: the analysis API but the worker-only WebCodecs path. */
export type AnalysisJobsApi = Omit<AnalysisWorkerApi, 'analyseFramed'> & {
  /** Runs `work` as job `job`, so `cancel(job)` reaches it (for paths the host adds, like WebCodecs). */
  run<T>(job: number, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
};

const CANCELLED = 'analysis cancelled';
/** Frames per chunk when pushing decoded audio; bounded work between cancel checks. */
const PLANAR_CHUNK = 65536;

function failure(error: unknown, signal: AbortSignal): Extract<AnalysisOutcome, { ok: false }> {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, cancelled: signal.aborted || message.endsWith(CANCELLED), message };
}

let wasmKernels: Promise<KernelFactory | undefined> | null = null;
/** The WASM kernels, compiled once per thread from the copy embedded in the bundle; undefined means the TypeScript reference. */
export function kernelsFor(choice: KernelChoice): Promise<KernelFactory | undefined> {
  if (choice === 'ts') return Promise.resolve(undefined);
  wasmKernels ??= compileBundledMeterKernels().catch(() => undefined);
  return wasmKernels;
}

async function analyseBlob(
  host: JobHost,
  file: BlobLike,
  name: string,
  onProgress: ProgressCallback,
  signal: AbortSignal,
  choice: KernelChoice = 'wasm',
  parts: AnalysisParts = 'all',
): Promise<AnalysisOutcome> {
  const started = host.now();
  try {
    const kernels = await kernelsFor(choice);
    const factory = parts === 'no-true-peak' ? withoutTruePeak(kernels ?? makeTsKernels) : kernels;
    const { stream, result } = await analyseAudio(new ReadAheadBlobSource(name, file), {
      onProgress,
      signal,
      ...(factory ? { kernels: factory } : {}),
    });
    return {
      ok: true,
      name,
      result,
      elapsedMs: host.now() - started,
      engine: kernels ? 'WASM' : 'TypeScript',
      threads: 1,
      stream: {
        format: stream.format,
        encoding: stream.encoding,
        sampleRate: stream.sampleRate,
        channels: stream.channels,
        decodedBy: 'streaming decoder',
      },
    };
  } catch (error) {
    return failure(error, signal);
  }
}

async function analysePlanar(
  host: JobHost,
  name: string,
  stream: StreamSummary,
  planar: Float32Array[],
  onProgress: ProgressCallback,
  signal: AbortSignal,
  choice: KernelChoice = 'wasm',
): Promise<AnalysisOutcome> {
  const started = host.now();
  try {
    const frames = planar[0]?.length ?? 0;
    if (frames === 0) return { ok: false, cancelled: false, message: `${name}: the browser decoded no audio frames` };
    const kernels = await kernelsFor(choice);
    const analyser = makeAnalyser({
      sampleRate: stream.sampleRate,
      channels: planar.length,
      ...(kernels ? { kernels } : {}),
    });
    let last = -1;
    for (let offset = 0; offset < frames; offset += PLANAR_CHUNK) {
      if (signal.aborted) return { ok: false, cancelled: true, message: `${name}: ${CANCELLED}` };
      analyser.push(planar.map((c) => c.subarray(offset, Math.min(frames, offset + PLANAR_CHUNK))));
      const percent = Math.min(99, Math.floor((100 * (offset + PLANAR_CHUNK)) / frames));
      if (percent !== last) {
        last = percent;
        onProgress(percent);
      }
      if ((offset / PLANAR_CHUNK) % 8 === 7) await host.yieldToEvents();
    }
    const result = analyser.finish();
    onProgress(100);
    return {
      ok: true,
      name,
      stream,
      result,
      elapsedMs: host.now() - started,
      engine: kernels ? 'WASM' : 'TypeScript',
      threads: 1,
    };
  } catch (error) {
    return failure(
      error instanceof Error
        ? new Error(error.message.startsWith(name) ? error.message : `${name}: ${error.message}`)
        : error,
      signal,
    );
  }
}

/** The second worker's half of a split analysis: true peak only, from its own decode of the File. */
async function truePeaksOfBlob(
  host: JobHost,
  file: BlobLike,
  name: string,
  signal: AbortSignal,
  choice: KernelChoice = 'wasm',
): Promise<TruePeakOutcome> {
  const started = host.now();
  try {
    const kernels = await kernelsFor(choice);
    const peaks = await truePeakPass(new ReadAheadBlobSource(name, file), signal, kernels);
    return { ok: true, peaks, elapsedMs: host.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, cancelled: signal.aborted, message };
  }
}

/** One worker's time slice of a split analysis, read from its own byte range of the File. */
async function sliceOfBlob(
  host: JobHost,
  file: BlobLike,
  name: string,
  span: AnalysisSpan,
  onProgress: ProgressCallback,
  signal: AbortSignal,
  choice: KernelChoice = 'wasm',
): Promise<SliceOutcome> {
  const started = host.now();
  try {
    const kernels = await kernelsFor(choice);
    const part = await analyseSlice(new ReadAheadBlobSource(name, file), span, {
      signal,
      onProgress,
      ...(kernels ? { kernels } : {}),
    });
    return { ok: true, part, elapsedMs: host.now() - started, engine: kernels ? 'WASM' : 'TypeScript' };
  } catch (error) {
    return failure(error, signal);
  }
}

/** One thread's jobs, by id, so `cancel(job)` can reach the one it names. */
export function makeAnalysisJobs(host: JobHost): AnalysisJobsApi {
  const running = new Map<number, AbortController>();
  const warmed = new Map<KernelChoice, Promise<WarmUpParts | null>>();
  async function run<T>(job: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    running.set(job, controller);
    try {
      return await work(controller.signal);
    } finally {
      running.delete(job);
    }
  }
  return {
    run,
    analyseBlob: (job, file, name, onProgress, kernels, parts) =>
      run(job, (signal) => analyseBlob(host, file, name, onProgress, signal, kernels, parts)),
    analysePlanar: (job, name, stream, planar, onProgress) =>
      run(job, (signal) => analysePlanar(host, name, stream, planar, onProgress, signal)),
    truePeaks: (job, file, name, kernels) => run(job, (signal) => truePeaksOfBlob(host, file, name, signal, kernels)),
    analyseSlice: (job, file, name, span, onProgress, kernels) =>
      run(job, (signal) => sliceOfBlob(host, file, name, span, onProgress, signal, kernels)),
    cancel: (job) => {
      running.get(job)?.abort();
    },
    warm: (kernels) => {
      const choice = kernels ?? 'wasm';
      // Once per thread and kernel choice: a second warm() (the page opened again) costs nothing.
      let done = warmed.get(choice);
      if (!done) warmed.set(choice, (done = kernelsFor(choice).then(warmUpAnalysis)));
      return done;
    },
  };
}
