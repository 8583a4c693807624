/**
 * The overview gathered in the analysis pass: a bounded peak envelope that keeps every peak
 * where it happened, and a goniometer density whose shape tells mono, wide and
 * polarity-inverted material apart. The WASM kernels give the same overview as the reference.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeAnalyser } from '../../../src/core/dsp/analyser.ts';
import { GONIO_SIZE, MAX_COLUMNS, SignalOverview } from '../../../src/core/dsp/overview.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';
import { mixLike, sine } from '../../support/signals.ts';

function overviewOf(planar: Float32Array[], rate: number, chunk = 10007) {
  const o = new SignalOverview(rate, planar.length === 2 ? [0, 1] : null);
  for (let at = 0; at < planar[0]!.length; at += chunk) {
    const length = Math.min(chunk, planar[0]!.length - at);
    o.push((c) => planar[c]!.subarray(at, at + length), planar.length, length);
  }
  return o.finish();
}

test('the envelope stays within MAX_COLUMNS columns for any length and keeps a short peak at its time', () => {
  const rate = 48000,
    seconds = 70;
  const quiet = sine(rate, seconds, 440, 0.1);
  const at = Math.round(41.3 * rate);
  quiet[at] = -0.95;
  quiet[at + 1] = -0.95;
  // The envelope reads every other frame: a peak two samples long is always seen.
  quiet[at + 7] = 0.9;
  quiet[at + 8] = 0.9;
  const o = overviewOf([quiet], rate);
  assert.ok(o.min.length <= MAX_COLUMNS && o.min.length > MAX_COLUMNS / 2, `${o.min.length} columns`);
  assert.is(o.max.length, o.min.length);
  const column = Math.floor(at / o.framesPerColumn);
  assert.is(o.min[column], -0.95);
  assert.is(o.max[column], 0.9);
  // Everywhere else the sine's own amplitude.
  assert.ok(Math.abs(o.max[column + 3]! - 0.1) < 1e-3 && Math.abs(o.min[column - 3]! + 0.1) < 1e-3);
  assert.is(o.goniometer, null, 'no goniometer without a pair');
  // Columns cover the whole stream.
  assert.ok(o.framesPerColumn * o.min.length >= quiet.length);
  assert.ok(o.framesPerColumn * (o.min.length - 1) < quiet.length);
});

test('goniometer: mono is a vertical line, a polarity-inverted pair a horizontal one, a wide mix fills both', () => {
  const rate = 48000;
  const tone = sine(rate, 2, 997, 0.5);
  const inverted = tone.map((v) => -v);
  const centreColumn = (d: number[]) => {
    let inCentre = 0,
      total = 0;
    d.forEach((v, i) => {
      total += v;
      const col = i % GONIO_SIZE;
      if (col === GONIO_SIZE / 2 || col === GONIO_SIZE / 2 - 1) inCentre += v;
    });
    return inCentre / total;
  };
  const centreRow = (d: number[]) => {
    let inCentre = 0,
      total = 0;
    d.forEach((v, i) => {
      total += v;
      const row = Math.floor(i / GONIO_SIZE);
      if (row === GONIO_SIZE / 2 || row === GONIO_SIZE / 2 - 1) inCentre += v;
    });
    return inCentre / total;
  };
  const mono = overviewOf([tone, tone], rate).goniometer!;
  assert.is(mono.density.length, GONIO_SIZE * GONIO_SIZE);
  assert.is(Math.max(...mono.density), 255);
  assert.is(centreColumn(mono.density), 1, 'mono: all on the vertical');
  const flipped = overviewOf([tone, inverted], rate).goniometer!;
  assert.is(centreRow(flipped.density), 1, 'inverted: all on the horizontal');
  // Left only leans up and to the left.
  const silent = new Float32Array(tone.length);
  const left = overviewOf([tone, silent], rate).goniometer!.density;
  const row = (i: number) => Math.floor(i / GONIO_SIZE),
    col = (i: number) => i % GONIO_SIZE;
  assert.ok(
    left.every((v, i) => v === 0 || Math.abs(row(i) - col(i)) <= 1),
    'left only: on the diagonal from upper left to lower right',
  );
  assert.ok(
    left.some((v, i) => v > 0 && row(i) < GONIO_SIZE / 4 && col(i) < GONIO_SIZE / 4),
    'reaching the upper left',
  );
  const wide = overviewOf(mixLike(rate, 2, 3), rate).goniometer!;
  assert.ok(centreColumn(wide.density) < 0.5 && centreRow(wide.density) < 0.5, 'a stereo mix spreads');
});

test('the analyser returns the overview, the same with the WASM kernels as with the reference', async () => {
  const planar = mixLike(48000, 3, 11);
  const run = (kernels?: Awaited<ReturnType<typeof compileBundledMeterKernels>>) => {
    const a = makeAnalyser({ sampleRate: 48000, channels: 2, ...(kernels ? { kernels } : {}) });
    for (let o = 0; o < planar[0]!.length; o += 9973) a.push(planar.map((c) => c.subarray(o, o + 9973)));
    return a.finish().overview!;
  };
  const reference = run();
  assert.equal(run(await compileBundledMeterKernels()), reference);
  assert.equal(reference, overviewOf(planar, 48000));
  assert.ok(reference.min.length > 100);
});

test.run();
