/**
 * The streaming analyser: feed planar float chunks in order, then call `finish()` once.
 *
 *   const a = createAnalyser({ sampleRate: 48000, channels: 2 });
 *   for (const chunk of chunks) a.push(chunk);   // chunk: one Float32Array per channel
 *   const result = a.finish();
 *
 * Memory is bounded by fixed buffers (a 3 s ring, one FFT frame per channel, filter states)
 * plus O(duration / 100 ms) loudness values; the audio itself is never kept. Chunks of any
 * size are accepted and processed in slices of at most SLICE frames. Not thread-safe: one
 * analyser per stream. Throws InvalidSampleError on NaN or infinite samples.
 */
import { ChannelLevels } from './channel-levels.ts';
import { channelWeight, defaultLayout } from './channels.ts';
import type { ChannelLabel } from './channels.ts';
import { kWeightingFilters, kWeightInto } from './k-weighting.ts';
import { LoudnessWindows } from './loudness-windows.ts';
import { NoiseFloor } from './noise-floor.ts';
import { buildResult } from './build-result.ts';
import type { AnalysisResult } from './result-schema.ts';
import { SpectrumAverager } from './spectrum.ts';
import { StereoMeter } from './stereo.ts';
import { TruePeakChannel } from './true-peak.ts';

export const MAX_CHANNELS = 32;
const SLICE = 8192;

export interface AnalyserOptions {
  sampleRate: number;
  channels: number;
  /** One label per channel; defaults to the WAV/SMPTE layout for the channel count. */
  channelLayout?: readonly ChannelLabel[];
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
  warnings: string[];
}

export function createAnalyser(options: AnalyserOptions): Analyser {
  const { sampleRate, channels } = options;
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) throw new RangeError(`cannot analyse ${channels} channels (1 to ${MAX_CHANNELS} supported)`);
  if (!(sampleRate >= 1000 && sampleRate <= 1_536_000)) throw new RangeError(`cannot analyse at a sample rate of ${sampleRate} Hz`);
  const layout = options.channelLayout ? [...options.channelLayout] : defaultLayout(channels);
  if (layout.length !== channels) throw new RangeError(`channel layout has ${layout.length} labels for ${channels} channels`);
  const weights = layout.map(channelWeight);
  const filters = kWeightingFilters(sampleRate);
  const filterStates = layout.map(() => new Float64Array(8));
  const kOut = layout.map(() => new Float64Array(SLICE));
  const energy = new Float64Array(SLICE);
  const monoEnergy = new Float64Array(SLICE);
  const squares = new Float64Array(SLICE);
  const fl = layout.indexOf('FL'), fr = layout.indexOf('FR');
  const pair = fl >= 0 && fr >= 0 ? [fl, fr] as const : channels === 2 ? [0, 1] as const : null;
  const loudness = new LoudnessWindows(sampleRate);
  const state: AnalyserState = {
    sampleRate, layout, weights, frames: 0, loudness,
    monoSum: pair ? new LoudnessWindows(sampleRate) : null,
    levels: layout.map((_, c) => new ChannelLevels(c, sampleRate)),
    truePeaks: layout.map(() => new TruePeakChannel(sampleRate)),
    spectrum: new SpectrumAverager(sampleRate, layout.flatMap((label, c) => (label === 'LFE' ? [] : [c]))),
    stereo: pair ? new StereoMeter(sampleRate, loudness.hop) : null,
    noiseFloor: new NoiseFloor(sampleRate, channels),
    warnings: [],
  };
  let finished = false;

  function slice(planar: readonly Float32Array[], offset: number, length: number): void {
    energy.fill(0, 0, length);
    squares.fill(0, 0, length);
    for (let c = 0; c < channels; c++) {
      const x = planar[c]!.subarray(offset, offset + length);
      state.levels[c]!.push(x, length, state.frames);
      kWeightInto(filters, filterStates[c]!, x, kOut[c]!, weights[c]!, energy, squares, length);
      state.truePeaks[c]!.push(x, length);
    }
    loudness.push(energy, length);
    if (pair && state.monoSum && state.stereo) {
      const yl = kOut[pair[0]]!, yr = kOut[pair[1]]!;
      // The mono sum (L+R)/2 played on both loudspeakers: 2 * ((yl+yr)/2)^2.
      for (let n = 0; n < length; n++) { const s = yl[n]! + yr[n]!; monoEnergy[n] = 0.5 * s * s; }
      state.monoSum.push(monoEnergy, length);
      state.stereo.push(planar[pair[0]]!.subarray(offset, offset + length), planar[pair[1]]!.subarray(offset, offset + length), length);
    }
    state.spectrum.push(planar, offset, length);
    state.noiseFloor.push(squares, length);
    state.frames += length;
  }

  return {
    get frames() { return state.frames; },
    push(planar) {
      if (finished) throw new Error('analyser already finished');
      if (planar.length !== channels) throw new RangeError(`chunk has ${planar.length} channels, expected ${channels}`);
      const length = planar[0]!.length;
      for (const ch of planar) if (ch.length !== length) throw new RangeError('all channels of a chunk must have the same length');
      for (let offset = 0; offset < length; offset += SLICE) slice(planar, offset, Math.min(SLICE, length - offset));
    },
    finish() {
      if (finished) throw new Error('analyser already finished');
      finished = true;
      for (const tp of state.truePeaks) tp.flush();
      for (const lv of state.levels) lv.flush();
      return buildResult(state);
    },
  };
}
