/** Level statistics and clipping runs of one channel (mirrors channel-levels.ts). */
import { MAX, INS, LEVELS_OUT, CLIP_STATE, CLIP_OUT } from './memory-layout';

/**
 * Plain level statistics of a channel's loaded slice (mirrors channel-levels.ts): writes peak,
 * index of the first peak (-1: no new peak above `peakSoFar`), sum, sum of squares, first and
 * last index above `silence`, and the number of clipping runs closed in this slice (their start
 * and length are at CLIP_OUT). `offset` is the stream index of the slice's first sample.
 * Returns the index of the first NaN or infinite sample, or -1.
 *
 * Four samples per step (two f64x2): sums in four lanes (samples by n mod 4, so they agree
 * with the reference to rounding), and the peak and clipping logic only when a lane reaches
 * the peak or full scale or a run is open, which after the first moments of a file is rare.
 */
export function levels(
  channel: i32,
  length: i32,
  offset: f64,
  peakSoFar: f64,
  fullScale: f64,
  silence: f64,
  minRun: f64,
): i32 {
  const inp = INS + <usize>(channel * MAX * 4);
  const cs = CLIP_STATE + <usize>(channel * 16);
  let run = load<f64>(cs),
    runStart = load<f64>(cs, 8);
  let peak = peakSoFar,
    peakIdx: i32 = -1,
    first: i32 = -1,
    last: i32 = -1,
    closed: i32 = 0;
  let sums0 = f64x2.splat(0),
    sums1 = f64x2.splat(0),
    squares0 = f64x2.splat(0),
    squares1 = f64x2.splat(0);
  let peaks = f64x2.splat(peak);
  const zero = f64x2.splat(0),
    full = f64x2.splat(fullScale),
    quiet = f64x2.splat(silence);
  let n: i32 = 0;
  for (; n + 3 < length; n += 4) {
    const p = inp + ((<usize>n) << 2);
    const v0 = f64x2.promote_low_f32x4(v128.load64_zero(p)),
      v1 = f64x2.promote_low_f32x4(v128.load64_zero(p, 8));
    if (!i64x2.all_true(v128.and(f64x2.eq(f64x2.sub(v0, v0), zero), f64x2.eq(f64x2.sub(v1, v1), zero))))
      return firstNotFinite(p, n);
    const a0 = f64x2.abs(v0),
      a1 = f64x2.abs(v1);
    sums0 = f64x2.add(sums0, v0);
    sums1 = f64x2.add(sums1, v1);
    squares0 = f64x2.add(squares0, f64x2.mul(v0, v0));
    squares1 = f64x2.add(squares1, f64x2.mul(v1, v1));
    const audible = i64x2.bitmask(f64x2.gt(a0, quiet)) | (i64x2.bitmask(f64x2.gt(a1, quiet)) << 2);
    if (audible) {
      if (first < 0) first = n + ctz(audible);
      last = n + 31 - clz(audible);
    }
    const rise = v128.or(v128.or(f64x2.gt(a0, peaks), f64x2.ge(a0, full)), v128.or(f64x2.gt(a1, peaks), f64x2.ge(a1, full)));
    if (run > 0 || v128.any_true(rise)) {
      for (let k: i32 = 0; k < 4; k++) {
        const x = Math.abs(<f64>load<f32>(p + ((<usize>k) << 2)));
        if (x > peak) {
          peak = x;
          peakIdx = n + k;
        }
        if (x >= fullScale) {
          if (run == 0) runStart = offset + <f64>(n + k);
          run += 1;
        } else if (run > 0) {
          if (run >= minRun) {
            store<f64>(CLIP_OUT + ((<usize>closed) << 4), runStart);
            store<f64>(CLIP_OUT + ((<usize>closed) << 4), run, 8);
            closed++;
          }
          run = 0;
        }
      }
      peaks = f64x2.splat(peak);
    }
  }
  const sums = f64x2.add(sums0, sums1),
    squares = f64x2.add(squares0, squares1);
  let sum = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1),
    sq = f64x2.extract_lane(squares, 0) + f64x2.extract_lane(squares, 1);
  for (; n < length; n++) {
    const v = <f64>load<f32>(inp + ((<usize>n) << 2));
    if (!isFinite(v)) return n;
    const a = Math.abs(v);
    sum += v;
    sq += v * v;
    if (a > peak) {
      peak = a;
      peakIdx = n;
    }
    if (a > silence) {
      if (first < 0) first = n;
      last = n;
    }
    if (a >= fullScale) {
      if (run == 0) runStart = offset + <f64>n;
      run += 1;
    } else if (run > 0) {
      if (run >= minRun) {
        store<f64>(CLIP_OUT + ((<usize>closed) << 4), runStart);
        store<f64>(CLIP_OUT + ((<usize>closed) << 4), run, 8);
        closed++;
      }
      run = 0;
    }
  }
  store<f64>(cs, run);
  store<f64>(cs, runStart, 8);
  store<f64>(LEVELS_OUT, peak);
  store<f64>(LEVELS_OUT, <f64>peakIdx, 8);
  store<f64>(LEVELS_OUT, sum, 16);
  store<f64>(LEVELS_OUT, sq, 24);
  store<f64>(LEVELS_OUT, <f64>first, 32);
  store<f64>(LEVELS_OUT, <f64>last, 40);
  store<f64>(LEVELS_OUT, <f64>closed, 48);
  return -1;
}

/** Index of the first NaN or infinite sample among the 4 at `p` (sample index n); one of them is. */
function firstNotFinite(p: usize, n: i32): i32 {
  for (let k: i32 = 0; k < 3; k++) if (!isFinite(load<f32>(p + ((<usize>k) << 2)))) return n + k;
  return n + 3;
}

/** Open clipping run of a channel at the end of the stream: [length, start] at LEVELS_OUT. */
export function openClipRun(channel: i32): void {
  const cs = CLIP_STATE + <usize>(channel * 16);
  store<f64>(LEVELS_OUT, load<f64>(cs));
  store<f64>(LEVELS_OUT, load<f64>(cs, 8), 8);
}
