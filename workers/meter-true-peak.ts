/**
 * Allocation-free streaming true peak for the live meter: the core's 4x polyphase interpolator
 * (src/core/dsp/true-peak.ts `interpolatorPhases`, computed once in the constructor), applied
 * sample by sample, holding the largest magnitude since the last `take()`. The core's
 * TruePeakChannel records over positions into growing arrays, which a real-time thread must
 * not do; this variant keeps only the running maximum.
 */
import { interpolatorPhases } from '../src/core/dsp/true-peak.ts';

export class MeterTruePeak {
  private readonly p1: Float64Array;
  private readonly p2: Float64Array;
  private readonly p3: Float64Array;
  private readonly taps: number;
  /** TAPS-1 samples of history followed by the current block. */
  private readonly buf: Float64Array;
  private max = 0;

  constructor(maxBlock: number) {
    const [p1, p2, p3] = interpolatorPhases();
    this.p1 = p1!; this.p2 = p2!; this.p3 = p3!;
    this.taps = this.p1.length;
    this.buf = new Float64Array(this.taps - 1 + maxBlock);
  }

  /** Adds `length` samples (at most maxBlock). */
  push(x: Float32Array, length: number): void {
    const buf = this.buf, taps = this.taps, hist = taps - 1, centre = taps / 2 - 1;
    const p1 = this.p1, p2 = this.p2, p3 = this.p3;
    for (let n = 0; n < length; n++) buf[hist + n] = x[n]!;
    let max = this.max;
    for (let base = 0; base < length; base++) {
      let y1 = 0, y2 = 0, y3 = 0;
      for (let i = 0; i < taps; i++) {
        const v = buf[base + i]!;
        y1 += p1[i]! * v; y2 += p2[i]! * v; y3 += p3[i]! * v;
      }
      const m = Math.max(Math.abs(buf[base + centre]!), Math.abs(y1), Math.abs(y2), Math.abs(y3));
      if (m > max) max = m;
    }
    this.max = max;
    buf.copyWithin(0, length, length + hist);
  }

  /** The largest magnitude since the last call (linear), and starts a new hold. */
  take(): number {
    const m = this.max;
    this.max = 0;
    return m;
  }
}
