/**
 * A file analysed in time slices by several workers (src/core/analysis/analysis-split.ts)
 * gives the result of one pass: every figure of the result, to rounding (1e-9 in its unit),
 * on generated programme, a hard-clipped master with clipping runs and overs placed across
 * the seams, 44.1 kHz and a 5.1 layout, and the EBU Tech 3341/3342 cases whose windows and
 * true peaks would straddle a seam; with the TypeScript reference and the WASM kernels.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyseSlice, mergeParts, planSlices, splitStreamOf } from '../../../src/core/analysis/analysis-split.ts';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import type { KernelFactory } from '../../../src/core/dsp/kernels.ts';
import type { AnalysisResult } from '../../../src/core/dsp/result-schema.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';
import { inPhase, mixLike, toneSequence, truePeakBurst } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';

/** Every leaf of `actual` equals `expected`'s (numbers within `tolerance`); names the first difference. */
function sameResult(actual: unknown, expected: unknown, path = 'result', tolerance = 1e-9): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (!(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)) || actual === expected))
      assert.unreachable(`${path}: split ${actual}, one pass ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} is not a list`);
    assert.is((actual as unknown[]).length, expected.length, `${path}: length`);
    expected.forEach((v, i) => sameResult((actual as unknown[])[i], v, `${path}[${i}]`, tolerance));
    return;
  }
  if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${path} is missing`);
    assert.equal(Object.keys(actual as object).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const [k, v] of Object.entries(expected))
      sameResult((actual as Record<string, unknown>)[k], v, `${path}.${k}`, tolerance);
    return;
  }
  assert.is(actual, expected, path);
}

async function splitAgainstOnePass(
  bytes: Uint8Array,
  workers: number,
  kernels: KernelFactory | undefined,
  minSliceSeconds = 4,
): Promise<{ split: AnalysisResult; one: AnalysisResult; slices: number }> {
  const source = new MemoryByteSource('split.wav', bytes);
  const one = (await analyseAudio(source, kernels ? { kernels } : {})).result;
  const stream = (await splitStreamOf(source))!;
  const plan = planSlices(stream.sampleRate, stream.frames, workers, minSliceSeconds);
  // Each slice from its own source, as each worker reads its own byte range of the File.
  const parts = await Promise.all(
    plan.map((span) => analyseSlice(new MemoryByteSource('split.wav', bytes), span, kernels ? { kernels } : {})),
  );
  return { split: mergeParts(stream, parts.reverse()), one, slices: plan.length };
}

const wasm = await compileBundledMeterKernels();
const KERNELS: [string, KernelFactory | undefined][] = [
  ['TS', undefined],
  ['WASM', wasm],
];

/** Writes a hard-clipped run and a true-peak burst just before each seam of the plan for `workers`. */
function acrossSeams(planar: Float32Array[], sampleRate: number, workers: number): Float32Array[] {
  const plan = planSlices(sampleRate, planar[0]!.length, workers, 4);
  for (const { start } of plan.slice(1)) {
    for (const ch of planar) {
      for (let n = start - 6; n < start + 9; n++) ch[n] = 1;
      ch.set(
        truePeakBurst(sampleRate, 0.002, 0).map((v) => 0.99 * v),
        start - 40 + 2 * sampleRate,
      );
    }
  }
  return planar;
}

for (const [name, kernels] of KERNELS) {
  test(`a mix-like programme split over 6 workers equals one pass (${name})`, async () => {
    const mix = mixLike(48000, 26, 7);
    const { split, one, slices } = await splitAgainstOnePass(
      writeWav(mix, { sampleRate: 48000, format: 'pcm24' }),
      6,
      kernels,
    );
    assert.is(slices, 6);
    sameResult(split, one);
    assert.ok(one.stereo?.bands, 'the per-band stereo sums are merged too');
  });

  test(`a hard-clipped master with clips and overs across the seams, 44.1 kHz, 3 workers, equals one pass (${name})`, async () => {
    const clipped = mixLike(44100, 20, 11).map((c) => c.map((v) => Math.max(-1, Math.min(1, 6 * v))));
    const bytes = writeWav(acrossSeams(clipped, 44100, 3), { sampleRate: 44100, format: 'float32' });
    const { split, one, slices } = await splitAgainstOnePass(bytes, 3, kernels);
    assert.is(slices, 3);
    assert.ok(one.clipping.runs.value > 100 && (one.peaks.oversAbove0.count.value as number) > 10, 'the master clips');
    sameResult(split, one);
  });
}

test('a 5.1 file split over 2 workers equals one pass (WASM)', async () => {
  const mix = mixLike(48000, 12, 3);
  const six = [mix[0]!, mix[1]!, mix[0]!.map((v) => 0.5 * v), mix[1]!.map((v) => 0.1 * v), mix[1]!, mix[0]!];
  const { split, one, slices } = await splitAgainstOnePass(
    writeWav(six, { sampleRate: 48000, format: 'pcm16' }),
    2,
    wasm,
  );
  assert.is(slices, 2);
  sameResult(split, one);
  assert.ok(one.stereo?.bands, 'the per-band stereo sums are merged too');
});

test('EBU Tech 3342 case 4 and Tech 3341 case 5 split over 4 workers read as in one pass (WASM)', async () => {
  const lra = inPhase(
    toneSequence(48000, [
      [-50, 20],
      [-35, 20],
      [-20, 20],
      [-35, 20],
      [-50, 20],
    ]),
  );
  const r = await splitAgainstOnePass(writeWav(lra, { sampleRate: 48000, format: 'pcm24' }), 4, wasm);
  assert.is(r.slices, 4);
  sameResult(r.split, r.one);
  assert.ok(Math.abs(r.split.loudness.range.value! - 15) <= 1, `LRA ${r.split.loudness.range.value}`);
  const gated = inPhase(
    toneSequence(48000, [
      [-26, 20],
      [-20, 20.1],
      [-26, 20],
    ]),
  );
  const g = await splitAgainstOnePass(writeWav(gated, { sampleRate: 48000, format: 'pcm24' }), 4, wasm);
  sameResult(g.split, g.one);
  assert.ok(Math.abs(g.split.loudness.integrated.value! + 23) <= 0.1, `I ${g.split.loudness.integrated.value}`);
});

test('a short file is one slice; slices start on 100 ms hops with 4 s of pre-roll', () => {
  assert.is(planSlices(48000, 48000 * 30, 6).length, 1);
  const plan = planSlices(44100, 44100 * 240, 6);
  assert.is(plan.length, 6);
  for (const s of plan.slice(1)) {
    assert.is(s.start % 4410, 0);
    assert.is(s.start - s.preRollFrom, 4 * 44100);
  }
  assert.is(plan.at(-1)!.end, 44100 * 240);
});

test.run();
