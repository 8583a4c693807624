/**
 * The WASM level statistics (src/wasm/levels.ts, four samples per step) and the true-peak over
 * bookkeeping (src/wasm/true-peak.ts, bit masks per output) give what the TypeScript reference
 * gives, exactly where the figures are positions or counts: sample peak and its time, clipping
 * runs, head and tail silence, NaN position, true-peak time, every over's position. Seeded
 * random and edge-case input, fed in chunk lengths that put the edge cases at every offset of
 * the four-sample step and the kernel slice.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeAnalyser } from '../../../src/core/dsp/analyser.ts';
import type { KernelFactory } from '../../../src/core/dsp/kernels.ts';
import type { AnalysisResult } from '../../../src/core/dsp/result-schema.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';
import { mixLike, seededRandom } from '../../support/signals.ts';

function run(planar: Float32Array[], rate: number, chunk: number, kernels?: KernelFactory): AnalysisResult {
  const a = makeAnalyser({ sampleRate: rate, channels: planar.length, ...(kernels ? { kernels } : {}) });
  for (let o = 0; o < planar[0]!.length; o += chunk) a.push(planar.map((c) => c.subarray(o, o + chunk)));
  return a.finish();
}

function near(a: number | null, b: number | null, tol: number, what: string): void {
  if (a === null || b === null) assert.is(a, b, what);
  else assert.ok(Math.abs(a - b) <= tol, `${what}: TS ${a} vs WASM ${b}`);
}

test('overs, their positions and the true-peak time equal the reference on loud masters wobbling around -1 and 0 dBTP', async () => {
  const wasm = await compileBundledMeterKernels();
  let oversAbove0 = 0;
  for (const seed of [11, 12, 13]) {
    const rand = seededRandom(seed);
    // Limited hard (past full scale, as float masters can be): most blocks have values above -1
    // dBTP, runs open and close all the time.
    const drive = 8 + 8 * rand();
    const planar = mixLike(48000, 8, seed).map((c) => c.map((v) => 1.02 * Math.tanh(drive * v)));
    // Silent stretches (blocks the kernel skips) between loud ones, so runs end at a skip too.
    for (let b = 0; b < 6; b++) {
      const at = Math.floor(rand() * (planar[0]!.length - 3000));
      planar[b % 2]!.fill(0, at, at + 100 + Math.floor(rand() * 2000));
    }
    const chunk = 1000 + Math.floor(rand() * 5000);
    const ts = run(planar, 48000, chunk),
      wa = run(planar, 48000, chunk + 1, wasm);
    const what = `(seed ${seed}, chunk ${chunk})`;
    assert.ok(ts.peaks.oversAboveMinus1.count.value > 20, `the signal has many overs ${what}`);
    oversAbove0 += ts.peaks.oversAbove0.count.value;
    for (const key of ['oversAboveMinus1', 'oversAbove0'] as const) {
      assert.is(wa.peaks[key].count.value, ts.peaks[key].count.value, `${key} count ${what}`);
      assert.equal(wa.peaks[key].positions.value, ts.peaks[key].positions.value, `${key} positions ${what}`);
    }
    ts.channels.forEach((c, i) => {
      near(wa.channels[i]!.truePeak.value, c.truePeak.value, 1e-9, `TP ch${i} ${what}`);
      assert.is(wa.channels[i]!.truePeakAt.value, c.truePeakAt.value, `TP time ch${i} ${what}`);
    });
  }
  assert.ok(oversAbove0 > 100, 'overs above 0 dBTP too');
});

test('sample peak, clipping runs, silence and sums equal the reference with the edge cases at every offset', async () => {
  const wasm = await compileBundledMeterKernels();
  for (const seed of [21, 22, 23, 24]) {
    const rand = seededRandom(seed);
    const frames = 48000 * 3;
    const planar = [new Float32Array(frames), new Float32Array(frames)];
    // Leading and trailing silence of a few samples more or less than a step's multiple.
    const head = 4000 + (seed % 4),
      tail = frames - 3000 - ((seed + 1) % 4);
    for (const x of planar) for (let n = head; n < tail; n++) x[n] = (rand() * 2 - 1) * 0.5;
    // Clipping runs of 1 to 9 samples (3 and up count) at every offset mod 4, both signs.
    for (let b = 0; b < 36; b++) {
      const at = head + 1000 + b * 3001 + (b % 4);
      for (let i = 0; i <= b % 9; i++) planar[b % 2]![at + i] = b % 3 ? 1 : -1;
    }
    // A run straddling a kernel slice's end (8192 frames, the WASM build's) and one at the very end.
    for (let i = -2; i < 3; i++) planar[0]![8192 * 3 + i] = 1;
    planar[1]!.fill(-1, frames - 6);
    // The largest sample twice (the first one's time counts), late in the file.
    planar[0]![frames - 9001] = 0.9;
    planar[0]![frames - 5002] = -0.9;
    const chunk = 997 * (seed - 19);
    const ts = run(planar, 48000, chunk),
      wa = run(planar, 48000, chunk, wasm);
    const what = `(seed ${seed})`;
    ts.channels.forEach((c, i) => {
      const w = wa.channels[i]!;
      assert.is(w.samplePeak.value, c.samplePeak.value, `sample peak ch${i} ${what}`);
      assert.is(w.samplePeakAt.value, c.samplePeakAt.value, `sample peak time ch${i} ${what}`);
      assert.equal(w.clipPositions.value, c.clipPositions.value, `clip runs ch${i} ${what}`);
      near(w.rms.value, c.rms.value, 1e-9, `RMS ch${i} ${what}`);
      near(w.dcOffset.value, c.dcOffset.value, 1e-9, `DC ch${i} ${what}`);
    });
    assert.is(wa.clipping.runs.value, ts.clipping.runs.value, `clipping runs ${what}`);
    assert.ok(ts.clipping.runs.value >= 20, `the signal has clipping runs ${what}`);
    assert.is(wa.silence.head.value, ts.silence.head.value, `head silence ${what}`);
    assert.is(wa.silence.tail.value, ts.silence.tail.value, `tail silence ${what}`);
  }
});

test('a NaN or infinite sample is found at the same position at every offset of the four-sample step', async () => {
  const wasm = await compileBundledMeterKernels();
  for (let k = 0; k < 8; k++) {
    const x = new Float32Array(20000).fill(0.25);
    const at = 12000 + k;
    x[at] = k % 2 ? Infinity : NaN;
    // A second bad sample later in the same step must not be the one reported.
    if (at + 1 < x.length) x[at + 1] = NaN;
    const message = (kernels?: KernelFactory) => {
      try {
        run([x], 48000, 4096, kernels);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    const expected = message();
    assert.match(expected, /sample in channel 1/);
    assert.is(message(wasm), expected, `bad sample at ${at}`);
  }
});

test.run();
