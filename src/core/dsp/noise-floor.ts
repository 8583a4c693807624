/**
 * Noise-floor estimate: the 10th percentile of the RMS level of 50 ms windows (all channels
 * pooled), ignoring windows of pure digital silence. A 0.5 dB histogram keeps memory fixed.
 */
const BIN_DB = 0.5;
const MIN_DB = -200;
const BINS = Math.ceil(-MIN_DB / BIN_DB) + 1;
export const NOISE_FLOOR_PERCENTILE = 10;

/** One slice's 50 ms window histogram (analysis-split.ts). */
export interface NoiseFloorPart {
  histogram: Float64Array;
  windows: number;
}

export class NoiseFloor {
  private readonly histogram = new Float64Array(BINS);
  private readonly window: number;
  private acc = 0;
  private fill = 0;
  private windows = 0;

  constructor(
    sampleRate: number,
    private readonly channels: number,
  ) {
    this.window = Math.max(1, Math.round(sampleRate * 0.05));
  }

  /** `squares[n]` is the sum over channels of the squared samples at frame n. */
  push(squares: Float64Array, length: number): void {
    let acc = this.acc,
      fill = this.fill,
      n = 0;
    while (n < length) {
      const end = Math.min(length, n + this.window - fill);
      let s = 0;
      for (let i = n; i < end; i++) s += squares[i]!;
      acc += s;
      fill += end - n;
      n = end;
      if (fill === this.window) {
        this.add(acc / (this.window * this.channels));
        acc = 0;
        fill = 0;
      }
    }
    this.acc = acc;
    this.fill = fill;
  }

  part(): NoiseFloorPart {
    return { histogram: this.histogram.slice(), windows: this.windows };
  }

  /** Adds the next slice's windows (each slice starts on a 50 ms boundary of the stream). */
  absorbPart(p: NoiseFloorPart): void {
    for (let b = 0; b < BINS; b++) this.histogram[b]! += p.histogram[b]!;
    this.windows += p.windows;
  }

  private add(meanSquare: number): void {
    if (meanSquare <= 0) return;
    const db = 10 * Math.log10(meanSquare);
    const bin = Math.min(BINS - 1, Math.max(0, Math.floor((db - MIN_DB) / BIN_DB)));
    this.histogram[bin]!++;
    this.windows++;
  }

  /** Estimated floor in dBFS RMS (a full-scale square wave is 0), or null when there is no non-silent window. */
  estimateDbfs(): number | null {
    if (this.windows === 0) return null;
    const target = (this.windows * NOISE_FLOOR_PERCENTILE) / 100;
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      seen += this.histogram[b]!;
      if (seen >= target) return Math.min(0, MIN_DB + (b + 0.5) * BIN_DB);
    }
    return 0;
  }
}
