/**
 * Sliding-window loudness over a stream of per-sample weighted energies (sum over channels of
 * G_i * y_i^2 after K-weighting).
 *
 * Energies are summed into sub-blocks of at most 10 ms that tile the 100 ms hop exactly, so:
 *  - momentary (400 ms) and short-term (3 s) loudness are evaluated at every sub-block
 *    boundary, which gives their maxima to within 10 ms of window placement (Tech 3341 cases
 *    10 and 13 need this; a 100 ms meter misses them);
 *  - every 100 ms a 400 ms gating block (75 % overlap) and a short-term value are recorded
 *    for integrated loudness, loudness range and the 10 Hz plot series.
 * Memory: a 3 s ring of sub-block sums plus O(duration / 100 ms) values.
 */
import { Float64List } from './growable.ts';
import { energyToLufs } from './units.ts';

/** One slice's loudness values (analysis-split.ts): plain data, so a worker can post it. */
export interface LoudnessPart {
  blocks: Float64Array;
  shortTerm: Float64Array;
  momentarySeries: Float64Array;
  shortTermSeries: Float64Array;
  maxMomentary: number;
  maxMomentaryAt: number;
  maxShortTerm: number;
  maxShortTermAt: number;
}

export class LoudnessWindows {
  /** Samples per 100 ms hop (rounded as libebur128 does for odd rates). */
  readonly hop: number;
  /** Samples per sub-block; divides `hop`, at most 10 ms. */
  readonly sub: number;
  private readonly subsPerHop: number;
  private readonly ring: Float64Array;
  /** Sums of the last 30 complete hops' sub-blocks (hop h at h % 30). */
  private readonly hopSums = new Float64Array(30);
  private subCount = 0;
  private acc = 0;
  private accFill = 0;
  /** Mean energies of the complete 400 ms gating blocks, one per 100 ms. */
  readonly blocks = new Float64List();
  /** Mean energies of the 3 s windows, one per 100 ms once 3 s are available. */
  readonly shortTerm = new Float64List();
  /** 10 Hz series: momentary and short-term mean energy at each 100 ms (NaN before the window is full). */
  readonly momentarySeries = new Float64List();
  readonly shortTermSeries = new Float64List();
  maxMomentary = -Infinity;
  maxMomentaryAt = 0;
  maxShortTerm = -Infinity;
  maxShortTermAt = 0;

  /**
   * `blocksOnly`: keep just the 400 ms gating blocks (the mono sum needs nothing else), which
   * skips the 3 s window sum at every sub-block; the maxima and series then stay empty.
   */
  constructor(
    readonly sampleRate: number,
    private readonly blocksOnly = false,
    /** Stream index of the first energy pushed (a slice of a file starts later); times count from the stream's start. */
    private readonly startFrame = 0,
  ) {
    this.hop = Math.max(1, Math.round(sampleRate / 10));
    let sub = 1;
    const limit = Math.max(1, Math.floor(sampleRate / 100));
    for (let d = 1; d <= limit; d++) if (this.hop % d === 0) sub = d;
    this.sub = sub;
    this.subsPerHop = this.hop / sub;
    this.ring = new Float64Array(this.subsPerHop * 30);
  }

  /** Adds `length` per-sample energies. */
  push(energy: Float64Array, length: number): void {
    let acc = this.acc,
      fill = this.accFill,
      n = 0;
    const sub = this.sub;
    while (n < length) {
      const end = Math.min(length, n + sub - fill);
      // Two running sums: each addition waits for the one before it, so one sum leaves the
      // adder idle most of the time; two halve that wait (grouping differs by rounding only).
      let s0 = 0,
        s1 = 0,
        i = n;
      for (; i + 1 < end; i += 2) {
        s0 += energy[i]!;
        s1 += energy[i + 1]!;
      }
      if (i < end) s0 += energy[i]!;
      acc += s0 + s1;
      fill += end - n;
      n = end;
      if (fill === sub) {
        this.closeSub(acc);
        acc = 0;
        fill = 0;
      }
    }
    this.acc = acc;
    this.accFill = fill;
  }

  /** Sum of the ring's sub-blocks [from, to) (sub-block counts; at most the ring's length back). */
  private subSum(from: number, to: number): number {
    const ring = this.ring,
      size = ring.length;
    let sum = 0;
    for (let i = from, idx = from % size; i < to; i++, idx = idx + 1 === size ? 0 : idx + 1) sum += ring[idx]!;
    return sum;
  }

  /**
   * Sum of the last `hops` hops' worth of sub-blocks, ending at the newest one: the whole hops
   * inside the window from their sums (hopSums), the part hops at its ends sub-block by
   * sub-block, so ~40 additions for the 3 s window instead of 300 at every sub-block. The same
   * values as adding the sub-blocks one by one, grouped differently (rounding, ~1e-16).
   */
  private windowSum(hops: number): number {
    const per = this.subsPerHop,
      end = this.subCount,
      inHop = end % per,
      lastHop = (end - inHop) / per,
      hopRing = this.hopSums;
    let sum = 0;
    for (let h = lastHop - hops + (inHop > 0 ? 1 : 0); h < lastHop; h++) sum += hopRing[h % hopRing.length]!;
    if (inHop > 0) sum += this.subSum(end - inHop, end) + this.subSum(end - hops * per, (lastHop - hops + 1) * per);
    return sum;
  }

  private closeSub(sum: number): void {
    this.ring[this.subCount % this.ring.length] = sum;
    this.subCount++;
    if (this.subCount % this.subsPerHop === 0) {
      const hop = this.subCount / this.subsPerHop - 1;
      this.hopSums[hop % this.hopSums.length] = this.subSum(this.subCount - this.subsPerHop, this.subCount);
    }
    const mSubs = this.subsPerHop * 4,
      sSubs = this.subsPerHop * 30;
    if (this.blocksOnly) {
      if (this.subCount % this.subsPerHop === 0 && this.subCount >= mSubs)
        this.blocks.push(this.windowSum(4) / (mSubs * this.sub));
      return;
    }
    const seconds = (this.startFrame + this.subCount * this.sub) / this.sampleRate;
    let m = NaN,
      s = NaN;
    if (this.subCount >= mSubs) {
      m = this.windowSum(4) / (mSubs * this.sub);
      if (m > this.maxMomentary) {
        this.maxMomentary = m;
        this.maxMomentaryAt = seconds;
      }
    }
    if (this.subCount >= sSubs) {
      s = this.windowSum(30) / (sSubs * this.sub);
      if (s > this.maxShortTerm) {
        this.maxShortTerm = s;
        this.maxShortTermAt = seconds;
      }
    }
    if (this.subCount % this.subsPerHop === 0) {
      if (!Number.isNaN(m)) this.blocks.push(m);
      if (!Number.isNaN(s)) this.shortTerm.push(s);
      this.momentarySeries.push(m);
      this.shortTermSeries.push(s);
    }
  }

  /**
   * Forgets the values and maxima so far but keeps the 3 s of sub-blocks in the ring: a slice's
   * analysis calls it on a 100 ms boundary where its pre-roll (at least 3 s) ends.
   */
  startRecording(): void {
    for (const list of [this.blocks, this.shortTerm, this.momentarySeries, this.shortTermSeries]) list.clear();
    this.maxMomentary = this.maxShortTerm = -Infinity;
    this.maxMomentaryAt = this.maxShortTermAt = 0;
  }

  part(): LoudnessPart {
    return {
      blocks: this.blocks.toArray(),
      shortTerm: this.shortTerm.toArray(),
      momentarySeries: this.momentarySeries.toArray(),
      shortTermSeries: this.shortTermSeries.toArray(),
      maxMomentary: this.maxMomentary,
      maxMomentaryAt: this.maxMomentaryAt,
      maxShortTerm: this.maxShortTerm,
      maxShortTermAt: this.maxShortTermAt,
    };
  }

  /** Appends the next slice's values (slices in time order; the first largest window wins, as in one pass). */
  absorbPart(p: LoudnessPart): void {
    for (const v of p.blocks) this.blocks.push(v);
    for (const v of p.shortTerm) this.shortTerm.push(v);
    for (const v of p.momentarySeries) this.momentarySeries.push(v);
    for (const v of p.shortTermSeries) this.shortTermSeries.push(v);
    if (p.maxMomentary > this.maxMomentary) {
      this.maxMomentary = p.maxMomentary;
      this.maxMomentaryAt = p.maxMomentaryAt;
    }
    if (p.maxShortTerm > this.maxShortTerm) {
      this.maxShortTerm = p.maxShortTerm;
      this.maxShortTermAt = p.maxShortTermAt;
    }
  }

  /** Maximum momentary loudness in LUFS (-Infinity when shorter than 400 ms or silent). */
  get maxMomentaryLufs(): number {
    return energyToLufs(this.maxMomentary);
  }
  get maxShortTermLufs(): number {
    return energyToLufs(this.maxShortTerm);
  }
}
