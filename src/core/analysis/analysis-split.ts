/**
 * One file's full analysis split over several workers by time: each worker analyses one slice
 * of the PCM data, reading only its own byte range (WAV, RF64/BW64, AIFF/AIFC), and the
 * slices' figures are merged into the result one pass would give.
 *
 * Why the merge is exact: a slice starts on a common grid (100 ms loudness hops, 50 ms
 * noise-floor windows, even frames) and is preceded by PRE_ROLL_SECONDS of audio that only
 * settles state: the K-weighting and low-band filters, the 3 s ring of the loudness windows
 * (so 400 ms blocks at 75 % overlap and 3 s short-term windows straddling the seam are whole),
 * the interpolator history, open clipping runs and overs. It ends with INTERPOLATOR_DELAY
 * frames of post-roll so the interpolator sees the samples after its last ones. Spectrum
 * frames and overview columns (which do not sit on that grid) belong to the slice they start
 * in, which reads on to finish them. Sums are then added in slice order, lists appended and
 * maxima taken first-wins, as one pass would (analyser.ts AnalysisPart; each meter's
 * absorbPart). Sums of squares differ from one pass by rounding only (~1e-15 relative).
 *
 * Known limits, both far outside music: a clipping run or an over run longer than the
 * pre-roll that crosses a seam is counted with the pre-roll's start as its start.
 */
import { makeAnalyser, type AnalysisPart, type AnalysisSpan, type AnalyserState } from '../dsp/analyser.ts';
import { buildResult } from '../dsp/build-result.ts';
import { ChannelLevels } from '../dsp/channel-levels.ts';
import { channelWeight, type ChannelLabel } from '../dsp/channels.ts';
import type { KernelFactory } from '../dsp/kernels.ts';
import { LoudnessWindows } from '../dsp/loudness-windows.ts';
import { NoiseFloor } from '../dsp/noise-floor.ts';
import { finalFramesPerColumn, goniometerStride, SignalOverview } from '../dsp/overview.ts';
import type { AnalysisResult } from '../dsp/result-schema.ts';
import {
  pairLeadsSpectrum,
  SpectrumAverager,
  spectrumChannels,
  spectrumFrameSize,
  TsSpectrumFrames,
} from '../dsp/spectrum.ts';
import { StereoMeter } from '../dsp/stereo.ts';
import { INTERPOLATOR_DELAY, TruePeakChannel } from '../dsp/true-peak.ts';
import type { ByteSource } from '../audio/byte-source.ts';
import { AudioDecodeError, type AudioStreamInfo } from '../audio/decoder.ts';
import { openAudio } from '../audio/open-audio.ts';
import { decodePcm } from '../audio/pcm.ts';

/** Audio before a slice that only settles state: the 3 s short-term window plus 1 s for the filters. */
export const PRE_ROLL_SECONDS = 4;
/** Slices shorter than this are not worth a worker (each pays a pre-roll and a start-up). */
export const MIN_SLICE_SECONDS = 20;
/** At most this many workers analyse one file (an iPad has 6 cores). */
export const MAX_SLICES = 6;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
function lcm(...xs: number[]): number {
  return xs.reduce((a, b) => (a / gcd(a, b)) * b, 1);
}
const ceilTo = (x: number, step: number) => Math.ceil(x / step) * step;

/** The facts of a stream that the plan and the merge need. */
export interface SplitStream {
  sampleRate: number;
  channelLayout: ChannelLabel[];
  /** Whole frames present in the file. */
  frames: number;
}

/**
 * Up to `workers` slices of a stream of `frames` frames (fewer when slices would be shorter
 * than MIN_SLICE_SECONDS; one slice covering everything is a plain one-pass analysis).
 */
export function planSlices(
  sampleRate: number,
  frames: number,
  workers: number,
  minSliceSeconds = MIN_SLICE_SECONDS,
): AnalysisSpan[] {
  const hop = Math.max(1, Math.round(sampleRate / 10));
  const grid = lcm(hop, Math.max(1, Math.round(sampleRate * 0.05)), 2);
  const count = Math.max(1, Math.min(workers, MAX_SLICES, Math.floor(frames / (minSliceSeconds * sampleRate))));
  const edges = [0];
  for (let k = 1; k < count; k++) {
    const edge = Math.round((k * frames) / count / grid) * grid;
    if (edge > edges[edges.length - 1]! && edge < frames) edges.push(edge);
  }
  edges.push(frames);
  const preRoll = Math.ceil((PRE_ROLL_SECONDS * sampleRate) / hop) * hop;
  const spectrum = spectrumFrameSize(sampleRate);
  const columns = lcm(finalFramesPerColumn(frames), goniometerStride(sampleRate), 2);
  return edges.slice(0, -1).map((start, k) => {
    const end = edges[k + 1]!,
      last = end === frames;
    return {
      preRollFrom: Math.max(0, start - preRoll),
      start,
      end,
      spectrumFrom: ceilTo(start, spectrum),
      spectrumTo: last ? frames : Math.min(frames, ceilTo(end, spectrum)),
      overviewFrom: ceilTo(start, columns),
      overviewTo: last ? frames : Math.min(frames, ceilTo(end, columns)),
      last,
    };
  });
}

/** The frames a slice's worker reads: its pre-roll to the end of whatever it finishes. */
export function spanReads(span: AnalysisSpan): { from: number; to: number } {
  return {
    from: span.preRollFrom,
    to: Math.max(span.end + (span.last ? 0 : INTERPOLATOR_DELAY), span.spectrumTo, span.overviewTo),
  };
}

/** Merges the parts of every slice of a plan (any order) into the one-pass result. */
export function mergeParts(stream: SplitStream, parts: readonly AnalysisPart[]): AnalysisResult {
  const { sampleRate, channelLayout: layout, frames } = stream;
  const ordered = [...parts].sort((a, b) => a.span.start - b.span.start);
  const fl = layout.indexOf('FL'),
    fr = layout.indexOf('FR');
  const pair = fl >= 0 && fr >= 0 ? ([fl, fr] as const) : layout.length === 2 ? ([0, 1] as const) : null;
  const loudness = new LoudnessWindows(sampleRate);
  const state: AnalyserState = {
    sampleRate,
    layout: [...layout],
    weights: layout.map(channelWeight),
    frames,
    loudness,
    monoSum: pair ? new LoudnessWindows(sampleRate, true) : null,
    levels: layout.map((_, c) => new ChannelLevels(c, sampleRate)),
    truePeaks: layout.map(() => new TruePeakChannel(sampleRate)),
    spectrum: new SpectrumAverager(
      sampleRate,
      spectrumChannels(layout),
      new TsSpectrumFrames(() => new Float32Array(0)),
      pairLeadsSpectrum(layout, pair),
    ),
    stereo: pair ? new StereoMeter(sampleRate, loudness.hop) : null,
    noiseFloor: new NoiseFloor(sampleRate, layout.length),
    overview: new SignalOverview(sampleRate, pair),
    warnings: [],
  };
  const perColumn = finalFramesPerColumn(frames);
  for (const p of ordered) {
    p.levels.forEach((lv, c) => state.levels[c]!.absorbPart(lv));
    p.truePeaks.forEach((tp, c) => state.truePeaks[c]!.absorbPart(tp));
    loudness.absorbPart(p.loudness);
    if (state.monoSum && p.monoBlocks) for (const v of p.monoBlocks) state.monoSum.blocks.push(v);
    if (state.stereo && p.stereo) state.stereo.absorbPart(p.stereo);
    state.noiseFloor.absorbPart(p.noiseFloor);
    state.spectrum.absorbPart(p.spectrum);
    state.overview.absorbPart(p.overview, perColumn);
  }
  return buildResult(state);
}

/** What a slice's worker needs besides the file: the plan's span and the stream's facts. */
export interface SliceOptions {
  kernels?: KernelFactory;
  signal?: AbortSignal;
  /** Percent (0-100) of the slice's frames read so far. */
  onProgress?: (percent: number) => void;
}

/** Opens a PCM file and says whether it can be analysed in slices (compressed formats cannot). */
export async function splitStreamOf(
  source: ByteSource,
): Promise<(SplitStream & { info: AudioStreamInfo; warnings: string[] }) | null> {
  const decoder = await openAudio(source);
  if (!decoder.pcm) return null;
  const { info } = decoder;
  // PCM decoders report every warning (truncation, odd headers) when they open.
  return {
    info,
    warnings: [...decoder.warnings],
    sampleRate: info.sampleRate,
    channelLayout: info.channelLayout,
    frames: decoder.pcm.frames,
  };
}

/** Analyses one slice of a PCM file, reading only the bytes of `spanReads(span)`. */
export async function analyseSlice(
  source: ByteSource,
  span: AnalysisSpan,
  options: SliceOptions = {},
): Promise<AnalysisPart> {
  const decoder = await openAudio(source);
  const pcm = decoder.pcm;
  if (!pcm) throw new AudioDecodeError(source.name, 'only PCM files (WAV, AIFF) are analysed in slices');
  const { sampleRate, channels, channelLayout } = decoder.info;
  const analyser = makeAnalyser({
    sampleRate,
    channels,
    channelLayout,
    span,
    ...(options.kernels ? { kernels: options.kernels } : {}),
  });
  const { from, to } = spanReads(span);
  const frameBytes = channels * pcm.layout.bytes;
  let read = 0,
    lastPercent = -1;
  for await (const block of pcm.blocks(from, to)) {
    if (options.signal?.aborted) throw new AudioDecodeError(source.name, 'analysis cancelled');
    read += block.length / frameBytes;
    const percent = Math.min(99, Math.floor((100 * read) / (to - from)));
    if (options.onProgress && percent !== lastPercent) options.onProgress((lastPercent = percent));
    if (analyser.decodesPcm) analyser.pushPcm(block, pcm.layout);
    else {
      const n = block.length / frameBytes;
      const planar = Array.from({ length: channels }, () => new Float32Array(n));
      decodePcm(block, n, channels, pcm.layout, planar);
      analyser.push(planar);
    }
  }
  return analyser.finishPart();
}
