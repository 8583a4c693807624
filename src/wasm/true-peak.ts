/** True peak: the 4x polyphase interpolator and its peak and over bookkeeping (mirrors true-peak.ts). */
import {
  MAX,
  TAPS,
  HALF,
  SKIP,
  INS,
  TAPS_BUF,
  TP_HIST,
  WORK,
  TP_OUT,
  TP_STATE,
  TP_SUMMARY,
  TP_EVENTS,
  SYM,
} from './memory-layout';

let overLow: f64 = Infinity,
  overHigh: f64 = Infinity,
  overLowF32: f32 = Infinity,
  overHighF32: f32 = Infinity;
/** The two over thresholds (linear, ascending) that truePeak tracks runs above. */
export function setOverThresholds(low: f64, high: f64): void {
  overLow = low;
  overHigh = high;
  overLowF32 = largestF32NotAbove(low);
  overHighF32 = largestF32NotAbove(high);
}

/**
 * The largest f32 not above t: for every f32 a, a > t exactly when a > largestF32NotAbove(t),
 * so the f32 comparisons of the bookkeeping count the overs consume() counts against the f64
 * thresholds.
 */
function largestF32NotAbove(t: f64): f32 {
  const f = <f32>t;
  if (<f64>f <= t) return f;
  const bits = reinterpret<i32>(f);
  return reinterpret<f32>(f == 0 ? 0x80000001 : f > 0 ? bits - 1 : bits + 1);
}

/**
 * Interpolates the `length` samples loaded for `channel`. Output i (4 f32 magnitudes at TP_OUT +
 * 16 i) belongs to the centre sample HALF samples before input i: |x|, |y(+1/4)|, |y(+2/4)|,
 * |y(+3/4)|. Blocks whose magnitude bound (block max * maxGain) is <= floor are skipped and
 * written as zeros. Returns the largest magnitude written.
 *
 * The phases' symmetry halves the multiplies: phase 2 is symmetric (t2[i] = t2[15-i]) and
 * phase 3 mirrors phase 1 (t3[i] = t1[15-i]), so with s_i = w[i] + w[15-i], d_i = w[i] - w[15-i]
 * (i < 8): y2 = sum t2[i] s_i, y1 = A + B, y3 = A - B where A = sum a_i s_i, B = sum b_i d_i,
 * a_i = (t1[i] + t1[15-i]) / 2, b_i = (t1[i] - t1[15-i]) / 2: 24 multiplies per sample instead
 * of 48. In single precision (the input is f32; 16-tap sums of 24-bit audio keep ~1e-7 relative,
 * ~1e-6 dB, far below a meter's 0.1 dB), four consecutive outputs per f32x4 (lanes i .. i+3).
 * interpolate4x in true-peak.ts does the same f32 operations in the same order, so the values
 * are the same bits.
 */
export function truePeak(channel: i32, length: i32, floor: f64, maxGain: f64): f64 {
  const hist = TP_HIST + <usize>(channel * (TAPS - 1) * 4);
  memory.copy(WORK, hist, <usize>(TAPS - 1) * 4);
  memory.copy(WORK + <usize>(TAPS - 1) * 4, INS + <usize>(channel * MAX * 4), <usize>length * 4);
  // Splatted a_i, b_i, t2[i] (i < 8) from the phases JS wrote to TAPS_BUF, rounded to f32 once.
  for (let i: i32 = 0; i < HALF; i++) {
    const lo = TAPS_BUF + ((<usize>i) << 3),
      hi = TAPS_BUF + ((<usize>(TAPS - 1 - i)) << 3);
    const o = SYM + ((<usize>i) << 4);
    v128.store(o, f32x4.splat(<f32>((load<f64>(lo) + load<f64>(hi)) * 0.5)));
    v128.store(o, f32x4.splat(<f32>((load<f64>(lo) - load<f64>(hi)) * 0.5)), HALF * 16);
    v128.store(o, f32x4.splat(<f32>load<f64>(lo, TAPS * 8)), HALF * 32);
  }
  const st = TP_STATE + <usize>(channel * 32);
  let peak = load<f64>(st),
    peakIdx: i32 = -1,
    events: i32 = 0;
  const pushed = load<f64>(st, 8);
  let r0 = load<f64>(st, 16) != 0,
    r1 = load<f64>(st, 24) != 0;
  // Outputs before this index belong to centres before the stream's first sample.
  const validFrom = <i32>max(0, <f64>HALF - pushed);
  let most: f64 = 0;
  for (let start: i32 = 0; start < length; start += SKIP) {
    const end = min(length, start + SKIP);
    // Centre for output i is WORK index i + HALF - 1; its window spans i .. i + TAPS - 1. The
    // bound covers exactly start .. end + TAPS - 2, as the reference's does, so both skip the same blocks.
    const last = end + TAPS - 2;
    let bound = f32x4.splat(0);
    let i = start;
    for (; i + 3 <= last; i += 4) bound = f32x4.pmax(bound, f32x4.abs(v128.load(WORK + ((<usize>i) << 2))));
    let blockMax = max(
      max(f32x4.extract_lane(bound, 0), f32x4.extract_lane(bound, 1)),
      max(f32x4.extract_lane(bound, 2), f32x4.extract_lane(bound, 3)),
    );
    for (; i <= last; i++) {
      // Not max(): like pmax and the reference's comparison, a NaN must not become the bound.
      const a = abs(load<f32>(WORK + ((<usize>i) << 2)));
      if (a > blockMax) blockMax = a;
    }
    if (<f64>blockMax * maxGain <= floor) {
      memory.fill(TP_OUT + ((<usize>start) << 4), 0, (<usize>(end - start)) << 4);
      // Its zeros end any run opened earlier in this call, as they do in consume().
      r0 = false;
      r1 = false;
      continue;
    }
    let blockPeak = f32x4.splat(0);
    // Eight outputs per step (two vectors), so each splatted coefficient is loaded once for both;
    // the arithmetic per lane is the four-output step's, so the values are the same bits.
    i = start;
    for (; i + 7 < end; i += 8) {
      const w = WORK + ((<usize>i) << 2);
      let sa0 = f32x4.splat(0),
        sb0 = f32x4.splat(0),
        s20 = f32x4.splat(0),
        sa1 = f32x4.splat(0),
        sb1 = f32x4.splat(0),
        s21 = f32x4.splat(0);
      for (let k: i32 = 0; k < HALF; k++) {
        const t = SYM + ((<usize>k) << 4);
        const ta = v128.load(t),
          tb = v128.load(t, HALF * 16),
          t2 = v128.load(t, HALF * 32);
        const lo0 = v128.load(w + ((<usize>k) << 2)),
          hi0 = v128.load(w + ((<usize>(TAPS - 1 - k)) << 2));
        const lo1 = v128.load(w + ((<usize>k) << 2), 16),
          hi1 = v128.load(w + ((<usize>(TAPS - 1 - k)) << 2), 16);
        const sum0 = f32x4.add(lo0, hi0),
          diff0 = f32x4.sub(lo0, hi0),
          sum1 = f32x4.add(lo1, hi1),
          diff1 = f32x4.sub(lo1, hi1);
        sa0 = f32x4.add(sa0, f32x4.mul(ta, sum0));
        sb0 = f32x4.add(sb0, f32x4.mul(tb, diff0));
        s20 = f32x4.add(s20, f32x4.mul(t2, sum0));
        sa1 = f32x4.add(sa1, f32x4.mul(ta, sum1));
        sb1 = f32x4.add(sb1, f32x4.mul(tb, diff1));
        s21 = f32x4.add(s21, f32x4.mul(t2, sum1));
      }
      blockPeak = f32x4.pmax(blockPeak, emitQuad(i, sa0, sb0, s20, 4));
      blockPeak = f32x4.pmax(blockPeak, emitQuad(i + 4, sa1, sb1, s21, 4));
    }
    // The rest, four at a time; the last vector may reach past `end` (WORK has room): its extra
    // lanes are neither stored nor counted.
    for (; i < end; i += 4) {
      const w = WORK + ((<usize>i) << 2);
      let sa = f32x4.splat(0),
        sb = f32x4.splat(0),
        s2 = f32x4.splat(0);
      for (let k: i32 = 0; k < HALF; k++) {
        const lo = v128.load(w + ((<usize>k) << 2)),
          hi = v128.load(w + ((<usize>(TAPS - 1 - k)) << 2));
        const sum = f32x4.add(lo, hi),
          diff = f32x4.sub(lo, hi);
        const t = SYM + ((<usize>k) << 4);
        sa = f32x4.add(sa, f32x4.mul(v128.load(t), sum));
        sb = f32x4.add(sb, f32x4.mul(v128.load(t, HALF * 16), diff));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(t, HALF * 32), sum));
      }
      blockPeak = f32x4.pmax(blockPeak, emitQuad(i, sa, sb, s2, min(4, end - i)));
    }
    const blockMost = <f64>(
      max(
        max(f32x4.extract_lane(blockPeak, 0), f32x4.extract_lane(blockPeak, 1)),
        max(f32x4.extract_lane(blockPeak, 2), f32x4.extract_lane(blockPeak, 3)),
      )
    );
    most = max(most, blockMost);
    // The bookkeeping of true-peak.ts TruePeakChannel.consume, with the same results, only for
    // blocks where something can happen (a rise of the peak, a value above the low threshold,
    // or an open run).
    if (blockMost > peak || blockMost > overLow || r0 || r1) {
      const from = max(start, validFrom);
      // The peak rises rarely after the first seconds: its scan runs only when it can.
      if (blockMost > peak)
        for (let j = from << 2, stop = end << 2; j < stop; j++) {
          const a = <f64>load<f32>(TP_OUT + ((<usize>j) << 2));
          if (a > peak) {
            peak = a;
            peakIdx = j;
          }
        }
      // After each value the runs are open exactly when it is above their threshold (the
      // thresholds ascend; NaN is above neither), so an over starts where a value is above a
      // threshold and the one before it was not. Per output, the 4 values' comparisons as bit
      // masks (bit b = value b) show where that happens; most outputs start nothing.
      const lowV = f32x4.splat(overLowF32),
        highV = f32x4.splat(overHighF32);
      let low = r0 ? 8 : 0,
        high = r1 ? 8 : 0;
      for (let o = from; o < end; o++) {
        const v = v128.load(TP_OUT + ((<usize>o) << 4));
        const lowBits = i32x4.bitmask(f32x4.gt(v, lowV));
        const highBits = i32x4.bitmask(f32x4.gt(v, highV));
        const rise0 = lowBits & ~((lowBits << 1) | (low >> 3)),
          rise1 = highBits & ~((highBits << 1) | (high >> 3));
        if ((rise0 | rise1) != 0) {
          // In time order, the lower threshold first at the same value.
          for (let b: i32 = 0; b < 4; b++) {
            const j = (o << 2) + b;
            for (let t: i32 = 0; t < 2; t++) {
              if ((((t == 0 ? rise0 : rise1) >> b) & 1) == 0) continue;
              store<i32>(TP_EVENTS + ((<usize>events) << 3), t);
              store<i32>(TP_EVENTS + ((<usize>events) << 3), j, 4);
              events++;
            }
          }
        }
        low = lowBits;
        high = highBits;
      }
      r0 = ((low >> 3) & 1) != 0;
      r1 = ((high >> 3) & 1) != 0;
    }
  }
  store<f64>(st, peak);
  store<f64>(st, pushed + <f64>length, 8);
  store<f64>(st, r0 ? 1 : 0, 16);
  store<f64>(st, r1 ? 1 : 0, 24);
  store<f64>(TP_SUMMARY, <f64>peakIdx);
  store<f64>(TP_SUMMARY, peak, 8);
  store<f64>(TP_SUMMARY, <f64>events, 16);
  store<f64>(TP_SUMMARY, r0 ? 1 : 0, 24);
  store<f64>(TP_SUMMARY, r1 ? 1 : 0, 32);
  memory.copy(hist, WORK + <usize>length * 4, <usize>(TAPS - 1) * 4);
  return most;
}

/**
 * Writes the 4 magnitudes of outputs i .. i+count-1 (lanes 0 .. count-1) from the phase sums,
 * transposed so each output's four are together, and returns their per-lane maximum with the
 * lanes past `count` as 0.
 */
@inline function emitQuad(i: i32, sa: v128, sb: v128, s2: v128, count: i32): v128 {
  const x = f32x4.abs(v128.load(WORK + ((<usize>i) << 2) + <usize>(HALF - 1) * 4));
  const y1 = f32x4.abs(f32x4.add(sa, sb)),
    y2 = f32x4.abs(s2),
    y3 = f32x4.abs(f32x4.sub(sa, sb));
  // 4x4 transpose: row j = (x[j], y1[j], y2[j], y3[j]).
  const a = v128.shuffle<f32>(x, y1, 0, 4, 1, 5),
    b = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5),
    c = v128.shuffle<f32>(x, y1, 2, 6, 3, 7),
    d = v128.shuffle<f32>(y2, y3, 2, 6, 3, 7);
  const o = TP_OUT + ((<usize>i) << 4);
  const m = f32x4.pmax(f32x4.pmax(x, y1), f32x4.pmax(y2, y3));
  if (count == 4) {
    v128.store(o, v128.shuffle<f32>(a, b, 0, 1, 4, 5));
    v128.store(o, v128.shuffle<f32>(a, b, 2, 3, 6, 7), 16);
    v128.store(o, v128.shuffle<f32>(c, d, 0, 1, 4, 5), 32);
    v128.store(o, v128.shuffle<f32>(c, d, 2, 3, 6, 7), 48);
    return m;
  }
  v128.store(o, v128.shuffle<f32>(a, b, 0, 1, 4, 5));
  if (count > 1) v128.store(o, v128.shuffle<f32>(a, b, 2, 3, 6, 7), 16);
  if (count > 2) v128.store(o, v128.shuffle<f32>(c, d, 0, 1, 4, 5), 32);
  return v128.and(m, i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count)));
}
