/**
 * A picture of the whole signal gathered in the analysis pass itself (no second decode), small
 * enough to keep with the result:
 *
 * - a peak envelope: the smallest and largest sample (of every other frame) over all channels in each of at most
 *   MAX_COLUMNS equal stretches of time (the waveform overview). The stream's length is not
 *   known in advance, so columns start at START_FRAMES frames and neighbouring pairs merge
 *   whenever the columns would exceed MAX_COLUMNS: the result has between MAX_COLUMNS / 2 and
 *   MAX_COLUMNS columns once the stream is longer than MAX_COLUMNS * START_FRAMES / 2 frames.
 * - a goniometer (vectorscope) density of a left/right pair: side (R - L) across, mid (L + R)
 *   up (so left-only material leans up and left), the radius on a decibel scale (-GONIO_RANGE_DB dBFS at the centre, 0 dBFS at the edge)
 *   so a quiet mix shows its shape as clearly as a loud one. Every GONIO_RATE_HZ-th of a second a
 *   frame is taken (a density, not a waveform: thinning keeps its cost small).
 *
 * Memory: 2 * MAX_COLUMNS doubles and GONIO_SIZE^2 counters, whatever the duration.
 */
export const MAX_COLUMNS = 2048;
const START_FRAMES = 256;
export const GONIO_SIZE = 128;
export const GONIO_RANGE_DB = 60;
/** Goniometer points taken per second of audio. */
const GONIO_RATE_HZ = 1000;

export interface OverviewData {
  /** Frames per envelope column (the last column may cover fewer). */
  framesPerColumn: number;
  /** Smallest sample of each column over all channels (full scale is -1). */
  min: number[];
  /** Largest sample of each column over all channels (full scale is 1). */
  max: number[];
  /** Null without a left/right pair. */
  goniometer: null | {
    size: number;
    rangeDb: number;
    /** size * size cells, row 0 at the top (mid +), column 0 at the left (L - R largest): 0 to 255, log density. */
    density: number[];
  };
}

/** One slice's envelope columns and goniometer counts (analysis-split.ts), its partial last column closed. */
export interface OverviewPart {
  framesPerColumn: number;
  min: Float64Array;
  max: Float64Array;
  density: Uint32Array | null;
}

/** Frames per envelope column that a stream of `frames` frames ends with (the halving rule of SignalOverview). */
export function finalFramesPerColumn(frames: number): number {
  let perColumn = START_FRAMES;
  while (Math.ceil(frames / perColumn) >= MAX_COLUMNS) perColumn *= 2;
  return perColumn;
}

/** Goniometer stride in frames: a slice's overview must start on a multiple of it. */
export function goniometerStride(sampleRate: number): number {
  return Math.max(1, Math.round(sampleRate / GONIO_RATE_HZ));
}

export class SignalOverview {
  private min = new Float64Array(MAX_COLUMNS);
  private max = new Float64Array(MAX_COLUMNS);
  private columns = 0;
  private framesPerColumn = START_FRAMES;
  /** Frames already in the open column (index `columns`). */
  private fill = 0;
  private openMin = Infinity;
  private openMax = -Infinity;
  private readonly density: Uint32Array | null;
  private readonly stride: number;
  /** Frames pushed so far. */
  private position = 0;
  /** Frames to skip before the next goniometer point. */
  private skip = 0;

  constructor(
    sampleRate: number,
    private readonly pair: readonly [number, number] | null,
  ) {
    this.density = pair ? new Uint32Array(GONIO_SIZE * GONIO_SIZE) : null;
    this.stride = goniometerStride(sampleRate);
  }

  /** Adds frames `from` to `length` of the slice; `input(c)` is channel c of the slice. */
  push(input: (c: number) => Float32Array, channels: number, length: number, from = 0): void {
    let done = from;
    while (done < length) {
      const take = Math.min(length - done, this.framesPerColumn - this.fill);
      let lo = this.openMin,
        hi = this.openMax;
      for (let c = 0; c < channels; c++) {
        const x = input(c);
        // Every other frame of the stream (even stream positions, whatever the chunking): half
        // the cost, and a display of columns thousands of frames wide looks the same; a
        // clipping run (3 or more full-scale samples) is always seen.
        for (let n = done + ((this.position + done - from) & 1), end = done + take; n < end; n += 2) {
          const v = x[n]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      this.openMin = lo;
      this.openMax = hi;
      this.fill += take;
      done += take;
      if (this.fill === this.framesPerColumn) this.closeColumn();
    }
    if (this.density) this.gonio(input(this.pair![0]), input(this.pair![1]), length, from);
    this.position += length - from;
  }

  private closeColumn(): void {
    this.min[this.columns] = this.openMin;
    this.max[this.columns] = this.openMax;
    this.columns++;
    this.fill = 0;
    this.openMin = Infinity;
    this.openMax = -Infinity;
    // Only whole columns are merged, so every column keeps starting at a multiple of its length.
    if (this.columns === MAX_COLUMNS) this.halve();
  }

  /** Merges neighbouring columns: half as many, each twice as long. */
  private halve(): void {
    const half = this.columns >> 1;
    for (let i = 0; i < half; i++) {
      this.min[i] = Math.min(this.min[2 * i]!, this.min[2 * i + 1]!);
      this.max[i] = Math.max(this.max[2 * i]!, this.max[2 * i + 1]!);
    }
    this.columns = half;
    this.framesPerColumn *= 2;
  }

  private gonio(l: Float32Array, r: Float32Array, length: number, from: number): void {
    const density = this.density!;
    const half = GONIO_SIZE / 2;
    const floor = Math.pow(10, -GONIO_RANGE_DB / 20);
    let n = from + this.skip;
    for (; n < length; n += this.stride) {
      const a = l[n]!,
        b = r[n]!;
      // Mid and side halved: full-scale mono (L = R = 1) reaches the edge.
      const m = (a + b) / 2,
        s = (a - b) / 2;
      const radius = Math.sqrt(m * m + s * s);
      if (radius <= floor) continue;
      const k = Math.min(1, 1 + (20 * Math.log10(radius)) / GONIO_RANGE_DB) / radius;
      // Left-only leans up and left, right-only up and right (the usual goniometer view).
      const col = Math.min(GONIO_SIZE - 1, Math.floor(half - s * k * half));
      const row = Math.min(GONIO_SIZE - 1, Math.floor(half - m * k * half));
      density[row * GONIO_SIZE + col]!++;
    }
    this.skip = n - length;
  }

  /** This slice's columns (a partial last one closed) and goniometer counts; the overview is spent afterwards. */
  part(): OverviewPart {
    if (this.fill > 0) this.closeColumn();
    return {
      framesPerColumn: this.framesPerColumn,
      min: this.min.slice(0, this.columns),
      max: this.max.slice(0, this.columns),
      density: this.density ? this.density.slice() : null,
    };
  }

  /**
   * Appends the next slice's columns, merged to `framesPerColumn` (finalFramesPerColumn of the
   * whole stream; every slice but the last starts and ends on a multiple of it), and adds its
   * goniometer counts.
   */
  absorbPart(p: OverviewPart, framesPerColumn: number): void {
    this.framesPerColumn = framesPerColumn;
    const group = framesPerColumn / p.framesPerColumn;
    for (let i = 0; i < p.min.length; i += group) {
      let lo = Infinity,
        hi = -Infinity;
      for (let j = i; j < Math.min(p.min.length, i + group); j++) {
        lo = Math.min(lo, p.min[j]!);
        hi = Math.max(hi, p.max[j]!);
      }
      if (this.columns >= MAX_COLUMNS) throw new RangeError('overview parts hold more columns than one stream would');
      this.min[this.columns] = lo;
      this.max[this.columns] = hi;
      this.columns++;
    }
    if (this.density && p.density) for (let i = 0; i < this.density.length; i++) this.density[i]! += p.density[i]!;
  }

  finish(): OverviewData {
    // The partial last column stays shorter than the others.
    if (this.fill > 0) this.closeColumn();
    const round = (v: number) => Math.round(v * 1e4) / 1e4;
    let goniometer: OverviewData['goniometer'] = null;
    if (this.density) {
      let peak = 0;
      for (const v of this.density) peak = Math.max(peak, v);
      const scale = peak > 0 ? 255 / Math.log1p(peak) : 0;
      goniometer = {
        size: GONIO_SIZE,
        rangeDb: GONIO_RANGE_DB,
        density: Array.from(this.density, (v) => Math.round(Math.log1p(v) * scale)),
      };
    }
    return {
      framesPerColumn: this.framesPerColumn,
      min: Array.from(this.min.subarray(0, this.columns), round),
      max: Array.from(this.max.subarray(0, this.columns), round),
      goniometer,
    };
  }
}
