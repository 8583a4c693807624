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
 * is one over, located at its first value (seconds from the start, at 4x resolution).
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
  let sum = 1, term = 1;
  for (let k = 1; k < 50; k++) { term *= (x / (2 * k)) ** 2; sum += term; if (term < 1e-17 * sum) break; }
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

const PHASES = interpolatorPhases();
/** Largest gain any phase can have on any input bounded by 1: lets quiet stretches be skipped exactly. */
const MAX_ABS_GAIN = Math.max(1, ...PHASES.map((ph) => ph.reduce((s, v) => s + Math.abs(v), 0)));
const SKIP_BLOCK = 64;

export interface OverEvents { count: number; positions: number[] }

/** One channel's true-peak state. Feed chunks in order, then call `flush()` once. */
export class TruePeakChannel {
  peak = 0;
  peakAt = 0;
  readonly overs: OverEvents[] = OVER_THRESHOLDS_DBTP.map(() => ({ count: 0, positions: [] }));
  private readonly thresholds = OVER_THRESHOLDS_DBTP.map((db) => Math.pow(10, db / 20));
  private readonly inRun = OVER_THRESHOLDS_DBTP.map(() => false);
  /** Samples not yet used as a window centre, preceded by HALF-1 samples of history (zeros at the start). */
  private buf = new Float64Array(TAPS + 4096);
  private bufLen = HALF - 1;
  /** Index (in source samples) of the sample at buf[HALF - 1]. */
  private next = 0;

  constructor(private readonly sampleRate: number) {}

  push(x: Float32Array | Float64Array, length: number): void {
    const needed = this.bufLen + length;
    if (needed > this.buf.length) {
      const grown = new Float64Array(needed);
      grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    const buf = this.buf, at = this.bufLen;
    for (let n = 0; n < length; n++) buf[at + n] = x[n]!;
    this.bufLen = needed;
    this.process();
  }

  /** Feeds zeros so that the last real samples get their interpolated neighbours. */
  flush(): void {
    this.push(new Float64Array(HALF), HALF);
  }

  private process(): void {
    const buf = this.buf;
    // Centre sample m sits at buf index c; its window spans c-(HALF-1) .. c+HALF.
    const lastCentre = this.bufLen - 1 - HALF;
    const low = Math.min(this.thresholds[0]!, this.thresholds[1]!);
    const t1 = PHASES[0]!, t2 = PHASES[1]!, t3 = PHASES[2]!;
    for (let start = HALF - 1; start <= lastCentre; start += SKIP_BLOCK) {
      const end = Math.min(lastCentre, start + SKIP_BLOCK - 1);
      let blockMax = 0;
      for (let i = start - (HALF - 1); i <= end + HALF; i++) { const a = Math.abs(buf[i]!); if (a > blockMax) blockMax = a; }
      const floor = Math.min(this.peak, low);
      if (blockMax * MAX_ABS_GAIN <= floor && !this.inRun[0] && !this.inRun[1]) continue;
      for (let c = start; c <= end; c++) {
        const base = c - (HALF - 1);
        let y1 = 0, y2 = 0, y3 = 0;
        for (let i = 0; i < TAPS; i++) {
          const v = buf[base + i]!;
          y1 += t1[i]! * v; y2 += t2[i]! * v; y3 += t3[i]! * v;
        }
        const x = Math.abs(buf[c]!);
        const a1 = Math.abs(y1), a2 = Math.abs(y2), a3 = Math.abs(y3);
        const most = Math.max(x, a1, a2, a3);
        // Fast path: nothing new to record and no over run to close.
        if (most <= this.peak && most <= low && !this.inRun[0] && !this.inRun[1]) continue;
        const at = (this.next + base) * OVERSAMPLING;
        this.observe(x, at); this.observe(a1, at + 1); this.observe(a2, at + 2); this.observe(a3, at + 3);
      }
    }
    const consumed = lastCentre - (HALF - 1) + 1;
    if (consumed > 0) {
      this.next += consumed;
      buf.copyWithin(0, consumed, this.bufLen);
      this.bufLen -= consumed;
    }
  }

  private observe(a: number, index4x: number): void {
    if (a > this.peak) { this.peak = a; this.peakAt = index4x / (OVERSAMPLING * this.sampleRate); }
    for (let t = 0; t < this.thresholds.length; t++) {
      if (a > this.thresholds[t]!) {
        if (!this.inRun[t]) {
          this.inRun[t] = true;
          const ev = this.overs[t]!;
          ev.count++;
          if (ev.positions.length < MAX_OVER_POSITIONS) ev.positions.push(index4x / (OVERSAMPLING * this.sampleRate));
        }
      } else this.inRun[t] = false;
    }
  }

  get peakDbtp(): number { return toDb(this.peak); }
}
