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
import { ChannelLevels, type LevelsPart } from './channel-levels.ts';
import type { LoudnessPart } from './loudness-windows.ts';
import type { NoiseFloorPart } from './noise-floor.ts';
import type { OverviewPart } from './overview.ts';
import type { SpectrumPart } from './spectrum.ts';
import type { StereoPart } from './stereo.ts';
import type { TruePeakPart } from './true-peak.ts';
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
import { pairLeadsSpectrum, SpectrumAverager, spectrumChannels } from './spectrum.ts';
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
  /** Analyse one slice of a longer stream (analysis-split.ts) and end with finishPart() instead of finish(). */
  span?: AnalysisSpan;
}

/**
 * Where a slice's frames sit in the whole stream. The frames pushed start at `preRollFrom`:
 * [preRollFrom, start) only settles the filters, windows and runs; [start, end) is measured;
 * frames from `end` on (a post-roll) go only to the true-peak interpolator (its first
 * INTERPOLATOR_DELAY frames), the spectrum frames and the overview columns that start before
 * `end` (`spectrumTo`, `overviewTo`); `spectrumFrom` and `overviewFrom` are where this slice's
 * spectrum frames and overview columns start. `last`: the slice ends the stream (it flushes).
 */
export interface AnalysisSpan {
  preRollFrom: number;
  start: number;
  end: number;
  spectrumFrom: number;
  spectrumTo: number;
  overviewFrom: number;
  overviewTo: number;
  last: boolean;
}

/** One slice's figures, plain data (a worker posts it): merged by analysis-split.ts. */
export interface AnalysisPart {
  span: AnalysisSpan;
  levels: LevelsPart[];
  truePeaks: TruePeakPart[];
  loudness: LoudnessPart;
  monoBlocks: Float64Array | null;
  stereo: StereoPart | null;
  noiseFloor: NoiseFloorPart;
  spectrum: SpectrumPart;
  overview: OverviewPart;
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
  /** The figures of the slice given as `span`; call once instead of finish(). */
  finishPart(): AnalysisPart;
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
  const span = options.span ?? null;
  const origin = span ? span.preRollFrom : 0;
  const loudness = new LoudnessWindows(sampleRate, false, origin);
  const state: AnalyserState = {
    sampleRate,
    layout,
    weights,
    frames: origin,
    loudness,
    monoSum: pair ? new LoudnessWindows(sampleRate, true, origin) : null,
    levels: layout.map((_, c) => new ChannelLevels(c, sampleRate)),
    truePeaks: layout.map(() => new TruePeakChannel(sampleRate, origin)),
    spectrum: new SpectrumAverager(
      sampleRate,
      spectrumChannels(layout),
      kernels.spectrum,
      pairLeadsSpectrum(layout, pair),
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

  /** Frames of the next kernel slice: the whole of `frames` or up to the next edge of the span's regions. */
  function sliceLength(frames: number): number {
    let n = Math.min(SLICE, frames);
    if (!span) return n;
    const at = state.frames;
    for (const edge of [span.start, span.start + INTERPOLATOR_DELAY, span.end, span.end + INTERPOLATOR_DELAY])
      if (at < edge && at + n > edge) n = edge - at;
    return n;
  }

  /** Meters the slice the kernels have loaded (a part of a span's pre-roll, measured range or post-roll). */
  function measure(length: number): void {
    if (!span) return measureAll(length);
    const at = state.frames;
    const preRolled = span.start > span.preRollFrom;
    if (preRolled && at === span.start + INTERPOLATOR_DELAY)
      // The interpolator lags its input by INTERPOLATOR_DELAY: its outputs reach the slice here.
      state.truePeaks.forEach((tp, c) => {
        tp.startRecording();
        kernels.restartTruePeak(c);
      });
    if (preRolled && at === span.start) {
      // The pre-roll ends here: filters, windows and open runs are settled; record from now on.
      state.levels.forEach((lv) => lv.startRecording());
      loudness.startRecording();
      state.monoSum?.startRecording();
      state.stereo?.startRecording();
    }
    if (at >= span.end) {
      if (at < span.end + INTERPOLATOR_DELAY) truePeaks(length);
    } else {
      meterStream(length);
      if (at >= span.start) state.noiseFloor.push(kernels.squares, length);
    }
    const within = (from: number, to: number): [number, number] => [
      Math.min(length, Math.max(0, from - at)),
      Math.min(length, Math.max(0, to - at)),
    ];
    const [s0, s1] = within(span.spectrumFrom, span.spectrumTo);
    if (s1 > s0) state.spectrum.push(s1, s0);
    const [o0, o1] = within(span.overviewFrom, span.overviewTo);
    if (o1 > o0) state.overview.push(kernels.input, channels, o1, o0);
    state.frames += length;
  }

  function truePeaks(length: number): void {
    for (let c = 0; c < channels; c++) {
      const tp = state.truePeaks[c]!;
      tp.consume(kernels.truePeakOut, length, kernels.truePeak(c, tp.skipFloor()), summary);
    }
  }

  /** The meters that carry state from frame to frame: levels, K-weighted loudness, true peak, stereo. */
  function meterStream(length: number): void {
    for (let c = 0; c < channels; c++) kernels.levels(c, state.frames, state.levels[c]!);
    const fusedMono = fusedPair ? kernels.pair(0, 1, weights[0]!, weights[1]!, state.stereo!, loudness.hop) : null;
    for (let c = fusedMono ? 2 : 0; c < channels; c++) kernels.kWeight(c, weights[c]!);
    truePeaks(length);
    loudness.push(kernels.energy, length);
    if (fusedMono) state.monoSum!.push(fusedMono, length);
    else if (pair && state.monoSum && state.stereo) {
      const [l, r] = pair;
      state.monoSum.push(kernels.monoEnergy(l, r), length);
      kernels.stereo(l, r, state.stereo, loudness.hop);
    }
  }

  /** Meters the slice the kernels have loaded (a whole stream). */
  function measureAll(length: number): void {
    meterStream(length);
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
      for (let offset = 0, n = 0; offset < length; offset += n)
        slice(planar, offset, (n = sliceLength(length - offset)));
    },
    decodesPcm: pcmKernels !== null,
    pushPcm(bytes, layout) {
      if (finished) throw new Error('analyser already finished');
      if (!pcmKernels) throw new Error('these kernels cannot take undecoded PCM: push planar chunks');
      const frameBytes = channels * layout.bytes;
      if (bytes.length % frameBytes !== 0)
        throw new RangeError(`PCM block of ${bytes.length} bytes is not a whole number of ${frameBytes}-byte frames`);
      const frames = bytes.length / frameBytes;
      for (let offset = 0, length = 0; offset < frames; offset += length) {
        length = sliceLength(frames - offset);
        kernels.begin(length);
        pcmKernels.loadPcm(bytes.subarray(offset * frameBytes, (offset + length) * frameBytes), length, layout);
        measure(length);
      }
    },
    finishPart() {
      if (finished) throw new Error('analyser already finished');
      if (!span) throw new Error('finishPart() needs a span: call finish()');
      finished = true;
      if (span.last) {
        flushTruePeaks();
        state.levels.forEach((lv, c) => kernels.flushLevels(c, lv));
      }
      return {
        span,
        levels: state.levels.map((lv) => lv.part()),
        truePeaks: state.truePeaks.map((tp) => tp.part()),
        loudness: loudness.part(),
        monoBlocks: state.monoSum ? state.monoSum.blocks.toArray() : null,
        stereo: state.stereo ? state.stereo.part() : null,
        noiseFloor: state.noiseFloor.part(),
        spectrum: state.spectrum.part(),
        overview: state.overview.part(),
      };
    },
    finish() {
      if (finished) throw new Error('analyser already finished');
      if (span) throw new Error('an analyser of a slice ends with finishPart()');
      finished = true;
      flushTruePeaks();
      state.levels.forEach((lv, c) => kernels.flushLevels(c, lv));
      return buildResult(state);
    },
  };
}
