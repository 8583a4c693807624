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
  overHigh: f64 = Infinity;
/** The two over thresholds (linear, ascending) that truePeak tracks runs above. */
export function setOverThresholds(low: f64, high: f64): void {
  overLow = low;
  overHigh = high;
}

/**
 * Interpolates the `length` samples loaded for `channel`. Output i (4 magnitudes at TP_OUT +
 * 32 i) belongs to the centre sample HALF samples before input i: |x|, |y(+1/4)|, |y(+2/4)|,
 * |y(+3/4)|. Blocks whose magnitude bound (block max * maxGain) is <= floor are skipped and
 * written as zeros. Returns the largest magnitude written.
 *
 * The phases' symmetry halves the multiplies: phase 2 is symmetric (t2[i] = t2[15-i]) and
 * phase 3 mirrors phase 1 (t3[i] = t1[15-i]), so with s_i = w[i] + w[15-i], d_i = w[i] - w[15-i]
 * (i < 8): y2 = sum t2[i] s_i, y1 = A + B, y3 = A - B where A = sum a_i s_i, B = sum b_i d_i,
 * a_i = (t1[i] + t1[15-i]) / 2, b_i = (t1[i] - t1[15-i]) / 2: 24 multiplies per sample instead
 * of 48, and two outputs per f64x2 (lanes i, i+1). The sums are grouped differently from
 * true-peak.ts, so the values agree to rounding (~1e-16), not bit for bit.
 */
export function truePeak(channel: i32, length: i32, floor: f64, maxGain: f64): f64 {
  const hist = TP_HIST + <usize>(channel * (TAPS - 1) * 8);
  memory.copy(WORK, hist, <usize>(TAPS - 1) * 8);
  const inp = INS + <usize>(channel * MAX * 4);
  // Two samples at a time; an odd length converts one stale sample past the end, which no window reads.
  for (let n: i32 = 0; n < length; n += 2)
    v128.store(WORK + <usize>(TAPS - 1 + n) * 8, f64x2.promote_low_f32x4(v128.load64_zero(inp + ((<usize>n) << 2))));
  // Splatted a_i, b_i, t2[i] (i < 8) from the phases JS wrote to TAPS_BUF.
  for (let i: i32 = 0; i < HALF; i++) {
    const lo = TAPS_BUF + ((<usize>i) << 3),
      hi = TAPS_BUF + ((<usize>(TAPS - 1 - i)) << 3);
    const o = SYM + ((<usize>i) << 4);
    v128.store(o, f64x2.splat((load<f64>(lo) + load<f64>(hi)) * 0.5));
    v128.store(o, f64x2.splat((load<f64>(lo) - load<f64>(hi)) * 0.5), HALF * 16);
    v128.store(o, f64x2.splat(load<f64>(lo, TAPS * 8)), HALF * 32);
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
    // Centre for output i is WORK index i + HALF - 1; its window spans i .. i + TAPS - 1.
    // Two lanes over i .. last, so one sample past `last` when the count is odd: a bound that
    // is too high (or NaN from stale memory) only means the block is computed, never skipped wrongly.
    let bound = f64x2.splat(0);
    for (let i = start, last = end + TAPS - 2; i <= last; i += 2)
      bound = f64x2.pmax(bound, f64x2.abs(v128.load(WORK + ((<usize>i) << 3))));
    const blockMax = max(f64x2.extract_lane(bound, 0), f64x2.extract_lane(bound, 1));
    if (blockMax * maxGain <= floor) {
      memory.fill(TP_OUT + ((<usize>start) << 5), 0, (<usize>(end - start)) << 5);
      // Its zeros end any run opened earlier in this call, as they do in consume().
      r0 = false;
      r1 = false;
      continue;
    }
    let blockPeak = f64x2.splat(0);
    // Four outputs per step (two vectors), so each splatted coefficient is loaded once for both;
    // the arithmetic per lane is the two-output step's, so the values are the same bits.
    let i = start;
    for (; i + 3 < end; i += 4) {
      const w = WORK + ((<usize>i) << 3);
      let sa0 = f64x2.splat(0),
        sb0 = f64x2.splat(0),
        s20 = f64x2.splat(0),
        sa1 = f64x2.splat(0),
        sb1 = f64x2.splat(0),
        s21 = f64x2.splat(0);
      for (let k: i32 = 0; k < HALF; k++) {
        const t = SYM + ((<usize>k) << 4);
        const ta = v128.load(t),
          tb = v128.load(t, HALF * 16),
          t2 = v128.load(t, HALF * 32);
        const lo0 = v128.load(w + ((<usize>k) << 3)),
          hi0 = v128.load(w + ((<usize>(TAPS - 1 - k)) << 3));
        const lo1 = v128.load(w + ((<usize>k) << 3), 16),
          hi1 = v128.load(w + ((<usize>(TAPS - 1 - k)) << 3), 16);
        const sum0 = f64x2.add(lo0, hi0),
          diff0 = f64x2.sub(lo0, hi0),
          sum1 = f64x2.add(lo1, hi1),
          diff1 = f64x2.sub(lo1, hi1);
        sa0 = f64x2.add(sa0, f64x2.mul(ta, sum0));
        sb0 = f64x2.add(sb0, f64x2.mul(tb, diff0));
        s20 = f64x2.add(s20, f64x2.mul(t2, sum0));
        sa1 = f64x2.add(sa1, f64x2.mul(ta, sum1));
        sb1 = f64x2.add(sb1, f64x2.mul(tb, diff1));
        s21 = f64x2.add(s21, f64x2.mul(t2, sum1));
      }
      blockPeak = f64x2.pmax(blockPeak, emitPair(i, sa0, sb0, s20, true));
      blockPeak = f64x2.pmax(blockPeak, emitPair(i + 2, sa1, sb1, s21, true));
    }
    for (; i < end; i += 2) {
      const w = WORK + ((<usize>i) << 3);
      let sa = f64x2.splat(0),
        sb = f64x2.splat(0),
        s2 = f64x2.splat(0);
      for (let k: i32 = 0; k < HALF; k++) {
        const lo = v128.load(w + ((<usize>k) << 3)),
          hi = v128.load(w + ((<usize>(TAPS - 1 - k)) << 3));
        const sum = f64x2.add(lo, hi),
          diff = f64x2.sub(lo, hi);
        const t = SYM + ((<usize>k) << 4);
        sa = f64x2.add(sa, f64x2.mul(v128.load(t), sum));
        sb = f64x2.add(sb, f64x2.mul(v128.load(t, HALF * 16), diff));
        s2 = f64x2.add(s2, f64x2.mul(v128.load(t, HALF * 32), sum));
      }
      blockPeak = f64x2.pmax(blockPeak, emitPair(i, sa, sb, s2, i + 1 < end));
    }
    const blockMost = max(f64x2.extract_lane(blockPeak, 0), f64x2.extract_lane(blockPeak, 1));
    most = max(most, blockMost);
    // The bookkeeping of true-peak.ts TruePeakChannel.consume, with the same results, only for
    // blocks where something can happen (a rise of the peak, a value above the low threshold,
    // or an open run).
    if (blockMost > peak || blockMost > overLow || r0 || r1) {
      const from = max(start, validFrom);
      // The peak rises rarely after the first seconds: its scan runs only when it can.
      if (blockMost > peak)
        for (let j = from << 2, last = end << 2; j < last; j++) {
          const a = load<f64>(TP_OUT + ((<usize>j) << 3));
          if (a > peak) {
            peak = a;
            peakIdx = j;
          }
        }
      // After each value the runs are open exactly when it is above their threshold (the
      // thresholds ascend; NaN is above neither), so an over starts where a value is above a
      // threshold and the one before it was not. Per output, the 4 values' comparisons as bit
      // masks (bit b = value b) show where that happens; most outputs start nothing.
      const lowV = f64x2.splat(overLow),
        highV = f64x2.splat(overHigh);
      let low = r0 ? 8 : 0,
        high = r1 ? 8 : 0;
      for (let o = from; o < end; o++) {
        const q = TP_OUT + ((<usize>o) << 5);
        const v0 = v128.load(q),
          v1 = v128.load(q, 16);
        const lowBits = i64x2.bitmask(f64x2.gt(v0, lowV)) | (i64x2.bitmask(f64x2.gt(v1, lowV)) << 2);
        const highBits = i64x2.bitmask(f64x2.gt(v0, highV)) | (i64x2.bitmask(f64x2.gt(v1, highV)) << 2);
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
  memory.copy(hist, WORK + <usize>length * 8, <usize>(TAPS - 1) * 8);
  return most;
}

/**
 * Writes the 4 magnitudes of outputs i and i+1 (lanes 0 and 1) from the phase sums, only output
 * i when `both` is false (an odd block end), and returns their per-lane maximum (lane 0 twice
 * when only output i counts).
 */
@inline function emitPair(i: i32, sa: v128, sb: v128, s2: v128, both: bool): v128 {
  const x = f64x2.abs(v128.load(WORK + ((<usize>i) << 3) + <usize>(HALF - 1) * 8));
  const y1 = f64x2.abs(f64x2.add(sa, sb)),
    y2 = f64x2.abs(s2),
    y3 = f64x2.abs(f64x2.sub(sa, sb));
  const o = TP_OUT + ((<usize>i) << 5);
  v128.store(o, v128.shuffle<f64>(x, y1, 0, 2));
  v128.store(o, v128.shuffle<f64>(y2, y3, 0, 2), 16);
  const m = f64x2.pmax(f64x2.pmax(x, y1), f64x2.pmax(y2, y3));
  if (!both) return v128.shuffle<f64>(m, m, 0, 0);
  v128.store(o, v128.shuffle<f64>(x, y1, 1, 3), 32);
  v128.store(o, v128.shuffle<f64>(y2, y3, 1, 3), 48);
  return m;
}
