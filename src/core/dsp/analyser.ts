/**
 * The streaming analyser: feed planar float chunks in order, then call `finish()` once.
 *
 *   const a = makeAnalyser({ sampleRate: 48000, channels: 2 });
 *   for (const chunk of chunks) a.push(chunk);   // chunk: one Float32Array per channel
 *   const result = a.finish();
 *
 * Memory is bounded by fixed buffers (a 3 s ring, one FFT frame per channel, filter states)
 * plus O(duration / 100 ms) loudness values; the audio itself is never kept. Chunks of any
 * size are accepted and processed in slices of at most the kernels' maxFrames (8192). Not thread-safe: one
 * analyser per stream. Throws InvalidSampleError on NaN or infinite samples.
 */
import { ChannelLevels } from './channel-levels.ts';
import { channelWeight, defaultLayout } from './channels.ts';
import type { ChannelLabel } from './channels.ts';
import { kWeightingFilters } from './k-weighting.ts';
import { makeTsKernels, decodesPcm as kernelsDecodePcm } from './kernels.ts';
import type { KernelFactory, PcmLayout } from './kernels.ts';
import { LoudnessWindows } from './loudness-windows.ts';
import { NoiseFloor } from './noise-floor.ts';
import { buildResult } from './build-result.ts';
import { SignalOverview } from './overview.ts';
import type { AnalysisResult } from './result-schema.ts';
import { SpectrumAverager } from './spectrum.ts';
import { StereoMeter } from './stereo.ts';
import { INTERPOLATOR_DELAY, TruePeakChannel } from './true-peak.ts';

export const MAX_CHANNELS = 32;
/** K-weighting's shelf sits at 1.68 kHz, so BS.1770 needs a Nyquist frequency well above it. */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 768000;

export interface AnalyserOptions {
  sampleRate: number;
  channels: number;
  /** One label per channel; defaults to the WAV/SMPTE layout for the channel count. */
  channelLayout?: readonly ChannelLabel[];
  /** Hot-loop implementation: the TypeScript reference (default) or the WASM build (wasm-kernels.ts). */
  kernels?: KernelFactory;
}

export interface Analyser {
  /** Frames pushed so far. */
  readonly frames: number;
  /** Adds one chunk: `planar[c]` holds channel c; all channels must have the same length. */
  push(planar: readonly Float32Array[]): void;
  /** Flushes filters and computes every figure. Call once; the analyser is spent afterwards. */
  finish(): AnalysisResult;
}

/** Everything the result builder reads once the stream has ended. */
export interface AnalyserState {
  sampleRate: number;
  layout: ChannelLabel[];
  weights: number[];
  frames: number;
  loudness: LoudnessWindows;
  monoSum: LoudnessWindows | null;
  levels: ChannelLevels[];
  truePeaks: TruePeakChannel[];
  spectrum: SpectrumAverager;
  stereo: StereoMeter | null;
  noiseFloor: NoiseFloor;
  overview: SignalOverview;
  warnings: string[];
}

/**
 * An analyser that can also take undecoded interleaved PCM (WAV/AIFF data), decoded straight
 * into the kernels' memory when `decodesPcm` (the WASM kernels); a reference analyser takes
 * planar chunks only.
 */
export interface PcmAnalyser extends Analyser {
  readonly decodesPcm: boolean;
  /** Adds whole interleaved frames; throws when `decodesPcm` is false. */
  pushPcm(bytes: Uint8Array, layout: PcmLayout): void;
}

export function makeAnalyser(options: AnalyserOptions): PcmAnalyser {
  const { sampleRate, channels } = options;
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS)
    throw new RangeError(`cannot analyse ${channels} channels (1 to ${MAX_CHANNELS} supported)`);
  if (!(sampleRate >= MIN_SAMPLE_RATE && sampleRate <= MAX_SAMPLE_RATE))
    throw new RangeError(
      `cannot analyse at a sample rate of ${sampleRate} Hz (${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz supported)`,
    );
  const layout = options.channelLayout ? [...options.channelLayout] : defaultLayout(channels);
  if (layout.length !== channels)
    throw new RangeError(`channel layout has ${layout.length} labels for ${channels} channels`);
  const weights = layout.map(channelWeight);
  const kernels = (options.kernels ?? makeTsKernels)(channels, kWeightingFilters(sampleRate));
  const SLICE = kernels.maxFrames;
  const fl = layout.indexOf('FL'),
    fr = layout.indexOf('FR');
  const pair = fl >= 0 && fr >= 0 ? ([fl, fr] as const) : channels === 2 ? ([0, 1] as const) : null;
  const loudness = new LoudnessWindows(sampleRate);
  const state: AnalyserState = {
    sampleRate,
    layout,
    weights,
    frames: 0,
    loudness,
    monoSum: pair ? new LoudnessWindows(sampleRate, true) : null,
    levels: layout.map((_, c) => new ChannelLevels(c, sampleRate)),
    truePeaks: layout.map(() => new TruePeakChannel(sampleRate)),
    spectrum: new SpectrumAverager(
      sampleRate,
      layout.flatMap((label, c) => (label === 'LFE' ? [] : [c])),
      kernels.spectrum,
    ),
    stereo: pair ? new StereoMeter(sampleRate, loudness.hop) : null,
    noiseFloor: new NoiseFloor(sampleRate, channels),
    overview: new SignalOverview(sampleRate, pair),
    warnings: [],
  };
  let finished = false;

  /** Runs INTERPOLATOR_DELAY zeros through each channel's interpolator so the last samples are interpolated. */
  function flushTruePeaks(): void {
    const zeros = new Float32Array(INTERPOLATOR_DELAY);
    kernels.begin(INTERPOLATOR_DELAY);
    for (let c = 0; c < channels; c++) {
      const tp = state.truePeaks[c]!;
      kernels.load(c, zeros, INTERPOLATOR_DELAY);
      tp.consume(
        kernels.truePeakOut,
        INTERPOLATOR_DELAY,
        kernels.truePeak(c, tp.skipFloor()),
        kernels.truePeakSummary ?? undefined,
      );
    }
  }

  // The fused pair pass adds the pair's energies first, so it is used when that keeps channel order.
  const fusedPair = pair !== null && pair[0] === 0 && pair[1] === 1 && state.stereo !== null;
  const summary = kernels.truePeakSummary ?? undefined;
  const pcmKernels = kernelsDecodePcm(kernels) ? kernels : null;

  function slice(planar: readonly Float32Array[], offset: number, length: number): void {
    kernels.begin(length);
    for (let c = 0; c < channels; c++) kernels.load(c, planar[c]!.subarray(offset, offset + length), length);
    measure(length);
  }

  /** Meters the slice the kernels have loaded. */
  function measure(length: number): void {
    for (let c = 0; c < channels; c++) kernels.levels(c, state.frames, state.levels[c]!);
    const fusedMono = fusedPair ? kernels.pair(0, 1, weights[0]!, weights[1]!, state.stereo!, loudness.hop) : null;
    for (let c = fusedMono ? 2 : 0; c < channels; c++) kernels.kWeight(c, weights[c]!);
    for (let c = 0; c < channels; c++) {
      const tp = state.truePeaks[c]!;
      tp.consume(kernels.truePeakOut, length, kernels.truePeak(c, tp.skipFloor()), summary);
    }
    loudness.push(kernels.energy, length);
    if (fusedMono) state.monoSum!.push(fusedMono, length);
    else if (pair && state.monoSum && state.stereo) {
      const [l, r] = pair;
      state.monoSum.push(kernels.monoEnergy(l, r), length);
      kernels.stereo(l, r, state.stereo, loudness.hop);
    }
    state.spectrum.push(length);
    state.noiseFloor.push(kernels.squares, length);
    state.overview.push(kernels.input, channels, length);
    state.frames += length;
  }

  return {
    get frames() {
      return state.frames;
    },
    push(planar) {
      if (finished) throw new Error('analyser already finished');
      if (planar.length !== channels) throw new RangeError(`chunk has ${planar.length} channels, expected ${channels}`);
      const length = planar[0]!.length;
      for (const ch of planar)
        if (ch.length !== length) throw new RangeError('all channels of a chunk must have the same length');
      for (let offset = 0; offset < length; offset += SLICE) slice(planar, offset, Math.min(SLICE, length - offset));
    },
    decodesPcm: pcmKernels !== null,
    pushPcm(bytes, layout) {
      if (finished) throw new Error('analyser already finished');
      if (!pcmKernels) throw new Error('these kernels cannot take undecoded PCM: push planar chunks');
      const frameBytes = channels * layout.bytes;
      if (bytes.length % frameBytes !== 0)
        throw new RangeError(`PCM block of ${bytes.length} bytes is not a whole number of ${frameBytes}-byte frames`);
      const frames = bytes.length / frameBytes;
      for (let offset = 0; offset < frames; offset += SLICE) {
        const length = Math.min(SLICE, frames - offset);
        kernels.begin(length);
        pcmKernels.loadPcm(bytes.subarray(offset * frameBytes, (offset + length) * frameBytes), length, layout);
        measure(length);
      }
    },
    finish() {
      if (finished) throw new Error('analyser already finished');
      finished = true;
      flushTruePeaks();
      state.levels.forEach((lv, c) => kernels.flushLevels(c, lv));
      return buildResult(state);
    },
  };
}
