/**
 * The WASM 4x interpolator (src/wasm/true-peak.ts, four outputs per f32x4) writes the same f32
 * magnitudes as the TypeScript reference interpolate4x, bit for bit, and skips the same blocks:
 * both do the same single-precision operations in the same order. Slice lengths put the last,
 * partial vector of four outputs and the skip blocks' ends at every offset; floors put quiet
 * stretches on both sides of the skip bound.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeAnalyser } from '../../../src/core/dsp/analyser.ts';
import { kWeightingFilters } from '../../../src/core/dsp/k-weighting.ts';
import { makeTsKernels } from '../../../src/core/dsp/kernels.ts';
import { overThresholds } from '../../../src/core/dsp/true-peak.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';
import { mixLike, seededRandom } from '../../support/signals.ts';

test('the WASM interpolator writes the reference magnitudes bit for bit, with the same skipped blocks and largest value', async () => {
  const wasm = await compileBundledMeterKernels();
  const filters = kWeightingFilters(48000);
  for (const seed of [31, 32, 33]) {
    const rand = seededRandom(seed);
    const [signal] = mixLike(48000, 2, seed);
    const x = signal!.map((v) => 1.02 * Math.tanh((2 + 10 * rand()) * v));
    // Quiet stretches (skippable under a floor) of lengths around the 64-sample block.
    for (let b = 0; b < 12; b++) {
      const at = Math.floor(rand() * (x.length - 400));
      x.subarray(at, at + 40 + Math.floor(rand() * 300)).forEach((_, i, q) => (q[i] = q[i]! * 1e-4));
    }
    const ts = makeTsKernels(1, filters),
      wa = wasm(1, filters);
    let skipped = 0,
      computed = 0;
    for (let offset = 0, call = 0; offset < x.length; call++) {
      // Every length mod 4 and mod 64, up to a full kernel slice.
      const n = Math.min(x.length - offset, call % 5 === 0 ? ts.maxFrames : 1 + Math.floor(rand() * 3000));
      const floor = call % 3 === 0 ? -1 : 0.05 + 0.5 * rand();
      const slice = x.subarray(offset, offset + n);
      for (const k of [ts, wa]) {
        k.begin(n);
        k.load(0, slice, n);
      }
      const mostTs = ts.truePeak(0, floor),
        mostWa = wa.truePeak(0, floor);
      const what = `seed ${seed}, call ${call}, length ${n}, floor ${floor}`;
      assert.is(mostWa, mostTs, `largest magnitude (${what})`);
      for (let j = 0; j < 4 * n; j++)
        if (!Object.is(wa.truePeakOut[j], ts.truePeakOut[j]))
          assert.unreachable(`value ${j}: TS ${ts.truePeakOut[j]} vs WASM ${wa.truePeakOut[j]} (${what})`);
      for (let o = 0; o < n; o++) {
        const zero =
          ts.truePeakOut[4 * o + 1] === 0 && ts.truePeakOut[4 * o + 2] === 0 && ts.truePeakOut[4 * o + 3] === 0;
        if (zero) skipped++;
        else computed++;
      }
      offset += n;
    }
    assert.ok(
      skipped > 1000 && computed > 50000,
      `both skipped and computed blocks (seed ${seed}: ${skipped}, ${computed})`,
    );
  }
});

/** The f32 next to v (v > 0), upward or downward. */
function nextF32(v: number, up: boolean): number {
  const bits = new Uint32Array(new Float32Array([v]).buffer);
  bits[0]! += up ? 1 : -1;
  return new Float32Array(bits.buffer)[0]!;
}

test('a sample one f32 step below, at or above an over threshold starts an over in both kernel sets exactly when it is above', async () => {
  const wasm = await compileBundledMeterKernels();
  const rate = 48000;
  const x = new Float32Array(rate);
  let at = 1000;
  const expected = [0, 0];
  const thresholds = overThresholds();
  for (const t of thresholds) {
    // The f32 nearest the (f64) threshold and its neighbours, as isolated samples of both signs:
    // an impulse's interpolated neighbours stay ~10% below it, so only the sample itself decides.
    const nearest = Math.fround(t);
    for (const v of [nextF32(nearest, false), nearest, nextF32(nearest, true)])
      for (const sign of [1, -1]) {
        x[at] = sign * v;
        at += 1000;
        thresholds.forEach((h, i) => {
          if (v > h) expected[i]!++;
        });
      }
  }
  const runWith = (kernels?: Awaited<typeof wasm>) => {
    const a = makeAnalyser({ sampleRate: rate, channels: 1, ...(kernels ? { kernels } : {}) });
    a.push([x]);
    return a.finish().peaks;
  };
  const ts = runWith(),
    wa = runWith(wasm);
  // Above 0 dBTP: the samples above 1 only. Above -1 dBTP: those above 10^(-1/20), and every
  // impulse near 1, whose neighbours are above -1 dBTP too (one over per impulse either way).
  assert.is(ts.oversAboveMinus1.count.value, expected[0], 'TS overs above -1 dBTP');
  assert.is(ts.oversAbove0.count.value, expected[1], 'TS overs above 0 dBTP');
  assert.ok(expected[1]! > 0 && expected[0]! > expected[1]!, 'the cases reach both sides of both thresholds');
  assert.is(wa.oversAboveMinus1.count.value, ts.oversAboveMinus1.count.value, 'overs above -1 dBTP');
  assert.is(wa.oversAbove0.count.value, ts.oversAbove0.count.value, 'overs above 0 dBTP');
  assert.equal(wa.oversAboveMinus1.positions.value, ts.oversAboveMinus1.positions.value);
  assert.equal(wa.oversAbove0.positions.value, ts.oversAbove0.positions.value);
});

test.run();
