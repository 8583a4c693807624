/**
 * True peak per ITU-R BS.1770 Annex 2: 4x oversampling relative to the signal at every sample
 * rate (no drop to 2x at 88.2/96 kHz), with a polyphase FIR interpolator.
 *
 * The interpolator is a Kaiser-windowed sinc cut off at the original Nyquist frequency, so
 * phase 0 is the identity: the original samples are part of the oversampled stream and the
 * reading is never below the sample peak (BS.1770 asks for the larger of the two anyway).
 * Phases 1-3 have TAPS taps each and are normalised to unity gain at DC.
 *
 * Overs are counted as events: a run of consecutive oversampled values above the threshold
 * is one over, located at its first value (seconds from the start, at 4x resolution). An over
 * above a higher threshold is counted once per over of the threshold below it (the first time
 * that run crosses the higher one), so overs above 0 dBTP are a subset of overs above -1 dBTP:
 * a clipped waveform wobbling around 0 dBTP inside one run above -1 is one over, not dozens.
 */
import { toDb } from './units.ts';

export const OVERSAMPLING = 4;
const TAPS = 16;
const HALF = TAPS / 2;
const KAISER_BETA = 7;
/** Stored over positions per channel and threshold; counts go on beyond this. */
export const MAX_OVER_POSITIONS = 1000;
export const OVER_THRESHOLDS_DBTP = [-1, 0] as const;

function besselI0(x: number): number {
  let sum = 1,
    term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** Phase p (1..3) taps: coefficient for x[m + k], k = -(HALF-1)..HALF, giving y(m + p/4). */
export function interpolatorPhases(): Float64Array[] {
  const phases: Float64Array[] = [];
  for (let p = 1; p < OVERSAMPLING; p++) {
    const taps = new Float64Array(TAPS);
    let sum = 0;
    for (let i = 0; i < TAPS; i++) {
      const k = i - (HALF - 1);
      const t = p / OVERSAMPLING - k;
      const sinc = Math.sin(Math.PI * t) / (Math.PI * t);
      const r = t / HALF;
      const w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(KAISER_BETA);
      taps[i] = sinc * w;
      sum += taps[i]!;
    }
    for (let i = 0; i < TAPS; i++) taps[i]! /= sum;
    phases.push(taps);
  }
  return phases;
}

/** Taps per phase, and the delay (in samples) between an input sample and the centre it completes. */
export const INTERPOLATOR_TAPS = TAPS;
export const INTERPOLATOR_DELAY = HALF;

const PHASES = interpolatorPhases();
/** Largest gain any phase can have on any input bounded by 1: lets quiet stretches be skipped exactly. */
export const MAX_ABS_GAIN = Math.max(1, ...PHASES.map((ph) => ph.reduce((s, v) => s + Math.abs(v), 0)));
const SKIP_BLOCK = 64;

/**
 * Phase 1's symmetric and antisymmetric halves and phase 2's half, rounded to f32 once: phase 2
 * is symmetric (t2[k] = t2[15-k]) and phase 3 mirrors phase 1 (t3[k] = t1[15-k]), so with
 * s_k = w[k] + w[15-k] and d_k = w[k] - w[15-k] (k < HALF), y2 = sum t2[k] s_k and
 * y1 = A + B, y3 = A - B where A = sum a_k s_k, B = sum b_k d_k: 24 multiplies instead of 48.
 */
function foldedTaps(): { a: Float32Array; b: Float32Array; t2: Float32Array } {
  const [t1, t2] = PHASES as [Float64Array, Float64Array];
  const a = new Float32Array(HALF),
    b = new Float32Array(HALF),
    half2 = new Float32Array(HALF);
  for (let k = 0; k < HALF; k++) {
    a[k] = (t1[k]! + t1[TAPS - 1 - k]!) * 0.5;
    b[k] = (t1[k]! - t1[TAPS - 1 - k]!) * 0.5;
    half2[k] = t2[k]!;
  }
  return { a, b, t2: half2 };
}
const FOLDED = foldedTaps();

/**
 * The reference interpolator kernel. `work` holds TAPS-1 samples of history followed by room
 * for `length` new ones; `x` is appended, and for each new sample i the 4 magnitudes of the
 * centre INTERPOLATOR_DELAY samples earlier are written to out[4i..4i+3]: |x|, |y(+1/4)|,
 * |y(+2/4)|, |y(+3/4)|. Blocks whose bound cannot exceed `floor` are written as zeros. The
 * history is kept for the next call. Returns the largest magnitude.
 *
 * In single precision, each operation rounded to f32 (Math.fround) in the order the WASM
 * kernel (src/wasm/true-peak.ts) does it per f32x4 lane, so the two give the same magnitudes,
 * bit for bit. For a meter single precision is plenty: 24-bit input, 16-tap sums, ~1e-7
 * relative (~1e-6 dB). The rounding costs this fallback time (~1.4x the f64 loop it replaced,
 * measured in Node), which buys a reference the WASM equals exactly, overs at a threshold included.
 */
export function interpolate4x(
  work: Float32Array,
  x: Float32Array,
  length: number,
  floor: number,
  out: Float32Array,
): number {
  work.set(length === x.length ? x : x.subarray(0, length), TAPS - 1);
  const f = Math.fround;
  const { a: ta, b: tb, t2 } = FOLDED;
  let most = 0;
  for (let start = 0; start < length; start += SKIP_BLOCK) {
    const end = Math.min(length, start + SKIP_BLOCK);
    let blockMax = 0;
    for (let i = start; i < end + TAPS - 1; i++) {
      const a = Math.abs(work[i]!);
      if (a > blockMax) blockMax = a;
    }
    if (blockMax * MAX_ABS_GAIN <= floor) {
      out.fill(0, start * 4, end * 4);
      continue;
    }
    for (let i = start; i < end; i++) {
      let sa = 0,
        sb = 0,
        s2 = 0;
      for (let k = 0; k < HALF; k++) {
        const lo = work[i + k]!,
          hi = work[i + TAPS - 1 - k]!;
        const sum = f(lo + hi),
          diff = f(lo - hi);
        sa = f(sa + f(ta[k]! * sum));
        sb = f(sb + f(tb[k]! * diff));
        s2 = f(s2 + f(t2[k]! * sum));
      }
      const a0 = Math.abs(work[i + HALF - 1]!),
        a1 = Math.abs(f(sa + sb)),
        a2 = Math.abs(s2),
        a3 = Math.abs(f(sa - sb));
      out[4 * i] = a0;
      out[4 * i + 1] = a1;
      out[4 * i + 2] = a2;
      out[4 * i + 3] = a3;
      most = Math.max(most, a0, a1, a2, a3);
    }
  }
  work.copyWithin(0, length, length + TAPS - 1);
  return most;
}

export interface OverEvents {
  count: number;
  positions: number[];
}

/** The over thresholds as linear magnitudes, ascending (what kernels compare against). */
export function overThresholds(): [number, number] {
  const [low, high] = OVER_THRESHOLDS_DBTP.map((db) => Math.pow(10, db / 20));
  return [low!, high!];
}

/**
 * A kernel's own bookkeeping of its last interpolator call, equal to what consume() finds by
 * scanning: header [index of the new peak in 4x samples from output 0 (-1: no rise), peak,
 * number of over starts, run above threshold 0 open, run above threshold 1 open] and the over
 * starts as (threshold index, 4x index from output 0) pairs.
 */
export interface TruePeakSummary {
  readonly header: Float64Array;
  readonly events: Int32Array;
}

/**
 * One channel's true-peak bookkeeping over the interpolator's output: the peak and its time,
 * and over events above -1 and 0 dBTP. Feed every kernel output in order; at the end of the
 * stream run INTERPOLATOR_DELAY zeros through the kernel so the last samples get their
 * interpolated neighbours.
 */
/** One slice's true-peak figures (analysis-split.ts): plain data, so a worker can post it. */
export interface TruePeakPart {
  peak: number;
  peakAt: number;
  overs: OverEvents[];
}

export class TruePeakChannel {
  peak = 0;
  peakAt = 0;
  readonly overs: OverEvents[] = OVER_THRESHOLDS_DBTP.map(() => ({ count: 0, positions: [] }));
  /** Ascending, so a magnitude below the first is below all of them. */
  private readonly thresholds = overThresholds();
  private readonly low = this.thresholds[0]!;
  private readonly inRun = OVER_THRESHOLDS_DBTP.map(() => false);
  /** Input samples consumed so far (the centre of output i is pushed + i - DELAY). */
  private pushed: number;

  /** `startFrame`: the stream index of the first sample fed (a slice of a file starts later). */
  constructor(
    private readonly sampleRate: number,
    startFrame = 0,
  ) {
    this.pushed = startFrame;
  }

  /**
   * Forgets the peak and the overs so far but not the runs open now: a slice's analysis calls
   * it where its pre-roll ends (an over running across the seam was counted by the slice before).
   */
  startRecording(): void {
    this.peak = 0;
    this.peakAt = 0;
    for (const o of this.overs) {
      o.count = 0;
      o.positions = [];
    }
  }

  part(): TruePeakPart {
    return {
      peak: this.peak,
      peakAt: this.peakAt,
      overs: this.overs.map((o) => ({ ...o, positions: [...o.positions] })),
    };
  }

  /** Adds the next slice's figures (slices in time order; the first largest value wins, as in one pass). */
  absorbPart(p: TruePeakPart): void {
    if (p.peak > this.peak) {
      this.peak = p.peak;
      this.peakAt = p.peakAt;
    }
    p.overs.forEach((o, t) => {
      const mine = this.overs[t]!;
      mine.count += o.count;
      for (const at of o.positions) if (mine.positions.length < MAX_OVER_POSITIONS) mine.positions.push(at);
    });
  }

  /** The `floor` to pass to the kernel: below it nothing can change this channel's figures. */
  skipFloor(): number {
    return this.inRun[0] || this.inRun[1] ? -1 : Math.min(this.peak, this.low);
  }

  /**
   * Reads `length` outputs (4 magnitudes each) whose largest value is `max`. One tight loop over
   * the magnitudes: most are below the lowest threshold, which ends every run at once (the
   * thresholds ascend), so the per-threshold work happens only above it.
   */
  consume(out: Float32Array, length: number, max: number, summary?: TruePeakSummary): void {
    const first = this.pushed - HALF;
    this.pushed += length;
    const inRun = this.inRun,
      thresholds = this.thresholds,
      low = this.low;
    if (max <= this.peak && max <= low && !inRun[0] && !inRun[1]) return;
    if (summary) {
      this.absorb(first * OVERSAMPLING, summary);
      return;
    }
    let peak = this.peak,
      peakIndex = -1,
      open = inRun.some((r) => r);
    const base = first * OVERSAMPLING;
    for (let j = Math.max(0, -first) * OVERSAMPLING, end = length * OVERSAMPLING; j < end; j++) {
      const a = out[j]!;
      if (a > peak) {
        peak = a;
        peakIndex = j;
      }
      if (a > low) {
        for (let t = 0; t < thresholds.length; t++) {
          if (a > thresholds[t]!) {
            if (!inRun[t]) {
              inRun[t] = true;
              this.startOver(t, base + j);
            }
          } else inRun[t] = false;
        }
        open = true;
      } else if (open) {
        inRun.fill(false);
        open = false;
      }
    }
    if (peakIndex >= 0) {
      this.peak = peak;
      this.peakAt = (base + peakIndex) / (OVERSAMPLING * this.sampleRate);
    }
  }

  private absorb(base: number, { header, events }: TruePeakSummary): void {
    if (header[0]! >= 0) {
      this.peak = header[1]!;
      this.peakAt = (base + header[0]!) / (OVERSAMPLING * this.sampleRate);
    }
    for (let e = 0, n = header[2]!; e < n; e++) this.startOver(events[2 * e]!, base + events[2 * e + 1]!);
    this.inRun[0] = header[3] !== 0;
    this.inRun[1] = header[4] !== 0;
  }

  /** Per threshold: whether the current run of the threshold below already counted an over here. */
  private readonly countedInRunBelow = OVER_THRESHOLDS_DBTP.map(() => false);

  private startOver(t: number, index4x: number): void {
    // Events arrive in time order, lower threshold first at the same value (both consume paths).
    if (t > 0) {
      if (this.countedInRunBelow[t]) return;
      this.countedInRunBelow[t] = true;
    }
    for (let h = t + 1; h < this.countedInRunBelow.length; h++) this.countedInRunBelow[h] = false;
    const ev = this.overs[t]!;
    ev.count++;
    if (ev.positions.length < MAX_OVER_POSITIONS) ev.positions.push(index4x / (OVERSAMPLING * this.sampleRate));
  }

  get peakDbtp(): number {
    return toDb(this.peak);
  }
}
