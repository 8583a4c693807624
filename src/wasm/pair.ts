/** The left/right pair's K-weighting, stereo sums and mono energy fused into one pass. */
import {
  MAX,
  INS,
  STEREO_STATE,
  STEREO_OUT,
  HOP_OUT,
  MONO,
  LP_COEF,
  ENERGY,
  SQUARES,
  KOUT,
  KSTATE,
  KCOEF,
  begin,
} from './memory-layout';
import { kWeight, storeKState } from './k-weighting';

/**
 * The left/right pair (channels l and r) in one pass, the two channels in the lanes of f64x2:
 * K-weighting of both (as kWeight, into the channels' filter state; KOUT is not written), the
 * weighted energy and squares (stored as channel l's then r's share, as two kWeight calls
 * right after begin() would leave them: the pair must come first), the
 * mono-sum energy into MONO (as monoEnergy) and the stereo sums with the 150 Hz low band and
 * 100 ms hops (as stereo). Lane arithmetic is the scalar arithmetic, operation for operation,
 * so the figures are bit-identical to the separate kernels; the gain is that the four
 * independent filter chains overlap instead of running one after another.
 * Returns the number of completed hops.
 */
export function pair(l: i32, r: i32, length: i32, wl: f64, wr: f64, hop: i32): i32 {
  const pb0 = f64x2.splat(load<f64>(KCOEF)),
    pb1 = f64x2.splat(load<f64>(KCOEF, 8)),
    pb2 = f64x2.splat(load<f64>(KCOEF, 16));
  const pa1 = f64x2.splat(load<f64>(KCOEF, 24)),
    pa2 = f64x2.splat(load<f64>(KCOEF, 32));
  const rb0 = f64x2.splat(load<f64>(KCOEF, 40)),
    rb1 = f64x2.splat(load<f64>(KCOEF, 48)),
    rb2 = f64x2.splat(load<f64>(KCOEF, 56));
  const ra1 = f64x2.splat(load<f64>(KCOEF, 64)),
    ra2 = f64x2.splat(load<f64>(KCOEF, 72));
  const lb0 = f64x2.splat(load<f64>(LP_COEF)),
    lb1 = f64x2.splat(load<f64>(LP_COEF, 8)),
    lb2 = f64x2.splat(load<f64>(LP_COEF, 16));
  const la1 = f64x2.splat(load<f64>(LP_COEF, 24)),
    la2 = f64x2.splat(load<f64>(LP_COEF, 32));
  const w = f64x2.replace_lane(f64x2.splat(wl), 1, wr);
  const half = f64x2.splat(0.5);
  const sl = KSTATE + <usize>(l * 64),
    sr = KSTATE + <usize>(r * 64);
  let px1 = f64x2.replace_lane(f64x2.splat(load<f64>(sl)), 1, load<f64>(sr));
  let px2 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 8)), 1, load<f64>(sr, 8));
  let py1 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 16)), 1, load<f64>(sr, 16));
  let py2 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 24)), 1, load<f64>(sr, 24));
  let ry1 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 48)), 1, load<f64>(sr, 48));
  let ry2 = f64x2.replace_lane(f64x2.splat(load<f64>(sl, 56)), 1, load<f64>(sr, 56));
  const st = STEREO_STATE;
  let x1 = f64x2.replace_lane(f64x2.splat(load<f64>(st)), 1, load<f64>(st, 48));
  let x2 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 8)), 1, load<f64>(st, 56));
  let u1 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 16)), 1, load<f64>(st, 64));
  let u2 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 24)), 1, load<f64>(st, 72));
  let v1 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 32)), 1, load<f64>(st, 80));
  let v2 = f64x2.replace_lane(f64x2.splat(load<f64>(st, 40)), 1, load<f64>(st, 88));
  let hsq = f64x2.replace_lane(f64x2.splat(load<f64>(st, 96)), 1, load<f64>(st, 104));
  let hlr = load<f64>(st, 112);
  let fill = <i32>load<f64>(st, 120);
  let sq = f64x2.splat(0),
    lowSq = f64x2.splat(0);
  let lr: f64 = 0,
    lowLr: f64 = 0;
  let hops: i32 = 0;
  const il = INS + <usize>(l * MAX * 4),
    ir = INS + <usize>(r * MAX * 4);
  for (let n: i32 = 0; n < length; n++) {
    const a = <f64>load<f32>(il + ((<usize>n) << 2)),
      b = <f64>load<f32>(ir + ((<usize>n) << 2));
    const x = f64x2.replace_lane(f64x2.splat(a), 1, b);
    const o = (<usize>n) << 3;
    // K-weighting, both stages (kWeight).
    const u = f64x2.sub(
      f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(pb0, x), f64x2.mul(pb1, px1)), f64x2.mul(pb2, px2)), f64x2.mul(pa1, py1)),
      f64x2.mul(pa2, py2),
    );
    px2 = px1;
    px1 = x;
    const v = f64x2.sub(
      f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(rb0, u), f64x2.mul(rb1, py1)), f64x2.mul(rb2, py2)), f64x2.mul(ra1, ry1)),
      f64x2.mul(ra2, ry2),
    );
    py2 = py1;
    py1 = u;
    ry2 = ry1;
    ry1 = v;
    const vl = f64x2.extract_lane(v, 0),
      vr = f64x2.extract_lane(v, 1);
    // The pair comes first after begin(), so the accumulators hold 0 and 0 + e0 = e0 exactly.
    const e = f64x2.mul(f64x2.mul(w, v), v);
    store<f64>(ENERGY + o, f64x2.extract_lane(e, 0) + f64x2.extract_lane(e, 1));
    const xx = f64x2.mul(x, x);
    store<f64>(SQUARES + o, f64x2.extract_lane(xx, 0) + f64x2.extract_lane(xx, 1));
    // Mono sum (monoEnergy).
    const s = vl + vr;
    store<f64>(MONO + o, 0.5 * s * s);
    // Stereo sums and 100 ms hops (stereo).
    const ab = a * b;
    sq = f64x2.add(sq, xx);
    lr += ab;
    hsq = f64x2.add(hsq, xx);
    hlr += ab;
    fill++;
    if (fill == hop) {
      const h = HOP_OUT + <usize>hops * 24;
      store<f64>(h, f64x2.extract_lane(hsq, 0));
      store<f64>(h, f64x2.extract_lane(hsq, 1), 8);
      store<f64>(h, hlr, 16);
      hops++;
      hsq = f64x2.splat(0);
      hlr = 0;
      fill = 0;
    }
    // 150 Hz Linkwitz-Riley low band (stereo).
    const lu = f64x2.sub(
      f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(lb0, x), f64x2.mul(lb1, x1)), f64x2.mul(lb2, x2)), f64x2.mul(la1, u1)),
      f64x2.mul(la2, u2),
    );
    const lv = f64x2.sub(
      f64x2.sub(f64x2.add(f64x2.add(f64x2.mul(lb0, lu), f64x2.mul(lb1, u1)), f64x2.mul(lb2, u2)), f64x2.mul(la1, v1)),
      f64x2.mul(la2, v2),
    );
    x2 = x1;
    x1 = x;
    u2 = u1;
    u1 = lu;
    v2 = v1;
    v1 = lv;
    lowSq = f64x2.add(lowSq, f64x2.mul(lv, lv));
    lowLr += f64x2.extract_lane(lv, 0) * f64x2.extract_lane(lv, 1);
  }
  // Filter state back per channel, with kWeight's denormal flush.
  storeKState(
    sl,
    f64x2.extract_lane(px1, 0),
    f64x2.extract_lane(px2, 0),
    f64x2.extract_lane(py1, 0),
    f64x2.extract_lane(py2, 0),
    f64x2.extract_lane(ry1, 0),
    f64x2.extract_lane(ry2, 0),
  );
  storeKState(
    sr,
    f64x2.extract_lane(px1, 1),
    f64x2.extract_lane(px2, 1),
    f64x2.extract_lane(py1, 1),
    f64x2.extract_lane(py2, 1),
    f64x2.extract_lane(ry1, 1),
    f64x2.extract_lane(ry2, 1),
  );
  store<f64>(st, f64x2.extract_lane(x1, 0));
  store<f64>(st, f64x2.extract_lane(x2, 0), 8);
  store<f64>(st, f64x2.extract_lane(u1, 0), 16);
  store<f64>(st, f64x2.extract_lane(u2, 0), 24);
  store<f64>(st, f64x2.extract_lane(v1, 0), 32);
  store<f64>(st, f64x2.extract_lane(v2, 0), 40);
  store<f64>(st, f64x2.extract_lane(x1, 1), 48);
  store<f64>(st, f64x2.extract_lane(x2, 1), 56);
  store<f64>(st, f64x2.extract_lane(u1, 1), 64);
  store<f64>(st, f64x2.extract_lane(u2, 1), 72);
  store<f64>(st, f64x2.extract_lane(v1, 1), 80);
  store<f64>(st, f64x2.extract_lane(v2, 1), 88);
  store<f64>(st, f64x2.extract_lane(hsq, 0), 96);
  store<f64>(st, f64x2.extract_lane(hsq, 1), 104);
  store<f64>(st, hlr, 112);
  store<f64>(st, <f64>fill, 120);
  store<f64>(STEREO_OUT, f64x2.extract_lane(sq, 0));
  store<f64>(STEREO_OUT, f64x2.extract_lane(sq, 1), 8);
  store<f64>(STEREO_OUT, lr, 16);
  store<f64>(STEREO_OUT, f64x2.extract_lane(lowSq, 0), 24);
  store<f64>(STEREO_OUT, f64x2.extract_lane(lowSq, 1), 32);
  store<f64>(STEREO_OUT, lowLr, 40);
  return hops;
}
