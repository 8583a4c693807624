/**
 * The analysis jobs themselves, shared by the worker and the main-thread fallback: a Blob is
 * read with `slice()` a block at a time (read-ahead-source.ts) by the core's streaming
 * decoders (never whole), or already-decoded planar audio is pushed through the analyser in
 * chunks. With 'no-true-peak' the analyser skips the interpolator and `truePeaksOfBlob` (in a
 * second worker) measures it instead (true-peak-split.ts). Between chunks the
 * job yields, so a cancel request can arrive; a cancelled job drops every reference to its
 * decoder and analyser, and the garbage collector takes their memory back.
 */
import { analyseAudio } from '../../src/core/audio/analyse-audio.ts';
import { createAnalyser } from '../../src/core/dsp/analyser.ts';
import { createTsKernels, type KernelFactory } from '../../src/core/dsp/kernels.ts';
import { compileBundledMeterKernels } from '../../src/core/dsp/wasm-kernels.ts';
import { ReadAheadBlobSource } from './read-ahead-source.ts';
import type { AnalysisOutcome, AnalysisParts, KernelChoice, ProgressCallback, StreamSummary, TruePeakOutcome } from '../../src/platform/analysis/analysis-api.ts';
import type { CompressedHeader } from './compressed-header.ts';
import { truePeakPass, withoutTruePeak } from './true-peak-split.ts';
import { analyseWithWebCodecs } from './webcodecs-analysis.ts';

const CANCELLED = 'analysis cancelled';
/** Frames per chunk when pushing decoded audio; bounded work between cancel checks. */
const PLANAR_CHUNK = 65536;

function failure(error: unknown, signal: AbortSignal): AnalysisOutcome {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, cancelled: signal.aborted || message.endsWith(CANCELLED), message };
}

let wasmKernels: Promise<KernelFactory | undefined> | null = null;
/** The WASM kernels, compiled once per thread from the copy embedded in the bundle. */
function kernelsFor(choice: KernelChoice): Promise<KernelFactory | undefined> {
  if (choice === 'ts') return Promise.resolve(undefined);
  wasmKernels ??= compileBundledMeterKernels().catch(() => undefined);
  return wasmKernels;
}

/** Lets queued messages (a cancel) run between chunks. */
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function analyseBlob(file: Blob, name: string, onProgress: ProgressCallback, signal: AbortSignal, choice: KernelChoice = 'wasm', parts: AnalysisParts = 'all'): Promise<AnalysisOutcome> {
  const started = performance.now();
  try {
    const kernels = await kernelsFor(choice);
    const factory = parts === 'no-true-peak' ? withoutTruePeak(kernels ?? createTsKernels) : kernels;
    const { stream, result } = await analyseAudio(new ReadAheadBlobSource(name, file), { onProgress, signal, ...(factory ? { kernels: factory } : {}) });
    return {
      ok: true, name, result, elapsedMs: performance.now() - started, engine: kernels ? 'WASM' : 'TypeScript', threads: 1,
      stream: { format: stream.format, encoding: stream.encoding, sampleRate: stream.sampleRate, channels: stream.channels, decodedBy: 'streaming decoder' },
    };
  } catch (error) {
    return failure(error, signal);
  }
}

export async function analysePlanar(name: string, stream: StreamSummary, planar: Float32Array[], onProgress: ProgressCallback, signal: AbortSignal, choice: KernelChoice = 'wasm'): Promise<AnalysisOutcome> {
  const started = performance.now();
  try {
    const frames = planar[0]?.length ?? 0;
    if (frames === 0) return { ok: false, cancelled: false, message: `${name}: the browser decoded no audio frames` };
    const kernels = await kernelsFor(choice);
    const analyser = createAnalyser({ sampleRate: stream.sampleRate, channels: planar.length, ...(kernels ? { kernels } : {}) });
    let last = -1;
    for (let offset = 0; offset < frames; offset += PLANAR_CHUNK) {
      if (signal.aborted) return { ok: false, cancelled: true, message: `${name}: ${CANCELLED}` };
      analyser.push(planar.map((c) => c.subarray(offset, Math.min(frames, offset + PLANAR_CHUNK))));
      const percent = Math.min(99, Math.floor((100 * (offset + PLANAR_CHUNK)) / frames));
      if (percent !== last) { last = percent; onProgress(percent); }
      if ((offset / PLANAR_CHUNK) % 8 === 7) await yieldToEvents();
    }
    const result = analyser.finish();
    onProgress(100);
    return { ok: true, name, stream, result, elapsedMs: performance.now() - started, engine: kernels ? 'WASM' : 'TypeScript', threads: 1 };
  } catch (error) {
    return failure(error instanceof Error ? new Error(error.message.startsWith(name) ? error.message : `${name}: ${error.message}`) : error, signal);
  }
}

/** MP3/ADTS through WebCodecs in this thread (null: no decoder here; the caller falls back). */
export async function analyseFramedBlob(file: Blob, name: string, header: CompressedHeader, onProgress: ProgressCallback, signal: AbortSignal, choice: KernelChoice = 'wasm'): Promise<AnalysisOutcome | null> {
  return analyseWithWebCodecs(file, name, header, onProgress, signal, await kernelsFor(choice));
}

/** The second worker's half of a split analysis: true peak only, from its own decode of the File. */
export async function truePeaksOfBlob(file: Blob, name: string, signal: AbortSignal, choice: KernelChoice = 'wasm'): Promise<TruePeakOutcome> {
  const started = performance.now();
  try {
    const kernels = await kernelsFor(choice);
    const peaks = await truePeakPass(new ReadAheadBlobSource(name, file), signal, kernels);
    return { ok: true, peaks, elapsedMs: performance.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, cancelled: signal.aborted, message };
  }
}

/** Running jobs by id, so `cancel(job)` can reach the one it names. */
export class AnalysisJobs {
  private readonly running = new Map<number, AbortController>();

  async run<T>(job: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.set(job, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.running.delete(job);
    }
  }

  cancel(job: number): void {
    this.running.get(job)?.abort();
  }
}
