/**
 * The true-peak limiter on generated signals: the output's 4x true peak, read by our own meter,
 * stays at or below the ceiling + 0.05 dB on transients, square waves and intersample-heavy
 * material (fs/4 sines at 45° phase, whose samples sit 3 dB under the peak between them; the
 * Tech 3341 true-peak bursts), with both kernel implementations; the output keeps every frame;
 * and a limiter with nothing to do passes the gained signal through untouched.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TruePeakLimiter } from '../../../src/core/dsp/render/limiter.ts';
import type { KernelFactory } from '../../../src/core/dsp/kernels.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';
import { dbToAmp, inPhase, seededRandom, sine, truePeakBurst } from '../../support/signals.ts';
import { measure } from '../dsp/measure.ts';

const FS = 48000;
const TOLERANCE = 0.05;

function limit(
  sig: Float32Array[],
  gainDb: number,
  ceilingDbtp: number,
  kernels?: KernelFactory,
  block = 10_000,
): { out: Float32Array[]; lim: TruePeakLimiter } {
  const lim = new TruePeakLimiter({
    sampleRate: FS,
    channels: sig.length,
    gainDb,
    ceilingDbtp,
    lookaheadMs: 3,
    releaseMs: 100,
    ...(kernels ? { kernels } : {}),
  });
  const n = sig[0]!.length;
  const out = sig.map(() => new Float32Array(n));
  let o = 0;
  const emit = (b: Float32Array[], len: number) => {
    b.forEach((c, i) => out[i]!.set(c.subarray(0, len), o));
    o += len;
  };
  for (let i = 0; i < n; i += block)
    lim.push(
      sig.map((c) => c.subarray(i, i + block)),
      emit,
    );
  lim.flush(emit);
  assert.is(o, n, 'every pushed frame comes back');
  return { out, lim };
}

function truePeakOf(planar: Float32Array[]): number {
  return measure(planar, FS).peaks.truePeak.value!;
}

/** A 1 kHz tone with a 2 ms burst at full scale every 250 ms: drum-like transients over a bed. */
function transients(): Float32Array {
  const out = new Float32Array(3 * FS);
  const rand = seededRandom(3341);
  for (let i = 0; i < out.length; i++) {
    const burst = i % (FS / 4) < FS / 500;
    out[i] = burst ? (rand() * 2 - 1) * 0.99 : 0.1 * Math.sin((2 * Math.PI * 1000 * i) / FS);
  }
  return out;
}

function square(freq: number, amplitude: number): Float32Array {
  const out = new Float32Array(3 * FS);
  const half = FS / freq / 2;
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(i / half) % 2 ? amplitude : -amplitude;
  return out;
}

const CASES: [string, () => Float32Array[], number, number][] = [
  ['transients (noise bursts over a tone)', () => inPhase(transients()), 12, -1],
  ['square wave 100 Hz', () => inPhase(square(100, 0.8)), 6, -1],
  ['square wave 1 kHz, ceiling -2 dBTP', () => inPhase(square(1000, 0.5)), 9, -2],
  [
    'fs/4 sine at 45° phase (samples 3 dB under the peak)',
    () => inPhase(sine(FS, 3, FS / 4, 0.7, Math.PI / 4, 0.01)),
    6,
    -1,
  ],
  [
    'fs/4 sine at 45° phase, left only, ceiling -0.1 dBTP',
    () => [sine(FS, 3, FS / 4, 0.9, Math.PI / 4, 0.01), new Float32Array(3 * FS)],
    3,
    -0.1,
  ],
  ['Tech 3341 case 15-style true-peak burst (fs/4, offset 0)', () => inPhase(truePeakBurst(FS, 3, 0)), 8, -1],
  ['Tech 3341 case 18-style true-peak burst (fs/4, offset 3)', () => inPhase(truePeakBurst(FS, 3, 3)), 8, -1],
];

let wasm: KernelFactory | undefined;
test.before(async () => {
  wasm = await compileBundledMeterKernels();
});

for (const [name, make, gainDb, ceiling] of CASES) {
  test(`ceiling held: ${name}, +${gainDb} dB into ${ceiling} dBTP (TS and WASM detectors)`, () => {
    const sig = make();
    assert.ok(truePeakOf(sig) + gainDb > ceiling + 2, 'the case makes the limiter work');
    for (const [engine, kernels] of [
      ['ts', undefined],
      ['wasm', wasm],
    ] as const) {
      const { out, lim } = limit(sig, gainDb, ceiling, kernels);
      const tp = truePeakOf(out);
      assert.ok(tp <= ceiling + TOLERANCE, `${engine}: true peak ${tp.toFixed(3)} dBTP over ${ceiling} + ${TOLERANCE}`);
      assert.ok(tp > ceiling - 0.5, `${engine}: true peak ${tp.toFixed(3)} dBTP: limited far more than needed`);
      assert.ok(lim.stats.maxReductionDb > 1, `${engine}: reports its gain reduction`);
    }
  });
}

test('block size does not change the output (streamed in odd-sized blocks)', () => {
  const sig = inPhase(transients());
  const a = limit(sig, 12, -1, undefined, 10_000).out;
  const b = limit(sig, 12, -1, undefined, 777).out;
  for (let i = 0; i < a[0]!.length; i++) if (a[0]![i] !== b[0]![i]) assert.unreachable(`differs at frame ${i}`);
});

test('with nothing to limit, the output is the input times the gain, delayed by nothing', () => {
  const sig = inPhase(sine(FS, 1, 997, dbToAmp(-20)));
  const { out, lim } = limit(sig, 6, -1);
  const g = dbToAmp(6);
  for (let i = 0; i < sig[0]!.length; i++)
    if (Math.abs(out[0]![i]! - sig[0]![i]! * g) > 1e-6)
      assert.unreachable(`frame ${i}: ${out[0]![i]} vs ${sig[0]![i]! * g}`);
  assert.is(lim.stats.limitedFrames, 0);
  assert.is(lim.stats.maxReductionDb, 0);
});

test('after a limited burst the gain recovers smoothly to exactly the set gain (then the pass-through path runs)', () => {
  const tone = sine(FS, 5, 440, dbToAmp(-20));
  for (let i = FS / 2; i < FS / 2 + 480; i++) tone[i] = tone[i]! * 10 * 0.9;
  const { out } = limit(inPhase(tone), 6, -1, wasm, 4096);
  const g = dbToAmp(6);
  // The gain applied, where the input is not near a zero crossing: it never jumps by more than the
  // attack's straight line allows, and it is the set gain exactly once released.
  let previous = g;
  for (let i = 0; i < tone.length; i++) {
    if (Math.abs(tone[i]!) < 0.02) continue;
    const applied = out[0]![i]! / tone[i]!;
    assert.ok(applied <= g * (1 + 1e-6), `frame ${i}: gain ${applied} above the set gain`);
    assert.ok(Math.abs(applied - previous) < 0.05 * g, `frame ${i}: gain jumps from ${previous} to ${applied}`);
    previous = applied;
    if (i > 3.5 * FS && Math.abs(applied - g) > 1e-6) assert.unreachable(`frame ${i}: gain ${applied}, not yet ${g}`);
  }
  assert.ok(truePeakOf(out) <= -1 + TOLERANCE);
});

test('settings out of range are refused', () => {
  const o = { sampleRate: FS, channels: 2, gainDb: 0, ceilingDbtp: -1, lookaheadMs: 3, releaseMs: 100 };
  assert.throws(() => new TruePeakLimiter({ ...o, ceilingDbtp: 3 }), /ceiling/);
  assert.throws(() => new TruePeakLimiter({ ...o, lookaheadMs: 0 }), /look-ahead/);
  assert.throws(() => new TruePeakLimiter({ ...o, releaseMs: 1e6 }), /release/);
});

test.run();
