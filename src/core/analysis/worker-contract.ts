/**
 * The contract between the analysis worker and the main thread, in the core so both sides
 * import it from below: the worker entry (workers/analysis.worker.ts) implements it, the
 * client (src/platform/analysis/analysis-client.ts) calls it, and the main-thread fallback is
 * the same core jobs (analysis-jobs.ts). Failures come back as values (not thrown across the
 * worker boundary), so the page always gets a message that names the file and the problem,
 * and a cancelled analysis is told apart from a failed one.
 */
import type { BlobLike } from '../audio/byte-source.ts';
import type { AnalysisPart, AnalysisSpan } from '../dsp/analyser.ts';
import type { AnalysisResult } from '../dsp/result-schema.ts';
import type { CompressedHeader } from './compressed-header.ts';
import type { ChannelTruePeak } from './true-peak-split.ts';
import type { WarmUpParts } from './warm-up.ts';

/** How the audio reached the meters: stream facts shown next to the result. */
export interface StreamSummary {
  /** Container or codec, e.g. "wav", "flac", "MP3". */
  format: string;
  /** Human-readable encoding, e.g. "PCM 24-bit". */
  encoding: string;
  sampleRate: number;
  channels: number;
  /** Who decoded it: the streaming decoders of the core, or the browser's own decoder. */
  decodedBy: 'streaming decoder' | 'browser decoder';
}

export type AnalysisOutcome =
  | {
      ok: true;
      name: string;
      stream: StreamSummary;
      result: AnalysisResult;
      elapsedMs: number;
      engine: 'WASM' | 'TypeScript';
      /** Workers that measured it: 2 with true peak in a second worker, or the number of time slices. */
      threads: number;
      /** Time slices analysed by as many workers and merged (analysis-split.ts); absent for one pass. */
      slices?: number;
    }
  | { ok: false; cancelled: boolean; message: string };

export type TruePeakOutcome =
  { ok: true; peaks: ChannelTruePeak[]; elapsedMs: number } | { ok: false; cancelled: boolean; message: string };

/** One time slice of a file measured by one worker (analysis-split.ts). */
export type SliceOutcome =
  | { ok: true; part: AnalysisPart; elapsedMs: number; engine: 'WASM' | 'TypeScript' }
  | { ok: false; cancelled: boolean; message: string };

/** 'all' figures, or everything but true peak (which a second worker then measures). */
export type AnalysisParts = 'all' | 'no-true-peak';

export type ProgressCallback = (percent: number) => void;

/** Which hot loops run: 'wasm' (default; the TypeScript reference where WASM cannot compile) or 'ts'. */
export type KernelChoice = 'wasm' | 'ts';

/** Exposed by workers/analysis.worker.ts through comlink. `job` ids are chosen by the caller. */
export interface AnalysisWorkerApi {
  /** Analyses a File/Blob read slice by slice (WAV, RF64/BW64, AIFF/AIFC, FLAC). */
  analyseBlob(
    job: number,
    file: BlobLike,
    name: string,
    onProgress: ProgressCallback,
    kernels?: KernelChoice,
    parts?: AnalysisParts,
  ): Promise<AnalysisOutcome>;
  /** Measures one time slice of a WAV/AIFF File, reading only its bytes (a split analysis; analysis-split.ts). */
  analyseSlice(
    job: number,
    file: BlobLike,
    name: string,
    span: AnalysisSpan,
    onProgress: ProgressCallback,
    kernels?: KernelChoice,
  ): Promise<SliceOutcome>;
  /** Decodes the same File and measures only true peak (the second worker's half of a split analysis). */
  truePeaks(job: number, file: BlobLike, name: string, kernels?: KernelChoice): Promise<TruePeakOutcome>;
  /** MP3/ADTS decoded in the worker with WebCodecs, frame by frame; null when this browser has no decoder for it. */
  analyseFramed(
    job: number,
    file: BlobLike,
    name: string,
    header: CompressedHeader,
    onProgress: ProgressCallback,
    kernels?: KernelChoice,
  ): Promise<AnalysisOutcome | null>;
  /** Analyses audio the browser already decoded (compressed formats); arrays are transferred. */
  analysePlanar(
    job: number,
    name: string,
    stream: StreamSummary,
    planar: Float32Array[],
    onProgress: ProgressCallback,
  ): Promise<AnalysisOutcome>;
  /** Stops job `job` at its next chunk boundary; its promise then resolves as cancelled. */
  cancel(job: number): void;
  /**
   * Compiles the kernels now and runs a short throwaway analysis with them (warm-up.ts), once
   * per thread, so the first real analysis neither waits for the compile nor runs cold code:
   * the page calls it when it opens, before a file is chosen. Resolves when the thread is warm,
   * with the throwaway analysis's parts (the page merges them once to warm its own side), or
   * null when it could not run.
   */
  warm(kernels?: KernelChoice): Promise<WarmUpParts | null>;
}
