/**
 * The throwaway analysis a worker runs before the person's file arrives (warm-up.ts): it must
 * really run the slice path to the end with either kernel set, or the first real analysis runs
 * cold again and nothing says so (the warm-up swallows its failures by design).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { warmUpAnalysis } from '../../../src/core/analysis/warm-up.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';

test('the warm-up runs a whole slice (pre-roll, measured range, flush) with the WASM kernels', async () => {
  assert.is(await warmUpAnalysis(await compileBundledMeterKernels()), true);
});

test('the warm-up runs a whole slice with the TypeScript reference kernels', async () => {
  assert.is(await warmUpAnalysis(undefined), true);
});

test.run();
