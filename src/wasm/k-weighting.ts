/** K-weighting: both BS.1770 biquads fused per channel (mirrors k-weighting.ts kWeightInto). */
import { MAX, INS, ENERGY, SQUARES, KOUT, KSTATE, KCOEF } from './memory-layout';

export function kWeight(channel: i32, length: i32, weight: f64): void {
  const pb0 = load<f64>(KCOEF),
    pb1 = load<f64>(KCOEF, 8),
    pb2 = load<f64>(KCOEF, 16),
    pa1 = load<f64>(KCOEF, 24),
    pa2 = load<f64>(KCOEF, 32);
  const rb0 = load<f64>(KCOEF, 40),
    rb1 = load<f64>(KCOEF, 48),
    rb2 = load<f64>(KCOEF, 56),
    ra1 = load<f64>(KCOEF, 64),
    ra2 = load<f64>(KCOEF, 72);
  const st = KSTATE + <usize>(channel * 64);
  let px1 = load<f64>(st),
    px2 = load<f64>(st, 8),
    py1 = load<f64>(st, 16),
    py2 = load<f64>(st, 24);
  let ry1 = load<f64>(st, 48),
    ry2 = load<f64>(st, 56);
  const out = KOUT + <usize>(channel * MAX * 8);
  const inp = INS + <usize>(channel * MAX * 4);
  for (let n: i32 = 0; n < length; n++) {
    const xn = <f64>load<f32>(inp + ((<usize>n) << 2));
    const u = pb0 * xn + pb1 * px1 + pb2 * px2 - pa1 * py1 - pa2 * py2;
    px2 = px1;
    px1 = xn;
    const v = rb0 * u + rb1 * py1 + rb2 * py2 - ra1 * ry1 - ra2 * ry2;
    py2 = py1;
    py1 = u;
    ry2 = ry1;
    ry1 = v;
    const o = (<usize>n) << 3;
    store<f64>(out + o, v);
    store<f64>(ENERGY + o, load<f64>(ENERGY + o) + weight * v * v);
    store<f64>(SQUARES + o, load<f64>(SQUARES + o) + xn * xn);
  }
  storeKState(st, px1, px2, py1, py2, ry1, ry2);
}

/** Stores one channel's K-weighting state as kWeight leaves it (denormals flushed per stage). */
export function storeKState(st: usize, px1: f64, px2: f64, py1: f64, py2: f64, ry1: f64, ry2: f64): void {
  if (Math.abs(py1) < 1e-30 && Math.abs(py2) < 1e-30) {
    py1 = 0;
    py2 = 0;
  }
  if (Math.abs(ry1) < 1e-30 && Math.abs(ry2) < 1e-30) {
    ry1 = 0;
    ry2 = 0;
  }
  store<f64>(st, px1);
  store<f64>(st, px2, 8);
  store<f64>(st, py1, 16);
  store<f64>(st, py2, 24);
  store<f64>(st, py1, 32);
  store<f64>(st, py2, 40);
  store<f64>(st, ry1, 48);
  store<f64>(st, ry2, 56);
}
