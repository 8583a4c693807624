/**
 * Long-term average spectrum: consecutive Hann-windowed frames (no overlap: over a whole file
 * the average converges without it, and it halves the FFT cost), power averaged over frames
 * and channels (LFE excluded). Two real channels share one complex FFT.
 *
 * Frame size: the power of two nearest to 8192 * fs / 48 kHz, never below 8192, so the bin
 * width stays near 5.9 Hz at every rate. Memory: one frame per channel.
 *
 * Per-band stereo comes from the same transforms: when the first two slots are the front
 * left/right pair, the frame that packs them also sums, per bin, |L|^2, |R|^2 and Re(L conj R)
 * (the "pair sums"); summed over a band's bins they give its correlation and side/mid energy
 * (stereo-bands.ts) at a few multiply-adds per bin, exactly (no filter bank).
 */
import type { ChannelLabel } from './channels.ts';
import { Fft } from './fft.ts';
import { powerToDb } from './units.ts';

/** Nominal 1/3-octave centres (IEC 61260 base-10 series), 20 Hz to 20 kHz. */
export const THIRD_OCTAVE_CENTRES = [
  20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150,
  4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000,
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

/** The tonal bands' names as people read them (table rows, plot axes). */
export const TONAL_BAND_LABELS: Record<(typeof TONAL_BANDS)[number]['name'], string> = {
  sub: 'Sub',
  low: 'Low',
  lowMid: 'Low-mid',
  mid: 'Mid',
  highMid: 'High-mid',
  presence: 'Presence',
  air: 'Air',
};

/**
 * The spectrum's framing and transform, part of every kernel set (kernels.ts): the TypeScript
 * reference (TsSpectrumFrames) and the WASM build have the same arithmetic. The frames
 * ("slots", one per measured channel) live in the kernel and are filled from the kernel's
 * loaded input, so the WASM path does not copy the samples through JS.
 */
export interface SpectrumFrameKernel {
  /** Prepares `slots` frames of `size` points with `window`; returns the power sums it keeps. */
  setup(size: number, window: Float64Array, slots: number): Float64Array;
  /** Copies `take` samples of the loaded input of `channel`, from index `from`, into frame `slot` at `at`. */
  gather(slot: number, channel: number, from: number, at: number, take: number): void;
  /** Zeroes frame `slot` from `at` on. */
  clear(slot: number, at: number): void;
  /**
   * Adds the power of frame slotA (and slotB when >= 0) to the power sums; with `pair` (slotB
   * >= 0) also adds |A|^2, |B|^2 and Re(A conj B) per bin to the pair sums.
   */
  frame(slotA: number, slotB: number, pair: boolean): void;
  /**
   * The pair sums, zeroed by setup: three runs of size/2 + 1 bins, |L|^2 then |R|^2 then
   * Re(L conj R).
   */
  pairSums(): Float64Array;
}

/** The channels the spectrum measures, one slot each: every channel but the LFE. */
export function spectrumChannels(layout: readonly ChannelLabel[]): number[] {
  return layout.flatMap((label, c) => (label === 'LFE' ? [] : [c]));
}

/**
 * Whether the front pair (the stereo meter's left and right) are the first two spectrum slots,
 * so the frame that packs them can keep the pair sums. True for stereo and the usual surround
 * orders (FL FR first); a layout that puts them elsewhere gets no per-band stereo.
 */
export function pairLeadsSpectrum(layout: readonly ChannelLabel[], pair: readonly [number, number] | null): boolean {
  const slots = spectrumChannels(layout);
  return pair !== null && slots[0] === pair[0] && slots[1] === pair[1];
}

export function spectrumFrameSize(sampleRate: number): number {
  return Math.max(8192, Math.pow(2, Math.round(Math.log2((8192 * sampleRate) / 48000))));
}

/** The reference framing and transform: two real frames packed into one complex FFT. */
export class TsSpectrumFrames implements SpectrumFrameKernel {
  private fft: Fft | null = null;
  private window: Float64Array = new Float64Array(0);
  private frames: Float64Array[] = [];
  private power = new Float64Array(0);
  private pair = new Float64Array(0);
  private re = new Float64Array(0);
  private im = new Float64Array(0);

  /** @param input the kernel's loaded input of a channel */
  constructor(private readonly input: (channel: number) => Float32Array) {}

  setup(size: number, window: Float64Array, slots: number): Float64Array {
    this.fft = new Fft(size);
    this.window = window;
    this.frames = Array.from({ length: slots }, () => new Float64Array(size));
    this.power = new Float64Array(size / 2 + 1);
    this.pair = new Float64Array(3 * (size / 2 + 1));
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
    return this.power;
  }

  gather(slot: number, channel: number, from: number, at: number, take: number): void {
    // A plain loop: TypedArray.set between Float32 and Float64 arrays is slow in V8.
    const src = this.input(channel),
      dst = this.frames[slot]!;
    for (let j = 0; j < take; j++) dst[at + j] = src[from + j]!;
  }

  clear(slot: number, at: number): void {
    this.frames[slot]!.fill(0, at);
  }

  pairSums(): Float64Array {
    return this.pair;
  }

  frame(slotA: number, slotB: number, pair: boolean): void {
    const n = this.re.length,
      re = this.re,
      im = this.im,
      w = this.window,
      p = this.power,
      q = this.pair,
      h = n / 2 + 1;
    const a = this.frames[slotA]!,
      b = slotB >= 0 ? this.frames[slotB]! : null;
    for (let i = 0; i < n; i++) {
      re[i] = a[i]! * w[i]!;
      im[i] = b ? b[i]! * w[i]! : 0;
    }
    this.fft!.transform(re, im);
    for (let k = 0; k <= n / 2; k++) {
      const j = (n - k) % n;
      // Split the packed transform: A = (X[k] + conj X[n-k]) / 2, B = (X[k] - conj X[n-k]) / 2i.
      const ar = (re[k]! + re[j]!) / 2,
        ai = (im[k]! - im[j]!) / 2;
      const br = (im[k]! + im[j]!) / 2,
        bi = (re[j]! - re[k]!) / 2;
      const aa = ar * ar + ai * ai,
        bb = br * br + bi * bi;
      p[k]! += b ? aa + bb : aa;
      if (pair && b) {
        q[k]! += aa;
        q[h + k]! += bb;
        q[2 * h + k]! += ar * br + ai * bi;
      }
    }
  }
}

/**
 * One slice's spectrum frames (analysis-split.ts): power sums, how many spectra they hold, and
 * the front pair's sums (null without a pair).
 */
export interface SpectrumPart {
  power: Float64Array;
  spectra: number;
  pair: Float64Array | null;
}

export class SpectrumAverager {
  readonly size: number;
  private readonly window: Float64Array;
  private fill = 0;
  private readonly power: Float64Array;
  private spectra = 0;

  /**
   * @param channels the measured channels, one slot each
   * @param pair the first two channels are the front left/right pair: keep the pair sums
   */
  constructor(
    readonly sampleRate: number,
    private readonly channels: number[],
    private readonly kernel: SpectrumFrameKernel,
    readonly pair = false,
  ) {
    if (pair && channels.length < 2) throw new RangeError('a stereo pair needs two spectrum slots');
    this.size = spectrumFrameSize(sampleRate);
    this.window = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / this.size);
    this.power = kernel.setup(this.size, this.window, channels.length);
  }

  /**
   * Takes the `length` samples of the slice the kernel has loaded (only the channels given to
   * the constructor): the analyser pushes each slice right after loading it.
   */
  push(length: number, from = 0): void {
    let n = from;
    while (n < length) {
      const take = Math.min(length - n, this.size - this.fill);
      for (let i = 0; i < this.channels.length; i++) this.kernel.gather(i, this.channels[i]!, n, this.fill, take);
      this.fill += take;
      n += take;
      if (this.fill === this.size) {
        this.analyseFrame();
        this.fill = 0;
      }
    }
  }

  private analyseFrame(): void {
    const slots = this.channels.length;
    for (let c = 0; c < slots; c += 2) {
      const hasB = c + 1 < slots;
      this.kernel.frame(c, hasB ? c + 1 : -1, this.pair && c === 0);
      this.spectra += hasB ? 2 : 1;
    }
  }

  part(): SpectrumPart {
    return {
      power: this.power.slice(),
      spectra: this.spectra,
      pair: this.pair ? this.kernel.pairSums().slice() : null,
    };
  }

  /** Adds the next slice's frames (each slice takes the frames that start in it, whole). */
  absorbPart(p: SpectrumPart): void {
    for (let k = 0; k < this.power.length; k++) this.power[k]! += p.power[k]!;
    this.spectra += p.spectra;
    if (this.pair && p.pair) {
      const q = this.kernel.pairSums();
      for (let k = 0; k < q.length; k++) q[k]! += p.pair[k]!;
    }
  }

  /** Shorter than one frame: analyses the zero-padded remainder once. False when nothing was seen. */
  private settle(): boolean {
    if (this.spectra > 0) return true;
    if (this.fill === 0 || this.channels.length === 0) return false;
    for (let i = 0; i < this.channels.length; i++) this.kernel.clear(i, this.fill);
    this.analyseFrame();
    return true;
  }

  /** Mean power per bin (|X|^2 of the windowed frame), or null when no full frame was seen. */
  meanPower(): Float64Array | null {
    if (!this.settle()) return null;
    return this.power.map((v) => v / this.spectra);
  }

  /**
   * The front pair's sums over the bins whose centre lies in [lowHz, highHz) (the bins of
   * bandMeanSquare in spectrum-result.ts): |L|^2, |R|^2, Re(L conj R); null without a pair.
   */
  pairBand(lowHz: number, highHz: number): { ll: number; rr: number; lr: number } | null {
    if (!this.pair || !this.settle()) return null;
    const q = this.kernel.pairSums(),
      h = this.size / 2 + 1,
      binHz = this.sampleRate / this.size;
    const from = Math.max(0, Math.ceil(lowHz / binHz)),
      to = Math.min(h - 1, Math.ceil(highHz / binHz) - 1);
    let ll = 0,
      rr = 0,
      lr = 0;
    for (let k = from; k <= to; k++) {
      ll += q[k]!;
      rr += q[h + k]!;
      lr += q[2 * h + k]!;
    }
    return { ll, rr, lr };
  }

  /**
   * Level of a sine of amplitude A at its bin is A^2 N^2 / 16 with a Hann window; this maps
   * mean power to dB so that a full-scale sine peaks at 0 dB.
   */
  binToDb(power: number): number {
    return powerToDb((power * 16) / (this.size * this.size));
  }

  /**
   * Mean-square contribution of a bin: Parseval with the Hann window's mean square (3/8),
   * one-sided (x2) except at DC and Nyquist.
   */
  binMeanSquare(power: number, k: number): number {
    const oneSided = k === 0 || k === this.size / 2 ? 1 : 2;
    return (oneSided * power) / (this.size * this.size * 0.375);
  }
}
