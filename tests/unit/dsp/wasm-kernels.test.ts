/**
 * The WASM kernels (src/wasm, built into src/core/dsp/wasm: K-weighting, true peak, spectrum
 * FFT) give the same figures as the TypeScript reference within 0.001 LU and 0.001 dB on seeded
 * random signals.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { makeAnalyser } from '../../../src/core/dsp/analyser.ts';
import type { KernelFactory } from '../../../src/core/dsp/kernels.ts';
import type { AnalysisResult } from '../../../src/core/dsp/result-schema.ts';
import { TONAL_BANDS } from '../../../src/core/dsp/spectrum.ts';
import { compileBundledMeterKernels, compileMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';
import { METER_WASM_BASE64 } from '../../../src/core/dsp/wasm/meter-wasm.ts';
import { mixLike, seededRandom } from '../../support/signals.ts';

function run(planar: Float32Array[], rate: number, kernels?: KernelFactory, chunk = 10007): AnalysisResult {
  const a = makeAnalyser({ sampleRate: rate, channels: planar.length, ...(kernels ? { kernels } : {}) });
  for (let o = 0; o < planar[0]!.length; o += chunk) a.push(planar.map((c) => c.subarray(o, o + chunk)));
  return a.finish();
}

function close(a: number | null, b: number | null, tol: number, what: string, seed: number): void {
  if (a === null || b === null) {
    assert.is(a, b, `${what} (seed ${seed})`);
    return;
  }
  assert.ok(Math.abs(a - b) <= tol, `${what}: TS ${a} vs WASM ${b} (seed ${seed})`);
}

test('the embedded base64 copy is the built meter.wasm', () => {
  const file = readFileSync(new URL('../../../src/core/dsp/wasm/meter.wasm', import.meta.url));
  assert.is(Buffer.from(METER_WASM_BASE64, 'base64').equals(file), true);
});

test('WASM kernels equal the TypeScript reference on seeded random signals (I, M, S, LRA, TP, overs, spectrum, stereo per band)', async () => {
  const wasm = await compileMeterKernels(
    readFileSync(new URL('../../../src/core/dsp/wasm/meter.wasm', import.meta.url)),
  );
  for (const seed of [1, 2, 3]) {
    const rand = seededRandom(seed);
    const rate = [44100, 48000, 96000][seed - 1]!;
    const planar = mixLike(rate, 12, seed);
    // Random full-scale bursts so true peak and overs have work to do.
    for (let b = 0; b < 20; b++) {
      const at = Math.floor(rand() * (planar[0]!.length - 200));
      for (let i = 0; i < 200; i++) planar[b % 2]![at + i] = (rand() * 2 - 1) * 1.2;
    }
    // Clipped stretches (full-scale runs of several lengths), one running into the end.
    for (let b = 0; b < 10; b++) {
      const at = Math.floor(rand() * (planar[0]!.length - 20));
      for (let i = 0; i < 1 + b; i++) planar[0]![at + i] = 1;
    }
    planar[1]!.fill(-1, planar[1]!.length - 5);
    const ts = run(planar, rate),
      wa = run(planar, rate, wasm, 4099 + seed);
    close(ts.loudness.integrated.value, wa.loudness.integrated.value, 0.001, 'I', seed);
    close(ts.loudness.momentaryMax.value, wa.loudness.momentaryMax.value, 0.001, 'M max', seed);
    close(ts.loudness.shortTermMax.value, wa.loudness.shortTermMax.value, 0.001, 'S max', seed);
    close(ts.loudness.range.value, wa.loudness.range.value, 0.001, 'LRA', seed);
    close(ts.stereo!.monoCompatibility.value, wa.stereo!.monoCompatibility.value, 0.001, 'mono compatibility', seed);
    close(ts.noiseFloor.value, wa.noiseFloor.value, 0.001, 'noise floor', seed);
    ts.channels.forEach((c, i) => close(c.truePeak.value, wa.channels[i]!.truePeak.value, 0.001, `TP ch${i}`, seed));
    assert.is(ts.peaks.oversAboveMinus1.count.value, wa.peaks.oversAboveMinus1.count.value, `overs -1 (seed ${seed})`);
    assert.is(ts.peaks.oversAbove0.count.value, wa.peaks.oversAbove0.count.value, `overs 0 (seed ${seed})`);
    ts.channels.forEach((c, i) => {
      const w = wa.channels[i]!;
      close(c.samplePeak.value, w.samplePeak.value, 0.001, `sample peak ch${i}`, seed);
      close(c.samplePeakAt.value, w.samplePeakAt.value, 1e-9, `sample peak time ch${i}`, seed);
      close(c.rms.value, w.rms.value, 0.001, `RMS ch${i}`, seed);
      close(c.dcOffset.value, w.dcOffset.value, 1e-9, `DC ch${i}`, seed);
      assert.equal(c.clipPositions.value, w.clipPositions.value, `clip runs ch${i} (seed ${seed})`);
    });
    assert.ok(ts.clipping.runs.value > 0, 'the signal has clipping runs');
    close(ts.silence.head.value, wa.silence.head.value, 1e-9, 'head silence', seed);
    close(ts.silence.tail.value, wa.silence.tail.value, 1e-9, 'tail silence', seed);
    for (const key of ['correlation', 'lowBandCorrelation', 'width', 'balance'] as const)
      close(ts.stereo![key].value, wa.stereo![key].value, 0.001, key, seed);
    for (const { name: band } of TONAL_BANDS) {
      const f = ts.stereo!.bands![band],
        w = wa.stereo!.bands![band];
      close(f.correlation.value, w.correlation.value, 1e-9, `${band} correlation`, seed);
      close(f.width.value, w.width.value, 1e-9, `${band} width`, seed);
    }
    ts.stereo!.correlationSeries.value.forEach((v, k) =>
      close(v, wa.stereo!.correlationSeries.value[k]!, 0.001, `correlation at ${k}`, seed),
    );
    ts.spectrum.average.value.forEach((v, k) =>
      close(v, wa.spectrum.average.value[k]!, 0.001, `spectrum bin ${k}`, seed),
    );
    ts.spectrum.thirdOctave.value.forEach((v, k) =>
      close(v, wa.spectrum.thirdOctave.value[k]!, 0.001, `third-octave band ${k}`, seed),
    );
  }
});

test('the WASM kernels refuse NaN with the same message as the reference', async () => {
  const wasm = await compileBundledMeterKernels();
  const x = new Float32Array(48000);
  x[12000] = NaN;
  assert.throws(() => run([new Float32Array(48000), x], 48000, wasm), /NaN sample in channel 2 at 0\.250000 s/);
});

test('the bundled WASM kernels pass a Tech 3341 case: -23 dBFS stereo reads -23.0 LUFS, fs/4 at 45 deg reads -6 dBTP', async () => {
  const wasm = await compileBundledMeterKernels();
  const fs = 48000;
  const tone = Float32Array.from(
    { length: fs * 5 },
    (_, i) => 10 ** (-23 / 20) * Math.sin((2 * Math.PI * 1000 * i) / fs),
  );
  assert.ok(Math.abs(run([tone, tone], fs, wasm).loudness.integrated.value! + 23) < 0.1);
  const q = Float32Array.from(
    { length: fs },
    (_, i) => 0.5 * Math.sin((Math.PI / 2) * i + Math.PI / 4) * Math.min(1, i / 2400, (fs - 1 - i) / 2400),
  );
  const tp = run([q, q], fs, wasm).peaks.truePeak.value!;
  assert.ok(tp > -6.4 && tp < -5.8, `${tp}`);
});

test.run();
