/**
 * The throwaway analysis a worker runs before the person's file arrives (warm-up.ts): it must
 * really run the slice path to the end with either kernel set, and the page's merge over its
 * parts, or the first real analysis runs
 * cold again and nothing says so (the warm-up swallows its failures by design).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeParts } from '../../../src/core/analysis/analysis-split.ts';
import { warmUpAnalysis, warmUpMerge } from '../../../src/core/analysis/warm-up.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';

test('the warm-up runs both slices of a split with the WASM kernels, and their parts merge into a result', async () => {
  const warm = await warmUpAnalysis(await compileBundledMeterKernels());
  assert.ok(warm, 'it ran');
  assert.equal(
    warm.parts.map((p) => p.span.last),
    [false, true],
  );
  warmUpMerge(warm);
  const result = mergeParts(warm.stream, warm.parts);
  assert.ok(result.loudness.integrated.value! > -30 && result.loudness.integrated.value! < -5, 'a real measurement');
});

test('the warm-up runs with the TypeScript reference kernels', async () => {
  assert.ok(await warmUpAnalysis(undefined));
});

test.run();
