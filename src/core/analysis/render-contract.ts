/**
 * The contract between the render worker (workers/render.worker.ts) and the main thread
 * (src/platform/analysis/render-client.ts). A render reads the source File slice by slice and
 * writes the corrected WAV to a file the worker owns (origin-private storage where the browser
 * has it), then hands that file back; the audio never leaves the device. Failures come back as
 * values, a cancelled render told apart from a failed one.
 */
import type { BlobLike } from '../audio/byte-source.ts';
import type { RenderPhase } from '../audio/render-audio.ts';
import type { RenderTarget } from '../dsp/render/gain-plan.ts';
import type { RenderRecord } from '../dsp/render/render-summary.ts';
import type { AnalysisResult } from '../dsp/result-schema.ts';
import type { RenderFormat } from '../dsp/render/wav-writer.ts';

export interface RenderRequest {
  target: RenderTarget;
  format: RenderFormat;
  force?: boolean;
  maxReductionDb?: number;
  lookaheadMs?: number;
  releaseMs?: number;
  /** The report's analysis of the same file: pass 1 is skipped when given. */
  before?: AnalysisResult;
}

/** Where the worker wrote the render: origin-private file system, or in memory (no OPFS). */
export type RenderStorage = 'opfs' | 'memory';

export type RenderJobOutcome =
  | { ok: true; record: RenderRecord; file: BlobLike; storage: RenderStorage }
  | { ok: false; cancelled: boolean; message: string };

export type RenderProgress = (percent: number, phase: RenderPhase) => void;

export interface RenderWorkerApi {
  render(
    job: number,
    file: BlobLike,
    name: string,
    request: RenderRequest,
    onProgress: RenderProgress,
  ): Promise<RenderJobOutcome>;
  /** Stops job `job` at its next chunk; its output is deleted and its promise resolves as cancelled. */
  cancel(job: number): void;
}
