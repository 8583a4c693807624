/**
 * Long-term average spectrum: consecutive Hann-windowed frames (no overlap: over a whole file
 * the average converges without it, and it halves the FFT cost), power averaged over frames
 * and channels (LFE excluded). Two real channels share one complex FFT.
 *
 * Frame size: the power of two nearest to 8192 * fs / 48 kHz, never below 8192, so the bin
 * width stays near 5.9 Hz at every rate. Memory: one frame per channel.
 */
import { Fft } from './fft.ts';
import { powerToDb } from './units.ts';

/** Nominal 1/3-octave centres (IEC 61260 base-10 series), 20 Hz to 20 kHz. */
export const THIRD_OCTAVE_CENTRES = [
  20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600,
  2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000,
];

/** The seven tonal-balance bands (Hz). */
export const TONAL_BANDS = [
  { name: 'sub', lowHz: 20, highHz: 60 },
  { name: 'low', lowHz: 60, highHz: 200 },
  { name: 'lowMid', lowHz: 200, highHz: 500 },
  { name: 'mid', lowHz: 500, highHz: 2000 },
  { name: 'highMid', lowHz: 2000, highHz: 6000 },
  { name: 'presence', lowHz: 6000, highHz: 12000 },
  { name: 'air', lowHz: 12000, highHz: 20000 },
] as const;

/**
 * Optional faster framing and transform (the WASM kernels provide one); same arithmetic as
 * analyseFrame. The frames ("slots", one per measured channel) live in the kernel and are
 * filled from the kernel's loaded input, so the samples are not copied through JS.
 */
export interface SpectrumFrameKernel {
  /** Prepares `slots` frames of `size` points with `window`; returns the power sums it keeps. */
  setup(size: number, window: Float64Array, slots: number): Float64Array;
  /** Copies `take` samples of the loaded input of `channel`, from index `from`, into frame `slot` at `at`. */
  gather(slot: number, channel: number, from: number, at: number, take: number): void;
  /** Zeroes frame `slot` from `at` on. */
  clear(slot: number, at: number): void;
  /** Adds the power of frame slotA (and slotB when >= 0) to the power sums. */
  frame(slotA: number, slotB: number): void;
}

export function spectrumFrameSize(sampleRate: number): number {
  return Math.max(8192, Math.pow(2, Math.round(Math.log2((8192 * sampleRate) / 48000))));
}

export class SpectrumAverager {
  readonly size: number;
  private readonly fft: Fft;
  private readonly window: Float64Array;
  private readonly frames: Float64Array[];
  private fill = 0;
  private readonly power: Float64Array;
  private spectra = 0;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(readonly sampleRate: number, private readonly channels: number[], private readonly kernel?: SpectrumFrameKernel) {
    this.size = spectrumFrameSize(sampleRate);
    this.fft = new Fft(this.size);
    this.window = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / this.size);
    this.frames = kernel ? [] : channels.map(() => new Float64Array(this.size));
    this.power = kernel ? kernel.setup(this.size, this.window, channels.length) : new Float64Array(this.size / 2 + 1);
    this.re = new Float64Array(kernel ? 0 : this.size);
    this.im = new Float64Array(kernel ? 0 : this.size);
  }

  /**
   * `planar` holds every channel of the file; only the ones given to the constructor are used.
   * With a kernel, the same samples must be the kernel's loaded input (planar[c][offset + i]
   * is loaded sample i of channel c): the analyser pushes each slice right after loading it.
   */
  push(planar: readonly Float32Array[], offset: number, length: number): void {
    let n = 0;
    while (n < length) {
      const take = Math.min(length - n, this.size - this.fill);
      if (this.kernel) for (let i = 0; i < this.channels.length; i++) this.kernel.gather(i, this.channels[i]!, n, this.fill, take);
      else for (let i = 0; i < this.channels.length; i++) {
        // A plain loop: TypedArray.set between Float32 and Float64 arrays is slow in V8.
        const src = planar[this.channels[i]!]!, dst = this.frames[i]!;
        for (let j = 0, from = offset + n, to = this.fill; j < take; j++) dst[to + j] = src[from + j]!;
      }
      this.fill += take; n += take;
      if (this.fill === this.size) {
        this.analyseFrame();
        this.fill = 0;
      }
    }
  }

  private analyseFrame(): void {
    if (this.kernel) {
      const slots = this.channels.length;
      for (let c = 0; c < slots; c += 2) {
        const hasB = c + 1 < slots;
        this.kernel.frame(c, hasB ? c + 1 : -1);
        this.spectra += hasB ? 2 : 1;
      }
      return;
    }
    const n = this.size, re = this.re, im = this.im, w = this.window, p = this.power;
    for (let c = 0; c < this.frames.length; c += 2) {
      const a = this.frames[c]!, b = this.frames[c + 1];
      for (let i = 0; i < n; i++) { re[i] = a[i]! * w[i]!; im[i] = b ? b[i]! * w[i]! : 0; }
      this.fft.transform(re, im);
      for (let k = 0; k <= n / 2; k++) {
        const j = (n - k) % n;
        // Split the packed transform: A = (X[k] + conj X[n-k]) / 2, B = (X[k] - conj X[n-k]) / 2i.
        const ar = (re[k]! + re[j]!) / 2, ai = (im[k]! - im[j]!) / 2;
        const br = (im[k]! + im[j]!) / 2, bi = (re[j]! - re[k]!) / 2;
        p[k]! += ar * ar + ai * ai + (b ? br * br + bi * bi : 0);
      }
      this.spectra += b ? 2 : 1;
    }
  }

  /** Mean power per bin (|X|^2 of the windowed frame), or null when no full frame was seen. */
  meanPower(): Float64Array | null {
    if (this.spectra === 0) {
      if (this.fill === 0 || this.channels.length === 0) return null;
      // Shorter than one frame: analyse the zero-padded remainder once.
      for (const f of this.frames) f.fill(0, this.fill);
      if (this.kernel) for (let i = 0; i < this.channels.length; i++) this.kernel.clear(i, this.fill);
      this.analyseFrame();
    }
    return this.power.map((v) => v / this.spectra);
  }

  /**
   * Level of a sine of amplitude A at its bin is A^2 N^2 / 16 with a Hann window; this maps
   * mean power to dB so that a full-scale sine peaks at 0 dB.
   */
  binToDb(power: number): number { return powerToDb((power * 16) / (this.size * this.size)); }

  /**
   * Mean-square contribution of a bin: Parseval with the Hann window's mean square (3/8),
   * one-sided (x2) except at DC and Nyquist.
   */
  binMeanSquare(power: number, k: number): number {
    const oneSided = k === 0 || k === this.size / 2 ? 1 : 2;
    return (oneSided * power) / (this.size * this.size * 0.375);
  }
}
