/**
 * The analyser's hot loops behind one interface, so the plain TypeScript reference and the
 * WASM build (src/wasm, loaded by wasm-kernels.ts) are interchangeable and can be compared.
 * A kernel set is stateful (filter and interpolator memory per channel): one per analyser.
 *
 * Per slice of at most `maxFrames` frames: begin(length); load(c, x) for each channel (every
 * channel keeps its own input), or loadPcm for all of them; then levels(c), pair() or
 * kWeight(c, weight) in channel order, truePeak(c, floor), stereo/monoEnergy, the spectrum's
 * gather; then read energy/squares and kOut(c).
 */
import type { Biquad } from './biquad.ts';
import type { ChannelLevels } from './channel-levels.ts';
import type { StereoMeter } from './stereo.ts';
import { kWeightInto } from './k-weighting.ts';
import { TsSpectrumFrames, type SpectrumFrameKernel } from './spectrum.ts';
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

/**
 * Every pass the analyser runs over a slice, required of every implementation: the TypeScript
 * reference below and the WASM build (wasm-kernels.ts) implement all of it, so the analyser
 * never asks which one it has. tests/unit/dsp/wasm-kernels.test.ts holds the two to 0.001.
 */
export interface MeterKernels {
  readonly maxFrames: number;
  /** Sum over channels of weight * (K-weighted sample)^2, per frame of the current slice. */
  readonly energy: Float64Array;
  /** Sum over channels of sample^2, per frame of the current slice. */
  readonly squares: Float64Array;
  /** Four magnitudes per frame written by the last truePeak() call (single precision, see interpolate4x). */
  readonly truePeakOut: Float32Array;
  /**
   * The last truePeak() call's bookkeeping done by the kernel, for TruePeakChannel.consume to
   * take instead of scanning truePeakOut; null when the kernel keeps none (the reference). A
   * kernel that keeps it tracks each channel's peak and runs, so every truePeak() output of a
   * channel must be consumed.
   */
  readonly truePeakSummary: TruePeakSummary | null;
  /** The spectrum's framing and transform, over the kernel's loaded input. */
  readonly spectrum: SpectrumFrameKernel;
  begin(length: number): void;
  /** Makes `x` (length frames) the current input of channel `c`. */
  load(c: number, x: Float32Array, length: number): void;
  /** The loaded input of channel c (its first `length` values are the slice's samples). */
  input(c: number): Float32Array;
  /** Level statistics of the loaded channel c (throws InvalidSampleError); `offset` is the stream index of the slice. */
  levels(c: number, offset: number, into: ChannelLevels): void;
  /** The clipping run still open at the end of the stream. */
  flushLevels(c: number, into: ChannelLevels): void;
  kWeight(c: number, weight: number): void;
  /** K-weighted output of channel c for the current slice (after kWeight(c)). */
  kOut(c: number): Float64Array;
  /** Runs the 4x interpolator on the loaded input; returns the largest magnitude (see interpolate4x). */
  truePeak(c: number, floor: number): number;
  /**
   * Forgets the true peak a kernel tracks for channel c (truePeakSummary), keeping the
   * interpolator history and over runs; a no-op where the kernel tracks none (the reference).
   */
  restartTruePeak(c: number): void;
  /** Stereo sums of the loaded pair. */
  stereo(l: number, r: number, into: StereoMeter, hop: number): void;
  /** The mono-sum energy from the K-weighted pair (after kWeight(l) and kWeight(r)). */
  monoEnergy(l: number, r: number): Float64Array;
  /**
   * kWeight(l), kWeight(r), stereo(l, r) and monoEnergy(l, r) over the loaded pair, with the
   * same results; returns the mono-sum energy. An implementation may write energy and squares
   * rather than add to them and leave kOut(l) and kOut(r) unwritten (the WASM one fuses it into
   * one pass), so it must be the first pass after begin(). The analyser uses it when the pair
   * is channels 0 and 1 (so the energy sums keep channel order).
   */
  pair(l: number, r: number, wl: number, wr: number, into: StereoMeter, hop: number): Float64Array;
}

/**
 * Kernels that also decode interleaved PCM themselves (the WASM build): the analyser then takes
 * undecoded WAV/AIFF data and no Float32 copy of the audio is made in JS.
 */
export interface PcmMeterKernels extends MeterKernels {
  /** Loads every channel at once from `frames` interleaved PCM frames (exactly the slice's bytes), decoded as audio/pcm.ts decodePcm would. */
  loadPcm(bytes: Uint8Array, frames: number, layout: PcmLayout): void;
}

export function decodesPcm(kernels: MeterKernels): kernels is PcmMeterKernels {
  return 'loadPcm' in kernels;
}

export type KernelFactory = (channels: number, filters: readonly [Biquad, Biquad]) => MeterKernels;

/** The plain TypeScript kernels (the reference): each pass is the reference class's own code. */
export const makeTsKernels: KernelFactory = (channels, filters) => {
  const maxFrames = 8192;
  const kOut = Array.from({ length: channels }, () => new Float64Array(maxFrames));
  const states = Array.from({ length: channels }, () => new Float64Array(8));
  const work = Array.from({ length: channels }, () => new Float32Array(maxFrames + INTERPOLATOR_TAPS));
  const inputs: Float32Array[] = new Array<Float32Array>(channels).fill(new Float32Array(0));
  const energy = new Float64Array(maxFrames),
    squares = new Float64Array(maxFrames);
  const truePeakOut = new Float32Array(4 * maxFrames);
  const mono = new Float64Array(maxFrames);
  let length = 0;
  const kernels: MeterKernels = {
    maxFrames,
    energy,
    squares,
    truePeakOut,
    truePeakSummary: null,
    spectrum: new TsSpectrumFrames((c) => inputs[c]!),
    begin(n) {
      length = n;
      energy.fill(0, 0, n);
      squares.fill(0, 0, n);
    },
    load(c, x) {
      inputs[c] = x;
    },
    input: (c) => inputs[c]!,
    levels(c, offset, into) {
      into.push(inputs[c]!, length, offset);
    },
    flushLevels(_c, into) {
      into.flush();
    },
    kWeight(c, weight) {
      kWeightInto(filters, states[c]!, inputs[c]!, kOut[c]!, weight, energy, squares, length);
    },
    kOut: (c) => kOut[c]!,
    truePeak: (c, floor) => interpolate4x(work[c]!, inputs[c]!, length, floor, truePeakOut),
    restartTruePeak() {},
    stereo(l, r, into) {
      into.push(inputs[l]!, inputs[r]!, length);
    },
    monoEnergy(l, r) {
      const yl = kOut[l]!,
        yr = kOut[r]!;
      // The mono sum (L+R)/2 played on both loudspeakers: 2 * ((yl+yr)/2)^2.
      for (let n = 0; n < length; n++) {
        const s = yl[n]! + yr[n]!;
        mono[n] = 0.5 * s * s;
      }
      return mono;
    },
    pair(l, r, wl, wr, into, hop) {
      kernels.kWeight(l, wl);
      kernels.kWeight(r, wr);
      kernels.stereo(l, r, into, hop);
      return kernels.monoEnergy(l, r);
    },
  };
  return kernels;
};
