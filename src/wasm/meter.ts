/**
 * Metering hot loops in AssemblyScript, mirroring the TypeScript reference in src/core/dsp:
 *  - kWeight: both K-weighting biquads fused, adding weight*y^2 to the energy accumulator and
 *    x^2 to the squares accumulator (same arithmetic order as k-weighting.ts kWeightInto);
 *  - truePeak: the 4x polyphase interpolator of true-peak.ts (phase 0 identity, 3 phases of
 *    16 taps, SIMD f64x2), writing the 4 magnitudes per input sample and skipping blocks whose
 *    bound cannot reach `floor`.
 * All buffers are static regions of linear memory; JS writes inputs and reads outputs through
 * views at the exported offsets. No allocation happens after instantiation.
 */

const MAX: i32 = 8192;
const MAXCH: i32 = 32;
const TAPS: i32 = 16;
const HALF: i32 = 8;
const SKIP: i32 = 64;

const IN: usize = memory.data(MAX * 4, 16);
const ENERGY: usize = memory.data(MAX * 8, 16);
const SQUARES: usize = memory.data(MAX * 8, 16);
const KOUT: usize = memory.data(MAXCH * MAX * 8, 16);
const KSTATE: usize = memory.data(MAXCH * 8 * 8, 16);
const KCOEF: usize = memory.data(10 * 8, 16);
const TAPS_BUF: usize = memory.data(3 * TAPS * 8, 16);
const TP_HIST: usize = memory.data(MAXCH * (TAPS - 1) * 8, 16);
const WORK: usize = memory.data((MAX + TAPS) * 8, 16);
const TP_OUT: usize = memory.data(MAX * 4 * 8, 16);

export function inputOffset(): usize { return IN; }
export function energyOffset(): usize { return ENERGY; }
export function squaresOffset(): usize { return SQUARES; }
export function kOutOffset(channel: i32): usize { return KOUT + <usize>(channel * MAX * 8); }
export function kCoefficientsOffset(): usize { return KCOEF; }
export function tapsOffset(): usize { return TAPS_BUF; }
export function truePeakOutOffset(): usize { return TP_OUT; }
export function maxFrames(): i32 { return MAX; }

/** Zeroes the energy and squares accumulators for the next `length` frames. */
export function begin(length: i32): void {
  memory.fill(ENERGY, 0, <usize>length * 8);
  memory.fill(SQUARES, 0, <usize>length * 8);
}

/** Clears a channel's filter and interpolator memory. */
export function resetChannel(channel: i32): void {
  memory.fill(KSTATE + <usize>(channel * 64), 0, 64);
  memory.fill(TP_HIST + <usize>(channel * (TAPS - 1) * 8), 0, <usize>(TAPS - 1) * 8);
}

export function kWeight(channel: i32, length: i32, weight: f64): void {
  const pb0 = load<f64>(KCOEF), pb1 = load<f64>(KCOEF, 8), pb2 = load<f64>(KCOEF, 16), pa1 = load<f64>(KCOEF, 24), pa2 = load<f64>(KCOEF, 32);
  const rb0 = load<f64>(KCOEF, 40), rb1 = load<f64>(KCOEF, 48), rb2 = load<f64>(KCOEF, 56), ra1 = load<f64>(KCOEF, 64), ra2 = load<f64>(KCOEF, 72);
  const st = KSTATE + <usize>(channel * 64);
  let px1 = load<f64>(st), px2 = load<f64>(st, 8), py1 = load<f64>(st, 16), py2 = load<f64>(st, 24);
  let ry1 = load<f64>(st, 48), ry2 = load<f64>(st, 56);
  const out = KOUT + <usize>(channel * MAX * 8);
  for (let n: i32 = 0; n < length; n++) {
    const xn = <f64>load<f32>(IN + (<usize>n << 2));
    const u = pb0 * xn + pb1 * px1 + pb2 * px2 - pa1 * py1 - pa2 * py2;
    px2 = px1; px1 = xn;
    const v = rb0 * u + rb1 * py1 + rb2 * py2 - ra1 * ry1 - ra2 * ry2;
    py2 = py1; py1 = u;
    ry2 = ry1; ry1 = v;
    const o = <usize>n << 3;
    store<f64>(out + o, v);
    store<f64>(ENERGY + o, load<f64>(ENERGY + o) + weight * v * v);
    store<f64>(SQUARES + o, load<f64>(SQUARES + o) + xn * xn);
  }
  if (Math.abs(py1) < 1e-30 && Math.abs(py2) < 1e-30) { py1 = 0; py2 = 0; }
  if (Math.abs(ry1) < 1e-30 && Math.abs(ry2) < 1e-30) { ry1 = 0; ry2 = 0; }
  store<f64>(st, px1); store<f64>(st, px2, 8); store<f64>(st, py1, 16); store<f64>(st, py2, 24);
  store<f64>(st, py1, 32); store<f64>(st, py2, 40); store<f64>(st, ry1, 48); store<f64>(st, ry2, 56);
}

@inline function dot(taps: usize, window: usize): f64 {
  let acc = f64x2.splat(0);
  for (let i: i32 = 0; i < TAPS; i += 2) {
    const o = <usize>i << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(taps + o), v128.load(window + o)));
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

/**
 * Interpolates the `length` samples at IN for `channel`. Output i (4 magnitudes at TP_OUT +
 * 32 i) belongs to the centre sample HALF samples before input i: |x|, |y(+1/4)|, |y(+2/4)|,
 * |y(+3/4)|. Blocks whose magnitude bound (block max * maxGain) is <= floor are skipped and
 * written as zeros. Returns the largest magnitude written.
 */
export function truePeak(channel: i32, length: i32, floor: f64, maxGain: f64): f64 {
  const hist = TP_HIST + <usize>(channel * (TAPS - 1) * 8);
  memory.copy(WORK, hist, <usize>(TAPS - 1) * 8);
  for (let n: i32 = 0; n < length; n++) store<f64>(WORK + <usize>(TAPS - 1 + n) * 8, <f64>load<f32>(IN + (<usize>n << 2)));
  const t1 = TAPS_BUF, t2 = TAPS_BUF + <usize>TAPS * 8, t3 = TAPS_BUF + <usize>TAPS * 16;
  let most: f64 = 0;
  for (let start: i32 = 0; start < length; start += SKIP) {
    const end = min(length, start + SKIP);
    // Centre for output i is WORK index i + HALF - 1; its window spans i .. i + TAPS - 1.
    let blockMax: f64 = 0;
    for (let i = start; i < end + TAPS - 1; i++) {
      const a = Math.abs(load<f64>(WORK + (<usize>i << 3)));
      if (a > blockMax) blockMax = a;
    }
    if (blockMax * maxGain <= floor) {
      memory.fill(TP_OUT + (<usize>start << 5), 0, <usize>(end - start) << 5);
      continue;
    }
    for (let i = start; i < end; i++) {
      const w = WORK + (<usize>i << 3);
      const o = TP_OUT + (<usize>i << 5);
      const x = Math.abs(load<f64>(w, (HALF - 1) * 8));
      const y1 = Math.abs(dot(t1, w)), y2 = Math.abs(dot(t2, w)), y3 = Math.abs(dot(t3, w));
      store<f64>(o, x); store<f64>(o, y1, 8); store<f64>(o, y2, 16); store<f64>(o, y3, 24);
      most = max(most, max(max(x, y1), max(y2, y3)));
    }
  }
  memory.copy(hist, WORK + <usize>length * 8, <usize>(TAPS - 1) * 8);
  return most;
}
