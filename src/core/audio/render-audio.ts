/**
 * The corrective render, end to end and streamed: pass 1 analyses the input (the same analysis
 * as the report), the gain plan decides the gain (gain-plan.ts), pass 2 decodes the input again
 * chunk by chunk through gain, the true-peak limiter and the WAV encoder into a ByteSink, and
 * pass 3 re-verifies by analysing the written file with the same engine. Memory is the decoder's
 * chunk, the limiter's fixed buffers and one encoded block at a time, whatever the file's size.
 *
 * Progress is one 0-100 figure over the three passes, with the pass named; an AbortSignal
 * cancels between chunks, and a cancelled or failed render aborts the sink (no half file).
 */
import type { KernelFactory } from '../dsp/kernels.ts';
import type { AnalysisResult } from '../dsp/result-schema.ts';
import { TpdfDither } from '../dsp/render/dither.ts';
import { DEFAULT_MAX_REDUCTION_DB, planGain, type GainPlan, type RenderTarget } from '../dsp/render/gain-plan.ts';
import { DEFAULT_LIMITER, TruePeakLimiter, type LimiterStats } from '../dsp/render/limiter.ts';
import { figuresOf, judge, type RenderRecord, type RenderSettings } from '../dsp/render/render-summary.ts';
import { encodeFrames, FORMAT_BYTES, wavHeader, wavTrailer, type RenderFormat } from '../dsp/render/wav-writer.ts';
import { analyseAudio } from './analyse-audio.ts';
import type { ByteSink } from './byte-sink.ts';
import type { ByteSource } from './byte-source.ts';
import { AudioDecodeError, type AudioStreamInfo } from './decoder.ts';
import { openAudio } from './open-audio.ts';

export type RenderPhase = 'analyse' | 'render' | 'verify';

export interface RenderOptions {
  target: RenderTarget;
  format?: RenderFormat;
  lookaheadMs?: number;
  releaseMs?: number;
  maxReductionDb?: number;
  /** Render at the target even when it needs more limiting than maxReductionDb. */
  force?: boolean;
  /** Pass 1's result when the caller already has it (a report): skips analysing the input again. */
  before?: AnalysisResult;
  kernels?: KernelFactory;
  signal?: AbortSignal;
  onProgress?: (percent: number, phase: RenderPhase) => void;
  /** A millisecond clock (the core has none of its own). */
  now?: () => number;
}

export interface RenderOutcome {
  record: RenderRecord;
  stream: AudioStreamInfo;
  before: AnalysisResult;
  after: AnalysisResult;
}

export const RENDER_CANCELLED = 'render cancelled';

/** Share of the progress bar per pass (pass 1 may be skipped). */
const SPAN: Record<RenderPhase, [number, number]> = { analyse: [0, 30], render: [30, 75], verify: [75, 100] };

export async function renderAudio(source: ByteSource, sink: ByteSink, o: RenderOptions): Promise<RenderOutcome> {
  const now = o.now ?? (() => 0);
  const started = now();
  const signal = o.signal;
  const progress = (phase: RenderPhase) => (p: number) => {
    const [a, b] = SPAN[phase];
    o.onProgress?.(Math.min(99, Math.floor(a + ((b - a) * p) / 100)), phase);
  };
  const kernels = o.kernels ? { kernels: o.kernels } : {};
  try {
    const before =
      o.before ??
      (await analyseAudio(source, { ...kernels, onProgress: progress('analyse'), ...(signal ? { signal } : {}) }))
        .result;
    const format = o.format ?? 'pcm24';
    const settings: RenderSettings = {
      target: o.target,
      format,
      ceilingDbtp: o.target.ceilingDbtp,
      lookaheadMs: o.lookaheadMs ?? DEFAULT_LIMITER.lookaheadMs,
      releaseMs: o.releaseMs ?? DEFAULT_LIMITER.releaseMs,
      maxReductionDb: o.maxReductionDb ?? DEFAULT_MAX_REDUCTION_DB,
      force: !!o.force,
    };
    const plan = planGain(before, o.target, settings);
    const { stream, stats } = await renderPass(source, sink, settings, plan, before.file.frames.value, o, progress);
    if (signal?.aborted) throw new AudioDecodeError(source.name, RENDER_CANCELLED);
    const written = await sink.readBack();
    const after = (
      await analyseAudio(written, { ...kernels, onProgress: progress('verify'), ...(signal ? { signal } : {}) })
    ).result;
    const afterFigures = figuresOf(after);
    o.onProgress?.(100, 'verify');
    return {
      stream,
      before,
      after,
      record: {
        renderedAt: Date.now(),
        inputName: source.name,
        outputName: written.name,
        settings,
        plan,
        limiter: stats,
        before: figuresOf(before),
        after: afterFigures,
        ...judge(afterFigures, o.target, plan),
        elapsedMs: now() - started,
      },
    };
  } catch (e) {
    await sink.abort().catch(() => {});
    if (signal?.aborted) throw new AudioDecodeError(source.name, RENDER_CANCELLED);
    throw e;
  }
}

async function renderPass(
  source: ByteSource,
  sink: ByteSink,
  settings: RenderSettings,
  plan: GainPlan,
  frames: number,
  o: RenderOptions,
  progress: (phase: RenderPhase) => (p: number) => void,
): Promise<{ stream: AudioStreamInfo; stats: LimiterStats }> {
  const decoder = await openAudio(source);
  const { info } = decoder;
  const limiter = new TruePeakLimiter({
    sampleRate: info.sampleRate,
    channels: info.channels,
    gainDb: plan.gainDb,
    ceilingDbtp: settings.ceilingDbtp,
    lookaheadMs: settings.lookaheadMs,
    releaseMs: settings.releaseMs,
    ...(o.kernels ? { kernels: o.kernels } : {}),
  });
  const header = { sampleRate: info.sampleRate, layout: info.channelLayout, format: settings.format, frames };
  await sink.write(wavHeader(header));
  const dither = new TpdfDither();
  const frameBytes = info.channels * FORMAT_BYTES[settings.format];
  let pending: Uint8Array[] = [];
  let written = 0;
  const emit = (out: Float32Array[], length: number) => {
    // The pass-1 frame count is the header's promise: never write past it.
    const n = Math.min(length, frames - written);
    if (n <= 0) return;
    const bytes = new Uint8Array(n * frameBytes);
    encodeFrames(out, n, settings.format, dither, bytes);
    pending.push(bytes);
    written += n;
  };
  const drain = async () => {
    const parts = pending;
    pending = [];
    for (const p of parts) await sink.write(p);
  };
  const step = progress('render');
  let last = -1;
  // WAV/AIFF data goes to the kernels undecoded when they decode it themselves (WASM), as in analysis.
  const pcm = limiter.decodesPcm ? decoder.pcm : undefined;
  const blocks: AsyncIterable<Uint8Array | Float32Array[]> = pcm ? pcm.blocks() : decoder.chunks();
  for await (const block of blocks) {
    if (o.signal?.aborted) throw new AudioDecodeError(source.name, RENDER_CANCELLED);
    if (pcm && block instanceof Uint8Array) limiter.pushPcm(block, pcm.layout, emit);
    else limiter.push(block as Float32Array[], emit);
    await drain();
    const percent = Math.floor((100 * written) / Math.max(1, frames));
    if (percent !== last) step((last = percent));
  }
  limiter.flush(emit);
  await drain();
  if (written < frames) {
    // The file changed between the passes (it ended sooner): keep the header honest with silence.
    const silence = Array.from({ length: info.channels }, () => new Float32Array(Math.min(65536, frames - written)));
    while (written < frames) emit(silence, silence[0]!.length);
    await drain();
  }
  await sink.write(wavTrailer(header));
  await sink.close();
  return { stream: info, stats: limiter.stats };
}
