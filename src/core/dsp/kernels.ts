/**
 * The analyser's hot loops behind one interface, so the plain TypeScript reference and the
 * WASM build (src/wasm, loaded by wasm-kernels.ts) are interchangeable and can be compared.
 * A kernel set is stateful (filter and interpolator memory per channel): one per analyser.
 *
 * Per slice of at most `maxFrames` frames: begin(length); load(c, x) for each channel (every
 * channel keeps its own input); then kWeight(c, weight) in channel order and truePeak(c, floor);
 * then read energy/squares and kOut(c).
 */
import type { Biquad } from './biquad.ts';
import type { ChannelLevels } from './channel-levels.ts';
import type { StereoMeter } from './stereo.ts';
import { kWeightInto } from './k-weighting.ts';
import type { SpectrumFrameKernel } from './spectrum.ts';
import { INTERPOLATOR_TAPS, interpolate4x } from './true-peak.ts';
import type { TruePeakSummary } from './true-peak.ts';

/** Interleaved PCM sample layout (the same shape as audio/pcm.ts PcmFormat). */
export interface PcmLayout {
  kind: 'int' | 'float';
  /** Bytes per sample in the container (1, 2, 3, 4 or 8). */
  bytes: number;
  bigEndian: boolean;
  /** 8-bit WAV is unsigned (offset 128); 8-bit AIFF is signed. */
  unsigned8: boolean;
}

export interface MeterKernels {
  readonly maxFrames: number;
  /** Sum over channels of weight * (K-weighted sample)^2, per frame of the current slice. */
  readonly energy: Float64Array;
  /** Sum over channels of sample^2, per frame of the current slice. */
  readonly squares: Float64Array;
  /** Four magnitudes per frame written by the last truePeak() call. */
  readonly truePeakOut: Float64Array;
  begin(length: number): void;
  /** Makes `x` (length frames) the current input of channel `c`. */
  load(c: number, x: Float32Array, length: number): void;
  kWeight(c: number, weight: number): void;
  /** K-weighted output of channel c for the current slice. */
  kOut(c: number): Float64Array;
  /** Runs the 4x interpolator on the loaded input; returns the largest magnitude (see interpolate4x). */
  truePeak(c: number, floor: number): number;
  /**
   * Optional: the last truePeak() call's bookkeeping done by the kernel (TruePeakSummary), for
   * TruePeakChannel.consume to take instead of scanning truePeakOut. The kernel keeps its own
   * per-channel peak and runs, so every truePeak() output of a channel must be consumed.
   */
  readonly truePeakSummary?: TruePeakSummary;
  /** A faster spectrum frame transform, when the implementation has one. */
  readonly spectrum?: SpectrumFrameKernel;
  /**
   * Optional fused passes (the WASM set has them; without them the analyser runs the
   * reference classes): level statistics of the loaded channel c (throws InvalidSampleError),
   * the open clipping run at the end of the stream, stereo sums of the loaded pair, and the
   * mono-sum energy from the K-weighted pair.
   */
  levels?(c: number, offset: number, into: ChannelLevels): void;
  flushLevels?(c: number, into: ChannelLevels): void;
  stereo?(l: number, r: number, into: StereoMeter, hop: number): void;
  monoEnergy?(l: number, r: number): Float64Array;
  /**
   * kWeight(l), kWeight(r), stereo(l, r) and monoEnergy(l, r) in one pass over the loaded
   * pair, with the same results; returns the mono-sum energy. It writes energy and squares
   * rather than adding to them, so it must be the first pass after begin(), and it leaves
   * kOut(l) and kOut(r) unwritten. The analyser uses it when the pair is channels 0 and 1
   * (so the energy sums keep channel order).
   */
  pair?(l: number, r: number, wl: number, wr: number, into: StereoMeter, hop: number): Float64Array;
  /**
   * Loads every channel at once from `frames` interleaved PCM frames (exactly the slice's
   * bytes), decoded as audio/pcm.ts decodePcm would: no Float32 copy of the audio is made in JS.
   */
  loadPcm?(bytes: Uint8Array, frames: number, layout: PcmLayout): void;
}

export type KernelFactory = (channels: number, filters: readonly [Biquad, Biquad]) => MeterKernels;

/** The plain TypeScript kernels (the reference). */
export const createTsKernels: KernelFactory = (channels, filters) => {
  const maxFrames = 8192;
  const kOut = Array.from({ length: channels }, () => new Float64Array(maxFrames));
  const states = Array.from({ length: channels }, () => new Float64Array(8));
  const work = Array.from({ length: channels }, () => new Float64Array(maxFrames + INTERPOLATOR_TAPS));
  const inputs: Float32Array[] = new Array<Float32Array>(channels).fill(new Float32Array(0));
  const energy = new Float64Array(maxFrames), squares = new Float64Array(maxFrames);
  const truePeakOut = new Float64Array(4 * maxFrames);
  let length = 0;
  return {
    maxFrames, energy, squares, truePeakOut,
    begin(n) { length = n; energy.fill(0, 0, n); squares.fill(0, 0, n); },
    load(c, x) { inputs[c] = x; },
    kWeight(c, weight) { kWeightInto(filters, states[c]!, inputs[c]!, kOut[c]!, weight, energy, squares, length); },
    kOut: (c) => kOut[c]!,
    truePeak: (c, floor) => interpolate4x(work[c]!, inputs[c]!, length, floor, truePeakOut),
  };
};
