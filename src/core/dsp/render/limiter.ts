/**
 * A look-ahead true-peak limiter, streamed: push planar blocks in order, read the delayed,
 * limited output back, then `flush()` once for the tail. The output has exactly as many frames
 * as were pushed.
 *
 * Design (why it holds the ceiling on the 4x true peak, measured by our own meter):
 *   1. Detection runs the analyser's own 4x interpolator (true-peak.ts, or the WASM kernel) on
 *      the input: per sample, the largest of its 4 oversampled magnitudes, linked across
 *      channels (one gain for all channels keeps the image). The gain to the target is a
 *      constant, so the detector looks at the input and compares it with ceiling / gain.
 *   2. The required gain r[j] = min(1, ceiling / (gain * peak[j])) goes through a sliding
 *      minimum over W = L + 2H samples (L the look-ahead, H the interpolator's half span), then a
 *      release (the gain may only fall at once; it rises back exponentially, never above the
 *      minimum), then a moving average over L samples (the attack: a straight-line fade, no step).
 *   3. A moving average of values that are each <= r[j] is <= r[j]; the alignment below makes every
 *      gain applied within H samples of sample j (the interpolator's reach) at most r[j], so the
 *      reconstructed peaks around j are scaled by no more than what j needs. A small margin
 *      (CEILING_MARGIN_DB) absorbs the rest: the gain still varies slowly across the 16 taps.
 *
 * Not thread-safe; one limiter per stream. All buffers are allocated in the constructor, sized by
 * the kernels' slice (`maxFrames`); memory does not grow with the stream.
 */
import type { Biquad } from '../biquad.ts';
import { kWeightingFilters } from '../k-weighting.ts';
import { decodesPcm, makeTsKernels, type KernelFactory, type MeterKernels, type PcmLayout } from '../kernels.ts';
import { INTERPOLATOR_DELAY, INTERPOLATOR_TAPS } from '../true-peak.ts';
import { fromDb } from '../units.ts';

export interface LimiterSettings {
  /** Ceiling for the output's 4x true peak, dBTP. */
  ceilingDbtp: number;
  /** Look-ahead and attack, in milliseconds. */
  lookaheadMs: number;
  /** Time for the gain to recover 63% of the way back, in milliseconds. */
  releaseMs: number;
}

/** Defaults: a 3 ms look-ahead (a fade short enough to catch a snare, long enough not to click) and a 100 ms release. */
export const DEFAULT_LIMITER: Omit<LimiterSettings, 'ceilingDbtp'> = { lookaheadMs: 3, releaseMs: 100 };

/** Internal headroom under the ceiling: the slowly varying gain across the interpolator's taps. */
export const CEILING_MARGIN_DB = 0.02;

export interface LimiterOptions extends LimiterSettings {
  sampleRate: number;
  channels: number;
  /** Gain applied before limiting (the gain to the target loudness), dB. */
  gainDb: number;
  /** Hot loops for the detector (default: the TypeScript reference). */
  kernels?: KernelFactory;
}

/** What the limiter did, for the report. */
export interface LimiterStats {
  /** Largest gain reduction applied, dB (0 when the limiter never worked). */
  maxReductionDb: number;
  /** Frames where any reduction was applied. */
  limitedFrames: number;
  frames: number;
}

const HALF = INTERPOLATOR_TAPS / 2;

export class TruePeakLimiter {
  /** Frames between pushing a sample and getting it back. */
  readonly latency: number;
  private readonly channels: number;
  private readonly kernels: MeterKernels;
  private readonly maxFrames: number;
  private readonly gain: number;
  /** The detector threshold in input units (ceiling / gain). */
  private readonly threshold: number;
  private readonly lookahead: number;
  private readonly window: number;
  private readonly releaseCoef: number;
  /** Input delay line per channel (power-of-two ring). */
  private readonly ring: Float32Array[];
  private readonly mask: number;
  private readonly peaks: Float64Array;
  /** Sliding-minimum deque: indices and values. */
  private readonly dqIndex: Float64Array;
  private readonly dqValue: Float64Array;
  private dqHead = 0;
  private dqTail = 0;
  private readonly avgRing: Float64Array;
  private avgSum: number;
  private released = 1;
  /** Input frames pushed. */
  private pushed = 0;
  /** Output frames emitted. */
  private emitted = 0;
  private readonly out: Float32Array[];
  private readonly zeros: Float32Array;
  readonly stats: LimiterStats = { maxReductionDb: 0, limitedFrames: 0, frames: 0 };
  private minGain = 1;
  private flushed = false;
  private slices = 0;
  /**
   * Consecutive requirements at exactly 1 (no reduction). Once it covers the window and the
   * average, every stage holds 1.0 and a block with nothing over the threshold is the input times
   * the gain: passThrough() skips the per-sample gain computer.
   */
  private unityRun = 0;

  constructor(o: LimiterOptions) {
    if (!(o.lookaheadMs > 0 && o.lookaheadMs <= 50)) throw new RangeError('look-ahead must be in (0, 50] ms');
    if (!(o.releaseMs >= 1 && o.releaseMs <= 5000)) throw new RangeError('release must be in [1, 5000] ms');
    if (!(o.ceilingDbtp <= 0 && o.ceilingDbtp >= -20)) throw new RangeError('ceiling must be in [-20, 0] dBTP');
    this.channels = o.channels;
    const filters: readonly [Biquad, Biquad] = kWeightingFilters(o.sampleRate);
    this.kernels = (o.kernels ?? makeTsKernels)(o.channels, filters);
    this.maxFrames = this.kernels.maxFrames;
    this.gain = fromDb(o.gainDb);
    this.threshold = fromDb(o.ceilingDbtp - CEILING_MARGIN_DB) / this.gain;
    this.lookahead = Math.max(1, Math.round((o.lookaheadMs * o.sampleRate) / 1000));
    this.window = this.lookahead + 2 * HALF;
    this.releaseCoef = 1 - Math.exp(-1000 / (o.releaseMs * o.sampleRate));
    // Detector delay (the interpolator's centre) plus the gain's alignment (see the header).
    this.latency = INTERPOLATOR_DELAY + this.lookahead + HALF - 1;
    let size = 1;
    while (size < this.latency + this.maxFrames + 1) size <<= 1;
    this.mask = size - 1;
    this.ring = Array.from({ length: o.channels }, () => new Float32Array(size));
    this.peaks = new Float64Array(this.maxFrames);
    this.dqIndex = new Float64Array(this.window + 1);
    this.dqValue = new Float64Array(this.window + 1);
    this.avgRing = new Float64Array(this.lookahead).fill(1);
    this.avgSum = this.lookahead;
    this.out = Array.from({ length: o.channels }, () => new Float32Array(this.maxFrames));
    this.zeros = new Float32Array(this.maxFrames);
  }

  /**
   * Pushes one block (`planar[c]`, all the same length) and calls `emit` with the output frames
   * it completes (views into the limiter's own buffers, valid until `emit` returns).
   */
  push(planar: readonly Float32Array[], emit: (out: Float32Array[], length: number) => void): void {
    if (this.flushed) throw new Error('limiter already flushed');
    if (planar.length !== this.channels)
      throw new RangeError(`block has ${planar.length} channels, expected ${this.channels}`);
    const length = planar[0]!.length;
    for (let offset = 0; offset < length; offset += this.maxFrames) {
      const n = Math.min(this.maxFrames, length - offset);
      this.kernels.begin(n);
      for (let c = 0; c < this.channels; c++) this.kernels.load(c, planar[c]!.subarray(offset, offset + n), n);
      this.slice(n, emit);
    }
    this.stats.frames += length;
  }

  /** True when `pushPcm` can take undecoded PCM (the WASM kernels decode it into their own memory). */
  get decodesPcm(): boolean {
    return decodesPcm(this.kernels);
  }

  /** Like push(), from whole interleaved PCM frames (WAV/AIFF data); only when `decodesPcm`. */
  pushPcm(bytes: Uint8Array, layout: PcmLayout, emit: (out: Float32Array[], length: number) => void): void {
    if (this.flushed) throw new Error('limiter already flushed');
    const kernels = this.kernels;
    if (!decodesPcm(kernels)) throw new Error('these kernels cannot take undecoded PCM: push planar blocks');
    const frameBytes = this.channels * layout.bytes;
    const frames = bytes.length / frameBytes;
    if (!Number.isInteger(frames)) throw new RangeError('PCM block is not a whole number of frames');
    for (let offset = 0; offset < frames; offset += this.maxFrames) {
      const n = Math.min(this.maxFrames, frames - offset);
      kernels.begin(n);
      kernels.loadPcm(bytes.subarray(offset * frameBytes, (offset + n) * frameBytes), n, layout);
      this.slice(n, emit);
    }
    this.stats.frames += frames;
  }

  /** Pushes the tail through (silence after the last sample) and emits the last frames. */
  flush(emit: (out: Float32Array[], length: number) => void): void {
    if (this.flushed) return;
    const total = this.pushed;
    let left = this.latency;
    while (left > 0) {
      const n = Math.min(left, this.maxFrames);
      this.kernels.begin(n);
      for (let c = 0; c < this.channels; c++) this.kernels.load(c, this.zeros, n);
      this.slice(n, (out, len) => {
        const keep = Math.min(len, total - (this.emitted - len));
        if (keep > 0) emit(out, keep);
      });
      left -= n;
    }
    this.flushed = true;
    this.stats.maxReductionDb = this.minGain < 1 ? -20 * Math.log10(this.minGain) : 0;
  }

  /** A block with nothing to limit while every stage rests at unity gain: delay and scale only. */
  private passThrough(n: number, emit: (out: Float32Array[], length: number) => void): void {
    const { ring, mask, gain, out } = this;
    const first = this.pushed - INTERPOLATOR_DELAY - this.lookahead - HALF + 1;
    for (let c = 0; c < this.channels; c++) {
      const r = ring[c]!,
        o = out[c]!;
      for (let i = 0; i < n; i++) o[i] = r[(first + i) & mask]! * gain;
    }
    // The deque's window now holds requirements of exactly 1: one entry stands for all of them.
    const last = this.pushed + n - 1 - INTERPOLATOR_DELAY;
    this.dqHead = 0;
    this.dqTail = 1;
    this.dqIndex[0] = last;
    this.dqValue[0] = 1;
    this.avgRing.fill(1);
    this.avgSum = this.lookahead;
    this.unityRun += n;
    this.pushed += n;
    this.emitted += n;
    emit(out, n);
  }

  /** Limits the slice of `n` frames the kernels have loaded (begin + load or loadPcm). */
  private slice(n: number, emit: (out: Float32Array[], length: number) => void): void {
    const { kernels, peaks, threshold, ring, mask } = this;
    peaks.fill(0, 0, n);
    let quiet = true;
    for (let c = 0; c < this.channels; c++) {
      const x = kernels.input(c);
      // Blocks that cannot exceed the threshold come back as zeros: nothing to limit there.
      const most = kernels.truePeak(c, threshold);
      const base = this.pushed;
      const r = ring[c]!;
      for (let i = 0; i < n; i++) r[(base + i) & mask] = x[i]!;
      if (most <= threshold) continue;
      quiet = false;
      const tp = kernels.truePeakOut;
      for (let i = 0; i < n; i++) {
        const a = Math.max(tp[4 * i]!, tp[4 * i + 1]!, tp[4 * i + 2]!, tp[4 * i + 3]!);
        if (a > peaks[i]!) peaks[i] = a;
      }
    }
    if (quiet && this.unityRun >= this.window + this.lookahead) {
      this.passThrough(n, emit);
      return;
    }
    const outs = this.out;
    const lookahead = this.lookahead,
      window = this.window,
      coef = this.releaseCoef,
      gain = this.gain;
    const dqIndex = this.dqIndex,
      dqValue = this.dqValue,
      cap = dqIndex.length;
    const avgRing = this.avgRing;
    let head = this.dqHead,
      tail = this.dqTail,
      sum = this.avgSum,
      released = this.released,
      minGain = this.minGain,
      limited = this.stats.limitedFrames,
      unityRun = this.unityRun;
    let produced = 0;
    for (let i = 0; i < n; i++) {
      // Centre sample j of this detector output (the interpolator lags INTERPOLATOR_DELAY behind).
      const j = this.pushed + i - INTERPOLATOR_DELAY;
      if (j < 0) continue;
      const p = peaks[i]!;
      const need = p > threshold ? threshold / p : 1;
      // Sliding minimum over the last `window` requirements (monotonic deque).
      while (tail !== head && dqValue[(tail - 1 + cap) % cap]! >= need) tail = (tail - 1 + cap) % cap;
      dqIndex[tail] = j;
      dqValue[tail] = need;
      tail = (tail + 1) % cap;
      while (dqIndex[head]! <= j - window) head = (head + 1) % cap;
      const held = dqValue[head]!;
      // Release: falls at once, rises exponentially, never above the held minimum (snapped to it
      // when within 1e-9, or an exponential approach to 1.0 would stall one rounding step short).
      released = held < released ? held : held - released < 1e-9 ? held : released + (held - released) * coef;
      unityRun = released === 1 ? unityRun + 1 : 0;
      // Attack: moving average over the look-ahead.
      const slot = j % lookahead;
      sum += released - avgRing[slot]!;
      avgRing[slot] = released;
      const g = sum / lookahead;
      // The averaged gain belongs to sample j - lookahead - HALF + 1.
      const k = j - lookahead - HALF + 1;
      if (k < 0) continue;
      if (g < 0.999999) {
        limited++;
        if (g < minGain) minGain = g;
      }
      const gg = g * gain;
      for (let c = 0; c < this.channels; c++) outs[c]![produced] = ring[c]![k & mask]! * gg;
      produced++;
    }
    // Re-sum now and then so rounding in the running sum cannot drift over hours of audio.
    if (++this.slices % 64 === 0) sum = avgRing.reduce((s, v) => s + v, 0);
    this.dqHead = head;
    this.dqTail = tail;
    this.avgSum = sum;
    this.released = released;
    this.minGain = minGain;
    this.unityRun = unityRun;
    this.stats.limitedFrames = limited;
    this.pushed += n;
    this.emitted += produced;
    if (produced > 0) emit(outs, produced);
  }
}
