/**
 * Stereo image of a left/right pair: correlation overall, per 100 ms and below 150 Hz;
 * side-to-mid energy (width); left/right balance. Mono compatibility needs K-weighted
 * loudness and lives in the analyser. All sums are double precision.
 */
import { butterworthLowPass } from './biquad.ts';
import type { Biquad } from './biquad.ts';
import { Float64List } from './growable.ts';

/** Corner of the low-band correlation (4th-order Linkwitz-Riley low-pass on both channels). */
export const LOW_BAND_HZ = 150;

export function correlation(lr: number, ll: number, rr: number): number | null {
  const d = Math.sqrt(ll * rr);
  return d > 0 ? lr / d : null;
}

/** One slice's stereo sums (analysis-split.ts): plain data, so a worker can post it. */
export interface StereoPart {
  sums: [number, number, number, number, number, number];
  series: Float64Array;
}

export class StereoMeter {
  ll = 0;
  rr = 0;
  lr = 0;
  lowLl = 0;
  lowRr = 0;
  lowLr = 0;
  /** Correlation of each 100 ms (NaN where a channel is silent). */
  readonly series = new Float64List();
  private readonly lowPass: Biquad;
  private readonly stateL = new Float64Array(6);
  private readonly stateR = new Float64Array(6);
  private hopLl = 0;
  private hopRr = 0;
  private hopLr = 0;
  private hopFill = 0;

  constructor(
    sampleRate: number,
    private readonly hop: number,
  ) {
    this.lowPass = butterworthLowPass(LOW_BAND_HZ, sampleRate);
  }

  /** Slice sums computed elsewhere (the WASM kernels): totals, low-band totals and `hops` completed 100 ms hops (LL, RR, LR each). */
  absorb(totals: Float64Array, hopSums: Float64Array, hops: number): void {
    this.ll += totals[0]!;
    this.rr += totals[1]!;
    this.lr += totals[2]!;
    this.lowLl += totals[3]!;
    this.lowRr += totals[4]!;
    this.lowLr += totals[5]!;
    for (let h = 0; h < hops; h++)
      this.series.push(correlation(hopSums[3 * h + 2]!, hopSums[3 * h]!, hopSums[3 * h + 1]!) ?? NaN);
  }

  /** Forgets the sums so far, keeping the low-pass state: where a slice's pre-roll ends (on a 100 ms boundary). */
  startRecording(): void {
    this.ll = this.rr = this.lr = this.lowLl = this.lowRr = this.lowLr = 0;
    this.series.clear();
  }

  part(): StereoPart {
    return { sums: [this.ll, this.rr, this.lr, this.lowLl, this.lowRr, this.lowLr], series: this.series.toArray() };
  }

  /** Adds the next slice's sums (slices in time order). */
  absorbPart(p: StereoPart): void {
    const [ll, rr, lr, lowLl, lowRr, lowLr] = p.sums;
    this.ll += ll;
    this.rr += rr;
    this.lr += lr;
    this.lowLl += lowLl;
    this.lowRr += lowRr;
    this.lowLr += lowLr;
    for (const v of p.series) this.series.push(v);
  }

  get lowPassCoefficients(): Biquad {
    return this.lowPass;
  }

  push(l: Float32Array, r: Float32Array, length: number): void {
    let ll = 0,
      rr = 0,
      lr = 0;
    let hll = this.hopLl,
      hrr = this.hopRr,
      hlr = this.hopLr,
      fill = this.hopFill;
    for (let n = 0; n < length; n++) {
      const a = l[n]!,
        b = r[n]!;
      const aa = a * a,
        bb = b * b,
        ab = a * b;
      ll += aa;
      rr += bb;
      lr += ab;
      hll += aa;
      hrr += bb;
      hlr += ab;
      if (++fill === this.hop) {
        this.series.push(correlation(hlr, hll, hrr) ?? NaN);
        hll = 0;
        hrr = 0;
        hlr = 0;
        fill = 0;
      }
    }
    this.hopLl = hll;
    this.hopRr = hrr;
    this.hopLr = hlr;
    this.hopFill = fill;
    this.ll += ll;
    this.rr += rr;
    this.lr += lr;
    // Low band: the same 2nd-order Butterworth twice (4th-order Linkwitz-Riley) on both channels, fused.
    const { b0, b1, b2, a1, a2 } = this.lowPass;
    const sl = this.stateL,
      sr = this.stateR;
    let l1 = sl[0]!,
      l2 = sl[1]!,
      lu1 = sl[2]!,
      lu2 = sl[3]!,
      lv1 = sl[4]!,
      lv2 = sl[5]!;
    let r1 = sr[0]!,
      r2 = sr[1]!,
      ru1 = sr[2]!,
      ru2 = sr[3]!,
      rv1 = sr[4]!,
      rv2 = sr[5]!;
    let sll = 0,
      srr = 0,
      slr = 0;
    for (let n = 0; n < length; n++) {
      const a = l[n]!,
        b = r[n]!;
      const lu = b0 * a + b1 * l1 + b2 * l2 - a1 * lu1 - a2 * lu2;
      const lv = b0 * lu + b1 * lu1 + b2 * lu2 - a1 * lv1 - a2 * lv2;
      l2 = l1;
      l1 = a;
      lu2 = lu1;
      lu1 = lu;
      lv2 = lv1;
      lv1 = lv;
      const ru = b0 * b + b1 * r1 + b2 * r2 - a1 * ru1 - a2 * ru2;
      const rv = b0 * ru + b1 * ru1 + b2 * ru2 - a1 * rv1 - a2 * rv2;
      r2 = r1;
      r1 = b;
      ru2 = ru1;
      ru1 = ru;
      rv2 = rv1;
      rv1 = rv;
      sll += lv * lv;
      srr += rv * rv;
      slr += lv * rv;
    }
    sl[0] = l1;
    sl[1] = l2;
    sl[2] = lu1;
    sl[3] = lu2;
    sl[4] = lv1;
    sl[5] = lv2;
    sr[0] = r1;
    sr[1] = r2;
    sr[2] = ru1;
    sr[3] = ru2;
    sr[4] = rv1;
    sr[5] = rv2;
    this.lowLl += sll;
    this.lowRr += srr;
    this.lowLr += slr;
  }
}
