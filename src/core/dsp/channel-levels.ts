/**
 * Plain per-channel statistics gathered in one pass: sample peak, RMS, DC offset, clipping
 * runs and the first/last sample above the silence threshold. Also rejects NaN and infinite
 * samples, which would poison every other figure.
 */
import { MAX_OVER_POSITIONS } from './true-peak.ts';

/** A sample at or above this magnitude is full scale: one 16-bit LSB below 1.0 covers every PCM format. */
export const FULL_SCALE = 1 - 1 / 32768;
/** Minimum run of consecutive full-scale samples that counts as clipping. */
export const CLIP_RUN = 3;
/** Level below which the head and tail of a file count as silence (sample magnitude, dBFS). */
export const SILENCE_THRESHOLD_DBFS = -60;
export const SILENCE_AMPLITUDE = Math.pow(10, SILENCE_THRESHOLD_DBFS / 20);

/** Thrown for samples that no meter can measure; the message names the time and channel. */
export class InvalidSampleError extends Error {
  constructor(
    readonly channel: number,
    readonly seconds: number,
    value: number,
  ) {
    super(`${Number.isNaN(value) ? 'NaN' : 'infinite'} sample in channel ${channel + 1} at ${seconds.toFixed(6)} s`);
    this.name = 'InvalidSampleError';
  }
}

export interface ClipRun {
  startSeconds: number;
  samples: number;
}

/** One slice's levels (analysis-split.ts): plain data, so a worker can post it. */
export interface LevelsPart {
  peak: number;
  peakAt: number;
  sum: number;
  sumSquares: number;
  clipRuns: number;
  clippedSamples: number;
  clipPositions: ClipRun[];
  firstAudible: number;
  lastAudible: number;
}

export class ChannelLevels {
  peak = 0;
  peakAt = 0;
  sum = 0;
  sumSquares = 0;
  clipRuns = 0;
  clippedSamples = 0;
  readonly clipPositions: ClipRun[] = [];
  /** First and last sample index above the silence threshold (-1: none yet). */
  firstAudible = -1;
  lastAudible = -1;
  private run = 0;
  private runStart = 0;

  constructor(
    private readonly channel: number,
    private readonly sampleRate: number,
  ) {}

  /** Stats of one slice computed elsewhere (the WASM kernels); same meaning as push(). */
  absorb(offset: number, peak: number, peakIdx: number, sum: number, sq: number, first: number, last: number): void {
    if (peakIdx >= 0) {
      this.peak = peak;
      this.peakAt = (offset + peakIdx) / this.sampleRate;
    }
    this.sum += sum;
    this.sumSquares += sq;
    if (first >= 0) {
      if (this.firstAudible < 0) this.firstAudible = offset + first;
      this.lastAudible = offset + last;
    }
  }

  /** Records a closed clipping run found elsewhere (start sample index, length in samples). */
  recordRun(start: number, length: number): void {
    this.runStart = start;
    this.closeRun(length);
  }

  invalid(index: number, value: number): InvalidSampleError {
    return new InvalidSampleError(this.channel, index / this.sampleRate, value);
  }

  push(x: Float32Array, length: number, offset: number): void {
    let peak = this.peak,
      peakIdx = -1,
      sum = 0,
      sq = 0,
      run = this.run;
    let first = -1,
      last = -1;
    for (let n = 0; n < length; n++) {
      const v = x[n]!;
      if (v - v !== 0) throw new InvalidSampleError(this.channel, (offset + n) / this.sampleRate, v);
      const a = v < 0 ? -v : v;
      sum += v;
      sq += v * v;
      if (a > peak) {
        peak = a;
        peakIdx = n;
      }
      if (a > SILENCE_AMPLITUDE) {
        if (first < 0) first = n;
        last = n;
      }
      if (a >= FULL_SCALE) {
        if (run === 0) this.runStart = offset + n;
        run++;
      } else if (run > 0) {
        this.closeRun(run);
        run = 0;
      }
    }
    this.run = run;
    if (peakIdx >= 0) {
      this.peak = peak;
      this.peakAt = (offset + peakIdx) / this.sampleRate;
    }
    this.sum += sum;
    this.sumSquares += sq;
    if (first >= 0) {
      if (this.firstAudible < 0) this.firstAudible = offset + first;
      this.lastAudible = offset + last;
    }
  }

  /**
   * Forgets the figures so far but not an open clipping run: a slice's analysis calls it where
   * its pre-roll ends, and a run that started in the pre-roll is then counted here, once (the
   * slice before leaves a run open at its end uncounted).
   */
  startRecording(): void {
    this.peak = 0;
    this.peakAt = 0;
    this.sum = 0;
    this.sumSquares = 0;
    this.clipRuns = 0;
    this.clippedSamples = 0;
    this.clipPositions.length = 0;
    this.firstAudible = -1;
    this.lastAudible = -1;
  }

  part(): LevelsPart {
    const { peak, peakAt, sum, sumSquares, clipRuns, clippedSamples, firstAudible, lastAudible } = this;
    return {
      peak,
      peakAt,
      sum,
      sumSquares,
      clipRuns,
      clippedSamples,
      clipPositions: [...this.clipPositions],
      firstAudible,
      lastAudible,
    };
  }

  /** Adds the next slice's figures (slices in time order; the first largest sample wins, as in one pass). */
  absorbPart(p: LevelsPart): void {
    if (p.peak > this.peak) {
      this.peak = p.peak;
      this.peakAt = p.peakAt;
    }
    this.sum += p.sum;
    this.sumSquares += p.sumSquares;
    this.clipRuns += p.clipRuns;
    this.clippedSamples += p.clippedSamples;
    for (const run of p.clipPositions) if (this.clipPositions.length < MAX_OVER_POSITIONS) this.clipPositions.push(run);
    if (p.firstAudible >= 0) {
      if (this.firstAudible < 0) this.firstAudible = p.firstAudible;
      this.lastAudible = p.lastAudible;
    }
  }

  /** Ends an open clipping run at the end of the stream. */
  flush(): void {
    if (this.run > 0) this.closeRun(this.run);
    this.run = 0;
  }

  private closeRun(length: number): void {
    if (length < CLIP_RUN) return;
    this.clipRuns++;
    this.clippedSamples += length;
    if (this.clipPositions.length < MAX_OVER_POSITIONS)
      this.clipPositions.push({ startSeconds: this.runStart / this.sampleRate, samples: length });
  }
}
