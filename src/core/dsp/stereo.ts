/**
 * Stereo image of a left/right pair: correlation overall, per 100 ms and below 150 Hz;
 * side-to-mid energy (width); left/right balance. Mono compatibility needs K-weighted
 * loudness and lives in the analyser. All sums are double precision.
 */
import { butterworthLowPass, runCascade } from './biquad.ts';
import type { Biquad } from './biquad.ts';
import { Float64List } from './growable.ts';

/** Corner of the low-band correlation (4th-order Linkwitz-Riley low-pass on both channels). */
export const LOW_BAND_HZ = 150;

export function correlation(lr: number, ll: number, rr: number): number | null {
  const d = Math.sqrt(ll * rr);
  return d > 0 ? lr / d : null;
}

export class StereoMeter {
  ll = 0; rr = 0; lr = 0;
  lowLl = 0; lowRr = 0; lowLr = 0;
  /** Correlation of each 100 ms (NaN where a channel is silent). */
  readonly series = new Float64List();
  private readonly lowPass: Biquad[];
  private readonly stateL = new Float64Array(8);
  private readonly stateR = new Float64Array(8);
  private lowL = new Float64Array(0);
  private lowR = new Float64Array(0);
  private hopLl = 0; private hopRr = 0; private hopLr = 0; private hopFill = 0;

  constructor(sampleRate: number, private readonly hop: number) {
    const lp = butterworthLowPass(LOW_BAND_HZ, sampleRate);
    this.lowPass = [lp, lp];
  }

  push(l: Float32Array, r: Float32Array, length: number): void {
    let ll = 0, rr = 0, lr = 0;
    let hll = this.hopLl, hrr = this.hopRr, hlr = this.hopLr, fill = this.hopFill;
    for (let n = 0; n < length; n++) {
      const a = l[n]!, b = r[n]!;
      const aa = a * a, bb = b * b, ab = a * b;
      ll += aa; rr += bb; lr += ab;
      hll += aa; hrr += bb; hlr += ab;
      if (++fill === this.hop) {
        this.series.push(correlation(hlr, hll, hrr) ?? NaN);
        hll = 0; hrr = 0; hlr = 0; fill = 0;
      }
    }
    this.hopLl = hll; this.hopRr = hrr; this.hopLr = hlr; this.hopFill = fill;
    this.ll += ll; this.rr += rr; this.lr += lr;
    if (this.lowL.length < length) { this.lowL = new Float64Array(length); this.lowR = new Float64Array(length); }
    runCascade(this.lowPass, this.stateL, l, this.lowL, length);
    runCascade(this.lowPass, this.stateR, r, this.lowR, length);
    let sll = 0, srr = 0, slr = 0;
    const lowL = this.lowL, lowR = this.lowR;
    for (let n = 0; n < length; n++) { const a = lowL[n]!, b = lowR[n]!; sll += a * a; srr += b * b; slr += a * b; }
    this.lowLl += sll; this.lowRr += srr; this.lowLr += slr;
  }
}
