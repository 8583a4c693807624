/** Stereo sums and the mono-sum energy of a channel pair (mirrors stereo.ts). */
import { MAX, INS, STEREO_STATE, STEREO_OUT, HOP_OUT, MONO, LP_COEF, KOUT } from './memory-layout';

/**
 * Stereo sums of channels l and r (mirrors stereo.ts): totals of LL, RR, LR and of the same
 * after the 150 Hz Linkwitz-Riley low-pass, added into STEREO_OUT; LL, RR, LR of every 100 ms
 * hop completed in this slice at HOP_OUT. Returns the number of completed hops.
 */
export function stereo(l: i32, r: i32, length: i32, hop: i32): i32 {
  const il = INS + <usize>(l * MAX * 4),
    ir = INS + <usize>(r * MAX * 4);
  const b0 = load<f64>(LP_COEF),
    b1 = load<f64>(LP_COEF, 8),
    b2 = load<f64>(LP_COEF, 16),
    a1 = load<f64>(LP_COEF, 24),
    a2 = load<f64>(LP_COEF, 32);
  const st = STEREO_STATE;
  let l1 = load<f64>(st),
    l2 = load<f64>(st, 8),
    lu1 = load<f64>(st, 16),
    lu2 = load<f64>(st, 24),
    lv1 = load<f64>(st, 32),
    lv2 = load<f64>(st, 40);
  let r1 = load<f64>(st, 48),
    r2 = load<f64>(st, 56),
    ru1 = load<f64>(st, 64),
    ru2 = load<f64>(st, 72),
    rv1 = load<f64>(st, 80),
    rv2 = load<f64>(st, 88);
  let hll = load<f64>(st, 96),
    hrr = load<f64>(st, 104),
    hlr = load<f64>(st, 112);
  let fill = <i32>load<f64>(st, 120);
  let ll: f64 = 0,
    rr: f64 = 0,
    lr: f64 = 0,
    sll: f64 = 0,
    srr: f64 = 0,
    slr: f64 = 0;
  let hops: i32 = 0;
  for (let n: i32 = 0; n < length; n++) {
    const a = <f64>load<f32>(il + ((<usize>n) << 2)),
      b = <f64>load<f32>(ir + ((<usize>n) << 2));
    const aa = a * a,
      bb = b * b,
      ab = a * b;
    ll += aa;
    rr += bb;
    lr += ab;
    hll += aa;
    hrr += bb;
    hlr += ab;
    fill++;
    if (fill == hop) {
      const o = HOP_OUT + <usize>hops * 24;
      store<f64>(o, hll);
      store<f64>(o, hrr, 8);
      store<f64>(o, hlr, 16);
      hops++;
      hll = 0;
      hrr = 0;
      hlr = 0;
      fill = 0;
    }
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
  store<f64>(st, l1);
  store<f64>(st, l2, 8);
  store<f64>(st, lu1, 16);
  store<f64>(st, lu2, 24);
  store<f64>(st, lv1, 32);
  store<f64>(st, lv2, 40);
  store<f64>(st, r1, 48);
  store<f64>(st, r2, 56);
  store<f64>(st, ru1, 64);
  store<f64>(st, ru2, 72);
  store<f64>(st, rv1, 80);
  store<f64>(st, rv2, 88);
  store<f64>(st, hll, 96);
  store<f64>(st, hrr, 104);
  store<f64>(st, hlr, 112);
  store<f64>(st, <f64>fill, 120);
  store<f64>(STEREO_OUT, ll);
  store<f64>(STEREO_OUT, rr, 8);
  store<f64>(STEREO_OUT, lr, 16);
  store<f64>(STEREO_OUT, sll, 24);
  store<f64>(STEREO_OUT, srr, 32);
  store<f64>(STEREO_OUT, slr, 40);
  return hops;
}

/** Energy of the mono sum (L+R)/2 on both loudspeakers from the K-weighted outputs of l and r, into MONO. */
export function monoEnergy(l: i32, r: i32, length: i32): void {
  const kl = KOUT + <usize>(l * MAX * 8),
    kr = KOUT + <usize>(r * MAX * 8);
  for (let n: i32 = 0; n < length; n++) {
    const o = (<usize>n) << 3;
    const s = load<f64>(kl + o) + load<f64>(kr + o);
    store<f64>(MONO + o, 0.5 * s * s);
  }
}
