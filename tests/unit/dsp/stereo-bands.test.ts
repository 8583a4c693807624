/**
 * Stereo width and correlation per tonal band (src/core/dsp/stereo-bands.ts), from the front
 * pair's sums kept by the spectrum frames: generated signals with a known answer per band, the
 * TypeScript reference and the WASM kernels giving the same figures, and stored results read
 * back only when in bounds.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeAnalyser } from '../../../src/core/dsp/analyser.ts';
import { butterworthLowPass, type Biquad } from '../../../src/core/dsp/biquad.ts';
import type { KernelFactory } from '../../../src/core/dsp/kernels.ts';
import type { AnalysisResult, StereoBands } from '../../../src/core/dsp/result-schema.ts';
import { TONAL_BANDS } from '../../../src/core/dsp/spectrum.ts';
import { readStereoBands } from '../../../src/core/dsp/stereo-bands.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';
import { mixLike, seededRandom } from '../../support/signals.ts';

const FS = 48000;
const wasm = await compileBundledMeterKernels();

function analyse(
  planar: Float32Array[],
  kernels?: KernelFactory,
  layout?: ('FL' | 'FR' | 'FC' | 'LFE' | 'SL' | 'SR')[],
): AnalysisResult {
  const a = makeAnalyser({
    sampleRate: FS,
    channels: planar.length,
    ...(layout ? { channelLayout: layout } : {}),
    ...(kernels ? { kernels } : {}),
  });
  for (let o = 0; o < planar[0]!.length; o += 9001) a.push(planar.map((c) => c.subarray(o, o + 9001)));
  return a.finish();
}

function noise(seed: number, seconds: number, gain = 0.25): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: Math.round(seconds * FS) }, () => (rand() * 2 - 1) * gain);
}

function filter(x: Float32Array, f: Biquad): Float32Array {
  const y = new Float32Array(x.length);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let n = 0; n < x.length; n++) {
    const v = f.b0 * x[n]! + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = x[n]!;
    y2 = y1;
    y1 = v;
    y[n] = v;
  }
  return y;
}

/** Twice the first difference: a gentle high-pass, -76 dB at 100 Hz and -5 dB at 6 kHz re Nyquist's gain. */
function differenced(x: Float32Array): Float32Array {
  let y = x;
  for (let pass = 0; pass < 2; pass++) y = y.map((v, n) => v - (n > 0 ? y[n - 1]! : 0));
  return y;
}

function bandsOf(r: AnalysisResult): StereoBands {
  const bands = readStereoBands(r);
  assert.ok(bands, 'the result has per-band stereo figures');
  return bands;
}

test('identical channels: correlation +1 and side far below mid in every band', () => {
  const x = noise(1, 4);
  for (const kernels of [undefined, wasm]) {
    const bands = bandsOf(analyse([x, x.slice()], kernels));
    for (const { name } of TONAL_BANDS) {
      assert.ok(bands[name].correlation.value! > 0.999999, `${name}: ${bands[name].correlation.value}`);
      const w = bands[name].width.value;
      assert.ok(w === null || w < -100, `${name} width ${w}`);
    }
  }
});

test('opposite channels (L = -R): correlation -1 and mid far below side in every band', () => {
  const x = noise(2, 4);
  const bands = bandsOf(analyse([x, x.map((v) => -v)]));
  for (const { name } of TONAL_BANDS) {
    assert.ok(bands[name].correlation.value! < -0.999999, `${name}: ${bands[name].correlation.value}`);
    const w = bands[name].width.value;
    assert.ok(w === null || w > 100, `${name} width ${w}`);
  }
});

test('independent noise: correlation near 0 and side equal to mid (0 dB) in every band', () => {
  const bands = bandsOf(analyse([noise(3, 10), noise(4, 10)]));
  for (const { name } of TONAL_BANDS) {
    // The sub band holds few bins (7 per frame), so its estimate scatters more.
    const tol = name === 'sub' || name === 'low' ? 0.2 : 0.05;
    assert.ok(Math.abs(bands[name].correlation.value!) < tol, `${name}: ${bands[name].correlation.value}`);
    assert.ok(
      Math.abs(bands[name].width.value!) < (name === 'sub' ? 2 : 0.5),
      `${name} width ${bands[name].width.value}`,
    );
  }
});

test('mono below 200 Hz and wide above: high correlation in sub and low, low in presence and air', () => {
  const lp = butterworthLowPass(200, FS);
  const shared = filter(filter(noise(5, 8, 0.5), lp), lp);
  const [l, r] = [differenced(noise(6, 8, 0.1)), differenced(noise(7, 8, 0.1))];
  const bands = bandsOf(analyse([shared.map((v, n) => v + l[n]!), shared.map((v, n) => v + r[n]!)]));
  for (const name of ['sub', 'low'] as const) {
    assert.ok(bands[name].correlation.value! > 0.99, `${name}: ${bands[name].correlation.value}`);
    assert.ok(bands[name].width.value! < -20, `${name} width ${bands[name].width.value}`);
  }
  for (const name of ['presence', 'air'] as const) {
    assert.ok(Math.abs(bands[name].correlation.value!) < 0.05, `${name}: ${bands[name].correlation.value}`);
    assert.ok(Math.abs(bands[name].width.value!) < 0.5, `${name} width ${bands[name].width.value}`);
  }
});

test('the TypeScript reference and the WASM kernels give the same per-band figures (1e-9), stereo and 5.1', () => {
  for (const seed of [1, 2]) {
    const mix = mixLike(FS, 6, seed);
    const cases: [Float32Array[], ('FL' | 'FR' | 'FC' | 'LFE' | 'SL' | 'SR')[] | undefined][] = [
      [mix, undefined],
      [
        [mix[0]!, mix[1]!, mix[0]!.map((v) => 0.5 * v), mix[1]!, mix[1]!, mix[0]!],
        ['FL', 'FR', 'FC', 'LFE', 'SL', 'SR'],
      ],
    ];
    for (const [planar, layout] of cases) {
      const ts = bandsOf(analyse(planar, undefined, layout)),
        wa = bandsOf(analyse(planar, wasm, layout));
      for (const { name } of TONAL_BANDS)
        for (const key of ['correlation', 'width'] as const) {
          const a = ts[name][key].value!,
            b = wa[name][key].value!;
          assert.ok(
            Math.abs(a - b) <= 1e-9,
            `${name} ${key}: TS ${a} vs WASM ${b} (seed ${seed}, ${planar.length} ch)`,
          );
        }
    }
  }
});

test('mono files and layouts whose first channels are not the front pair have no per-band stereo', () => {
  const x = noise(8, 1);
  assert.is(analyse([x]).stereo, null);
  const r = analyse([x, x, x, x], undefined, ['FC', 'FL', 'FR', 'LFE']);
  assert.ok(r.stereo, 'the whole-signal stereo figures are there');
  assert.is(r.stereo.bands, undefined);
});

test('a stored result is read back only with every band present and in bounds', () => {
  const x = noise(9, 1);
  const r = analyse([x, noise(10, 1)]);
  assert.ok(readStereoBands(r));
  const copy = (): AnalysisResult => JSON.parse(JSON.stringify(r)) as AnalysisResult;
  const old = copy();
  delete old.stereo!.bands;
  assert.is(readStereoBands(old), undefined, 'a result made before per-band stereo');
  const wild = copy();
  wild.stereo!.bands!.mid.correlation.value = 3;
  assert.is(readStereoBands(wild), undefined, 'correlation beyond +1');
  const missing = copy();
  delete (missing.stereo!.bands as Partial<StereoBands>).air;
  assert.is(readStereoBands(missing), undefined, 'a band missing');
  const text = copy();
  (text.stereo!.bands!.sub.width as { value: unknown }).value = 'wide';
  assert.is(readStereoBands(text), undefined, 'a width that is not a number');
});

test.run();
